#pragma once

#include <QString>
#include <QStringList>

namespace safecell::cli {

// What `safecell ARGUMENTS...` does.
struct LaunchPlan {
    enum class Kind {
        Window,  // no command: the window, with `files` in tabs
        Command, // a command or a program option (run, --version, ...): cliMain()
        Invalid, // neither: `error` and the usage on stderr, exit 2
    };
    Kind kind = Kind::Window;
    QStringList files; // Window: existing files, absolute paths, in order
    QString error;     // Invalid: what was not understood
};

// Decides from the arguments (without the program's name), before any
// QCoreApplication exists. The window's command line is existing files and
// Qt's own options (-style NAME, -platform NAME, ...); anything else that is
// not a command is an error, so a typo never opens a second window.
LaunchPlan planLaunch(const QStringList &arguments);

// argv[1..argc) as QStrings.
QStringList argumentsOf(int argc, char **argv);

// Writes `error` and the usage to stderr; returns the exit code (2).
int rejectCommandLine(const QString &error);

} // namespace safecell::cli
