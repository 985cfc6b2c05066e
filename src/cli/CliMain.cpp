#include "CliMain.h"

#include "BudgetCommand.h"
#include "ClassifyCommand.h"
#include "HistoryCommand.h"
#include "RunCommand.h"
#include "ServeCommand.h"

#include <QCoreApplication>
#include <QTextStream>

#include <cstring>

namespace safecell::cli {

namespace {

const char *const kCommands[] = {"run", "classify", "serve", "token", "budget", "history", "--version", "-v", "--help", "-h", "help"};

QString usage()
{
    return QStringLiteral(
        "Usage: safecell [COMMAND] [OPTIONS]\n"
        "\n"
        "Without a command, SafeCell opens its window.\n"
        "\n"
        "Commands:\n"
        "  run FILE [--language python|sql] [--timeout-ms N] [--json] [--allow-ambiguous]\n"
        "        Run a snippet through SafeCell's checks and sandbox and print its output.\n"
        "        Exit codes: 0 ok, 1 the code raised, 2 invalid input, 3 blocked,\n"
        "        4 timed out, 5 over budget, 6 unavailable, 7 needs confirmation.\n"
        "  serve [--port N] [--address 127.0.0.1] [--max-runs N]\n"
        "        Serve the HTTP API (POST/GET /api/code) on a loopback address.\n"
        "        Every request needs `Authorization: Bearer <token>`.\n"
        "  token       Print the HTTP API's bearer token (created on first use).\n"
        "  history [--json|--csv] [--limit N] [--outcome O] [--search TEXT]\n"
        "        Print or export the run history, newest first.\n"
        "  budget [--json]\n"
        "        Print this month's spending, reservations and budget state.\n"
        "  classify FILE [--language python|sql] [--json]\n"
        "        Print the safety verdict without running anything.\n"
        "        Exit codes: 0 safe, 3 dangerous, 7 ambiguous, 2 invalid input.\n"
        "  --version   Print the version.\n"
        "  --help      Print this help.\n");
}

} // namespace

bool isCliInvocation(int argc, char **argv)
{
    if (argc < 2)
        return false;
    for (const char *command : kCommands) {
        if (std::strcmp(argv[1], command) == 0)
            return true;
    }
    return false;
}

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
        out << usage();
        return 0;
    }
    arguments.removeAt(1); // the command; its parser sees the program name and its options
    if (command == QLatin1String("run"))
        return runCommand(arguments);
    if (command == QLatin1String("serve"))
        return serveCommand(arguments);
    if (command == QLatin1String("token"))
        return tokenCommand(arguments);
    if (command == QLatin1String("budget"))
        return budgetCommand(arguments);
    if (command == QLatin1String("history"))
        return historyCommand(arguments);
    if (command == QLatin1String("classify"))
        return classifyCommand(arguments);
    QTextStream(stderr) << usage();
    return 2;
}

} // namespace safecell::cli
