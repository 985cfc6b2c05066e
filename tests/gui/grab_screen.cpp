// Not a test: saves what an X display shows, for scripts/drive-window.
// Usage: gui_grab_screen OUT.png [WINDOW-ID]   (no id: the whole screen)
#include <QGuiApplication>
#include <QPixmap>
#include <QScreen>
#include <QTextStream>

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "xcb"); // the display being driven, never offscreen
    QGuiApplication app(argc, argv);
    if (argc < 2) {
        QTextStream(stderr) << "usage: gui_grab_screen OUT.png [WINDOW-ID]\n";
        return 2;
    }
    const WId window = argc > 2 ? WId(QString::fromLocal8Bit(argv[2]).toULongLong(nullptr, 0)) : 0;
    const QPixmap shot = QGuiApplication::primaryScreen()->grabWindow(window);
    if (shot.isNull() || !shot.save(QString::fromLocal8Bit(argv[1]), "PNG")) {
        QTextStream(stderr) << "gui_grab_screen: could not grab or save\n";
        return 1;
    }
    return 0;
}
