#include "CliMain.h"

#include "BudgetCommand.h"
#include "ClassifyCommand.h"
#include "CommandHelp.h"
#include "HistoryCommand.h"
#include "LaunchPlan.h"
#include "RunCommand.h"
#include "ServeCommand.h"
#include "TeamCommand.h"

#include <QCoreApplication>
#include <QTextStream>

namespace safecell::cli {

namespace {

// Each command of the table (CommandSpec.cpp) and the function that runs it.
struct Route {
    const char *name;
    int (*command)(const QStringList &arguments);
};
const Route kRoutes[] = {
    {"run", runCommand},     {"classify", classifyCommand}, {"budget", budgetCommand}, {"history", historyCommand},
    {"serve", serveCommand}, {"token", tokenCommand},       {"team", teamCommand},
};

} // namespace

int cliMain(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("SafeCell"));
    QCoreApplication::setOrganizationName(QStringLiteral("SafeCell"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SAFECELL_VERSION));

    QStringList arguments = QCoreApplication::arguments();
    const QString command = arguments.value(1);
    QTextStream out(stdout);
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        out << "safecell " << SAFECELL_VERSION << Qt::endl;
        return 0;
    }
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        out << programUsage();
        return 0;
    }
    arguments.removeAt(1); // the command; its parser sees the program name and its options
    for (const Route &route : kRoutes) {
        if (command == QLatin1String(route.name))
            return route.command(arguments);
    }
    return rejectCommandLine(QStringLiteral("unknown command '%1'").arg(command));
}

} // namespace safecell::cli
