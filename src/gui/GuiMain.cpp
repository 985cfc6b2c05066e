#include "GuiMain.h"

#include "gui/MainWindow.h"
#include "settings/Settings.h"

#include <QApplication>
#include <QTextStream>

#include <cstdio>

namespace safecell::gui {

namespace {

bool hasDisplay()
{
    if (!qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        return true; // offscreen, vnc, ...: the caller chose
    return !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

} // namespace

int guiMain(int argc, char **argv)
{
    if (!hasDisplay()) {
        QTextStream(stderr)
            << "safecell: no display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the "
               "window cannot open.\n"
               "Run a snippet headless instead:  safecell run FILE [--language python|sql] [--json]\n"
               "or see `safecell --help`.\n";
        return 2;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("SafeCell"));
    QApplication::setOrganizationName(QStringLiteral("SafeCell"));
    QApplication::setApplicationVersion(QStringLiteral(SAFECELL_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.safecell.SafeCell"));

    Settings settings;
    MainWindow window(settings);
    window.show();
    return QApplication::exec();
}

} // namespace safecell::gui
