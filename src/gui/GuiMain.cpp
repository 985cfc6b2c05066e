#include "GuiMain.h"

#include "gui/EditorTabs.h"
#include "gui/MainWindow.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

namespace safecell::gui {

namespace {

bool hasDisplay()
{
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return true; // offscreen, vnc, ...: the caller chose
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

// For bench/gui: "shown" once the window is painted, then the idle
// resident memory a second later, and quit.
void reportStartupForBench(QWidget &window)
{
    QTimer::singleShot(0, &window, [&window] {
        window.repaint();
        QTextStream(stdout) << "shown\n" << Qt::flush;
        QTimer::singleShot(1000, &window, [] {
            QFile status(QStringLiteral("/proc/self/status"));
            QString rss;
            if (status.open(QIODevice::ReadOnly)) {
                for (const QByteArray &line : status.readAll().split('\n')) {
                    if (line.startsWith("VmRSS:"))
                        rss = QString::fromLatin1(line.mid(6).trimmed());
                }
            }
            QTextStream(stdout) << "rss " << rss << "\n" << Qt::flush;
            QCoreApplication::quit();
        });
    });
}

} // namespace

int guiMain(int argc, char **argv, const QStringList &files)
{
    if (!hasDisplay()) {
        QTextStream(stderr) << "safecell: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the "
                               "window cannot open.\n"
                               "Run a snippet headless instead:  safecell run FILE [--language python|sql] [--json]\n"
                               "or see `safecell --help`.\n";
        return 2;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("SafeCell"));
    QApplication::setOrganizationName(QStringLiteral("SafeCell"));
    QApplication::setApplicationVersion(QStringLiteral(SAFECELL_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.safecell.safecell"));

    Settings settings;
    KeyStore keys; // the one key store of the window, outliving it
    MainWindow window(settings, keys);
    window.show();
    for (const QString &path : files) // after show(): a file that cannot be read is told over the window
        window.tabs()->openFile(path);
    if (qEnvironmentVariableIsSet("SAFECELL_BENCH_STARTUP"))
        reportStartupForBench(window);
    return QApplication::exec();
}

} // namespace safecell::gui
