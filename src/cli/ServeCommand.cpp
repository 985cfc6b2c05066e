#include "ServeCommand.h"

#include "CommandLine.h"

#include "ApiTokenLoader.h"
#include "SignalBridge.h"
#include "api/ApiServer.h"
#include "api/BudgetProvider.h"
#include "budget/BudgetPolicy.h"
#include "pipeline/RunWorkerConfig.h"
#include "sandbox/SandboxLimits.h"
#include "settings/Settings.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

namespace safecell::cli {

int serveCommand(const QStringList &arguments)
{
    // The options and their defaults are the table's (CommandSpec.cpp).
    const QString portOption = QStringLiteral("port");
    const QString addressOption = QStringLiteral("address");
    const QString maxRunsOption = QStringLiteral("max-runs");
    QCommandLineParser parser;
    if (const auto done = parseArguments(parser, arguments, u"serve"))
        return *done;
    Settings settings;
    bool portOk = true;
    const uint port = parser.isSet(portOption) ? parser.value(portOption).toUInt(&portOk)
                                               : static_cast<uint>(settings.integer(Setting::ApiPort));
    bool maxOk = false;
    const int maxRuns = parser.value(maxRunsOption).toInt(&maxOk);
    bool warmOk = false;
    const int warm = parser.value(QStringLiteral("warm")).toInt(&warmOk);
    bool sessionsOk = false;
    const int maxSessions = parser.value(QStringLiteral("max-sessions")).toInt(&sessionsOk);
    bool idleOk = false;
    const qint64 idleS = parser.value(QStringLiteral("session-idle-s")).toLongLong(&idleOk);
    const QHostAddress address(parser.value(addressOption));
    if (!portOk || port > 65535 || !maxOk || maxRuns < 1 || address.isNull()) {
        writeErr(QStringLiteral("serve: --port must be 0-65535, --max-runs at least 1, --address an IP address\n"));
        return kExitInvalid;
    }
    if (!warmOk || warm < 0 || !sessionsOk || maxSessions < 0 || !idleOk || idleS < 1 || idleS > 7 * 24 * 3600) {
        writeErr(QStringLiteral("serve: --warm and --max-sessions must be 0 or more, --session-idle-s 1 to 604800\n"));
        return kExitInvalid;
    }
    if (!address.isLoopback()) {
        writeErr(QStringLiteral(
                     "serve: refusing to listen on %1: the API only listens on a loopback address such as 127.0.0.1\n")
                     .arg(address.toString()));
        return kExitInvalid;
    }

    KeyStore keys;
    std::unique_ptr<api::ApiServer> server;
    loadOrCreateApiToken(keys, qApp, [&](KeyResult token) {
        if (!token) {
            writeErr(QStringLiteral("serve: cannot get the API token: %1\n").arg(token.error().message));
            QCoreApplication::exit(kExitUnavailable);
            return;
        }
        const QString apiToken = *token;
        lookupRunKeys(keys, qApp, [&, apiToken](const RunKeys &runKeys) {
            if (const auto problem = runKeys.keychainProblem())
                writeErr(QStringLiteral("serve: %1 Serving without the stored Cohere and E2B keys: the local "
                                        "sandbox, and no LLM second opinion.\n")
                             .arg(problem->message));
            const QString &e2bKey = runKeys.e2b.value;
            api::ApiServerConfig config;
            config.token = apiToken;
            config.maxRunsInFlight = maxRuns;
            config.warmKernels = warm;
            config.maxSessions = maxSessions;
            config.sessionIdleTimeoutMs = idleS * 1000;
            config.worker = RunWorkerConfig::fromSettings(settings, runKeys);
            // The runs' policy, with the keychain's team password: GET /api/code reads the same figures.
            const BudgetPolicy policy = config.worker.budgetPolicy;
            server = std::make_unique<api::ApiServer>(std::move(config));
            server->setBudgetProvider(api::ledgerBudgetProvider(policy));
            const auto bound = server->listenLocal(address, static_cast<quint16>(port));
            if (!bound) {
                writeErr(QStringLiteral("serve: %1\n").arg(bound.error()));
                QCoreApplication::exit(kExitUnavailable);
                return;
            }
            QTextStream out(stdout);
            out << "SafeCell API listening on http://" << address.toString() << ':' << *bound << "/api/code"
                << (e2bKey.isEmpty() ? " (local sandbox)" : " (E2B sandbox)") << Qt::endl;
        });
    });
    onTerminationSignal(qApp, [] { QCoreApplication::exit(0); });
    const int code = QCoreApplication::exec();
    server.reset();
    return code;
}

int tokenCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    if (const auto done = parseArguments(parser, arguments, u"token"))
        return *done;
    KeyStore keys;
    int code = 0;
    loadOrCreateApiToken(keys, qApp, [&code](KeyResult token) {
        if (!token) {
            writeErr(QStringLiteral("token: %1\n").arg(token.error().message));
            code = kExitUnavailable;
        } else {
            QTextStream(stdout) << *token << Qt::endl;
        }
        QCoreApplication::exit(code);
    });
    QCoreApplication::exec();
    return code;
}

} // namespace safecell::cli
