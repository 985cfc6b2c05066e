#include "LaunchPlan.h"

#include "CommandHelp.h"
#include "CommandLine.h"
#include "CommandSpec.h"

#include <QFileInfo>

namespace safecell::cli {

namespace {

// Qt's options for the window, which QApplication takes out of argv: those
// of QGuiApplication, its X11 ones and QApplication's (Qt 6 documentation).
const char *const kQtOptionsWithValue[] = {"platform",        "platformpluginpath", "platformtheme", "plugin",
                                           "qwindowgeometry", "qwindowicon",        "qwindowtitle",  "session",
                                           "display",         "geometry",           "style",         "stylesheet"};
const char *const kQtFlags[] = {"reverse", "widgetcount"};

bool isIn(QStringView name, const auto &names)
{
    for (const char *candidate : names) {
        if (name == QLatin1String(candidate))
            return true;
    }
    return false;
}

bool isProgramOption(const QString &argument)
{
    for (const OptionSpec &option : programOptionSpecs()) {
        if (argument == QStringLiteral("--") + option.name
            || (!option.shortName.isEmpty() && argument == QStringLiteral("-") + option.shortName))
            return true;
    }
    return false;
}

LaunchPlan invalid(const QString &error)
{
    return LaunchPlan{LaunchPlan::Kind::Invalid, {}, error};
}

} // namespace

LaunchPlan planLaunch(const QStringList &arguments)
{
    if (arguments.isEmpty())
        return {};
    const QString &first = arguments.constFirst();
    if (isCommandWord(first) || first == QLatin1String("help") || isProgramOption(first))
        return LaunchPlan{LaunchPlan::Kind::Command, {}, {}};
    LaunchPlan plan;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument.startsWith(QLatin1Char('-')) && argument.size() > 1) {
            // Qt takes -style and --style alike.
            const QStringView name = QStringView(argument).mid(argument.startsWith(QLatin1String("--")) ? 2 : 1);
            if (isIn(name, kQtFlags))
                continue;
            if (!isIn(name, kQtOptionsWithValue))
                return invalid(QStringLiteral("unknown option '%1'").arg(argument));
            if (++i == arguments.size())
                return invalid(QStringLiteral("%1 needs a value").arg(argument));
            continue;
        }
        const QFileInfo file(argument);
        if (!file.isFile())
            return invalid(QStringLiteral("'%1' is neither a command nor an existing file").arg(argument));
        plan.files << file.absoluteFilePath();
    }
    return plan;
}

QStringList argumentsOf(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return arguments;
}

int rejectCommandLine(const QString &error)
{
    writeErr(QStringLiteral("safecell: %1\n\n").arg(error) + programUsage());
    return kExitInvalid;
}

} // namespace safecell::cli
