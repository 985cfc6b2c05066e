// A desktop spending on the team ledger, for the tests that run several at
// once (issue 21): `count` reservations of 1 to 5 cents, each settled to
// half or more of what it held. A call that finds the server unreachable
// is retried with the same key until `--patience` runs out, as a desktop's
// would be; keys are `<prefix>-<n>`, so a rerun cannot double anything.
// Prints "granted G refused R settled S" when done.
#include "budget/TeamLedger.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QThread>

#include <cstdio>

using namespace safecell;

namespace {

template <class Call>
auto patiently(Call call, qint64 patienceMs) -> decltype(call())
{
    QElapsedTimer waited;
    waited.start();
    for (;;) {
        auto result = call();
        if (result || result.error().kind != TeamError::Kind::Unreachable || waited.elapsed() > patienceMs)
            return result;
        QThread::msleep(100);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption urlOption(QStringLiteral("url"), QStringLiteral("team server"), QStringLiteral("url"));
    const QCommandLineOption countOption(QStringLiteral("count"), QStringLiteral("reservations"), QStringLiteral("n"));
    const QCommandLineOption prefixOption(QStringLiteral("prefix"), QStringLiteral("key prefix"), QStringLiteral("p"));
    const QCommandLineOption ttlOption(QStringLiteral("ttl"), QStringLiteral("hold seconds"), QStringLiteral("s"),
                                       QStringLiteral("60"));
    const QCommandLineOption patienceOption(QStringLiteral("patience"), QStringLiteral("ms"), QStringLiteral("ms"),
                                            QStringLiteral("30000"));
    parser.addOptions({urlOption, countOption, prefixOption, ttlOption, patienceOption});
    parser.process(app);

    auto server = TeamServer::fromUrl(parser.value(urlOption));
    if (!server) {
        std::fprintf(stderr, "team_client: %s\n", qPrintable(server.error()));
        return 2;
    }
    const qint64 patience = parser.value(patienceOption).toLongLong();
    auto ledger = patiently([&] { return TeamLedger::open(*server); }, patience);
    if (!ledger) {
        std::fprintf(stderr, "team_client: %s\n", qPrintable(ledger.error().message));
        return 3;
    }
    const int count = parser.value(countOption).toInt();
    int granted = 0, refused = 0, settled = 0;
    for (int n = 0; n < count; ++n) {
        const QString key = parser.value(prefixOption) + QLatin1Char('-') + QString::number(n);
        TeamHoldRequest request;
        request.idempotencyKey = key;
        request.runId = key;
        request.step = QStringLiteral("chat");
        request.kind = ChargeKind::Llm;
        request.resource = QStringLiteral("command-r");
        request.amount = Money::fromNanos(QRandomGenerator::global()->bounded(1, 6) * 10'000'000LL);
        request.ttlSeconds = parser.value(ttlOption).toInt();
        auto reservation = patiently([&] { return (*ledger)->reserve(request); }, patience);
        if (!reservation) {
            std::fprintf(stderr, "team_client: reserve: %s\n", qPrintable(reservation.error().message));
            return 4;
        }
        if (!reservation->hold) {
            ++refused;
            continue;
        }
        ++granted;
        const Money cost = Money::fromNanos(request.amount.nanos() / 100
                                            * QRandomGenerator::global()->bounded(50, 101));
        auto settlement = patiently([&] { return (*ledger)->settle(reservation->hold->id, key, cost); }, patience);
        if (!settlement) {
            std::fprintf(stderr, "team_client: settle: %s\n", qPrintable(settlement.error().message));
            return 5;
        }
        if (settlement->outcome == TeamSettlement::Outcome::Settled
            || settlement->outcome == TeamSettlement::Outcome::AlreadySettled)
            ++settled;
        std::printf("settled %s\n", qPrintable(key));
        std::fflush(stdout);
    }
    std::printf("granted %d refused %d settled %d\n", granted, refused, settled);
    return 0;
}
