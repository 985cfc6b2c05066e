// A whole desktop's budget on a team (issue 21), for the tests that run many
// at once: its own local ledger file and a BudgetController with the team
// server in its policy, the path every paid step of the window, `run` and
// `serve` takes. `count` paid steps of 1 to 5 cents, each settled to half or
// more of what it held. Prints "granted G refused R unavailable U" and the
// settles its outbox still holds ("queued Q") when done.
#include "budget/BudgetController.h"
#include "budget/SpendLedger.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRandomGenerator>

#include <cstdio>

using namespace safecell;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption urlOption(QStringLiteral("url"), QStringLiteral("team server"), QStringLiteral("url"));
    const QCommandLineOption ledgerOption(QStringLiteral("ledger"), QStringLiteral("local ledger"),
                                          QStringLiteral("path"));
    const QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("paid steps"), QStringLiteral("n"));
    parser.addOptions({urlOption, ledgerOption, countOption});
    parser.process(app);

    auto server = TeamServer::fromUrl(parser.value(urlOption));
    auto ledger = SpendLedger::open(parser.value(ledgerOption));
    if (!server || !ledger) {
        std::fprintf(stderr, "team_desktop: %s\n", qPrintable(!server ? server.error() : ledger.error().message));
        return 2;
    }
    BudgetPolicy policy;
    policy.team = *server;
    BudgetController budget(**ledger, policy);
    const BudgetScopes scopes = BudgetScopes::of(QStringLiteral("acme"), server->user, QStringLiteral("session"));
    int granted = 0, refused = 0, unavailable = 0;
    for (int n = 0, count = parser.value(countOption).toInt(); n < count; ++n) {
        const Money amount = Money::fromNanos(QRandomGenerator::global()->bounded(1, 6) * 10'000'000LL);
        auto hold = budget.reserve(amount, scopes, QStringLiteral("run-%1").arg(n), QStringLiteral("chat"));
        if (!hold) {
            if (hold.error().kind == BudgetError::Kind::OverBudget) {
                ++refused;
            } else {
                ++unavailable;
                std::fprintf(stderr, "team_desktop: %s\n", qPrintable(hold.error().message));
            }
            continue;
        }
        ++granted;
        Charge charge;
        charge.kind = ChargeKind::Llm;
        charge.resource = QStringLiteral("command-r");
        charge.cost = Money::fromNanos(amount.nanos() / 100 * QRandomGenerator::global()->bounded(50, 101));
        if (!budget.settle(*hold, charge)) {
            std::fprintf(stderr, "team_desktop: the local settle failed\n");
            return 3;
        }
    }
    const auto queued = (*ledger)->queuedTeamCallCount(server->describe());
    std::printf("granted %d refused %d unavailable %d queued %lld\n", granted, refused, unavailable,
                static_cast<long long>(queued ? *queued : -1));
    return 0;
}
