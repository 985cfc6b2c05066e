// A second SafeCell process for the ledger's multi-process tests.
//
//   ledger_client contend PATH ATTEMPTS SEED
//       With a $1 org limit: ATTEMPTS times, reserve a random estimate and
//       settle a random actual at or below it. Prints
//       "done reserved=N refused=M settled_nanos=X".
//   ledger_client settle PATH FIRST COUNT
//       No limit: settle entries with keys crash-FIRST .. crash-(FIRST+COUNT-1)
//       and print "settled KEY NANOS" after each commit (the parent kills it
//       with SIGKILL somewhere in between).
//   ledger_client hold PATH NOW_MS SEED COUNT TAG ORG USER SESSION TASK
//       The property test's second process: with the clock fixed at NOW_MS
//       and those limits (nanodollars, 0: none), COUNT times hold a random
//       amount in scopes acme / TAG / TAG, printing "held ID NANOS", and
//       settle half of them at or below it ("settled KEY NANOS"), a
//       millisecond apart, so that a SIGKILL lands between any two.
#include "budget/BudgetController.h"
#include "budget/SpendLedger.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QThread>
#include <QTimeZone>

#include <cstdio>

using namespace safecell;

namespace {

int contend(const QString &path, int attempts, quint32 seed)
{
    auto ledger = SpendLedger::open(path);
    if (!ledger) {
        std::fprintf(stderr, "%s\n", qPrintable(ledger.error().message));
        return 1;
    }
    BudgetPolicy policy;
    policy.setLimit(ScopeLevel::Org, Money::fromNanos(1'000'000'000));
    BudgetController budget(**ledger, policy);
    QRandomGenerator random(seed);
    const BudgetScopes scopes = BudgetScopes::of(QStringLiteral("acme"), QStringLiteral("u%1").arg(seed));
    int reserved = 0;
    int refused = 0;
    qint64 settledNanos = 0;
    for (int i = 0; i < attempts; ++i) {
        const qint64 estimate = 2'000'000 + qint64(random.bounded(4'000'001)); // $0.002 .. $0.006
        auto r = budget.reserve(Money::fromNanos(estimate), scopes);
        if (!r) {
            if (r.error().kind != BudgetError::Kind::OverBudget) {
                std::fprintf(stderr, "%s\n", qPrintable(r.error().message));
                return 1;
            }
            ++refused;
            continue;
        }
        ++reserved;
        Charge actual;
        actual.kind = ChargeKind::Llm;
        actual.resource = QStringLiteral("contend");
        actual.cost = Money::fromNanos(estimate / 2 + qint64(random.bounded(int(estimate / 2 + 1))));
        auto settled = budget.settle(*r, actual);
        if (!settled) {
            std::fprintf(stderr, "%s\n", qPrintable(settled.error().message));
            return 1;
        }
        settledNanos += settled->entry.charge.cost.nanos();
    }
    std::printf("done reserved=%d refused=%d settled_nanos=%lld\n", reserved, refused, (long long)settledNanos);
    return 0;
}

int settleMany(const QString &path, int first, int count)
{
    auto ledger = SpendLedger::open(path);
    if (!ledger) {
        std::fprintf(stderr, "%s\n", qPrintable(ledger.error().message));
        return 1;
    }
    BudgetController budget(**ledger, BudgetPolicy{});
    const BudgetScopes scopes = BudgetScopes::of(QStringLiteral("acme"), QStringLiteral("crash"));
    std::printf("ready\n");
    std::fflush(stdout);
    for (int i = first; i < first + count; ++i) {
        const QString key = QStringLiteral("crash-%1").arg(i);
        auto r = budget.reserve(Money::fromNanos(1000 + i), scopes, QStringLiteral("run-crash"), key, key);
        if (!r)
            return 1;
        Charge actual;
        actual.kind = ChargeKind::Sandbox;
        actual.resource = QStringLiteral("e2b");
        actual.durationMs = i;
        actual.cost = Money::fromNanos(1000 + i);
        auto settled = budget.settle(*r, actual);
        if (!settled)
            return 1;
        std::printf("settled %s %lld\n", qPrintable(key), (long long)settled->entry.charge.cost.nanos());
        std::fflush(stdout);
    }
    return 0;
}

int holdMany(const QStringList &args)
{
    auto ledger = SpendLedger::open(args.at(2));
    if (!ledger) {
        std::fprintf(stderr, "%s\n", qPrintable(ledger.error().message));
        return 1;
    }
    ManualClock clock(QDateTime::fromMSecsSinceEpoch(args.at(3).toLongLong(), QTimeZone::utc()));
    QRandomGenerator random(args.at(4).toUInt());
    const int count = args.at(5).toInt();
    const QString tag = args.at(6);
    BudgetPolicy policy;
    for (ScopeLevel level : kScopeLevels) {
        const qint64 nanos = args.at(7 + int(level)).toLongLong();
        policy.setLimit(level, nanos > 0 ? std::optional(Money::fromNanos(nanos)) : std::nullopt);
    }
    BudgetController budget(**ledger, policy, clock);
    const BudgetScopes scopes = BudgetScopes::of(QStringLiteral("acme"), tag, tag);
    std::printf("ready\n");
    std::fflush(stdout);
    for (int i = 0; i < count; ++i) {
        const qint64 amount = 1 + qint64(random.bounded(200'000));
        auto held = budget.reserve(Money::fromNanos(amount), scopes, tag, QStringLiteral("hold-%1").arg(i));
        if (held) {
            std::printf("held %s %lld\n", qPrintable(held->id), (long long)amount);
            std::fflush(stdout);
            if (random.bounded(2) == 0) {
                Charge actual;
                actual.kind = ChargeKind::Llm;
                actual.resource = QStringLiteral("child");
                actual.cost = Money::fromNanos(qint64(random.bounded(int(amount + 1))));
                auto settled = budget.settle(*held, actual);
                if (!settled)
                    return 1;
                std::printf("settled %s %lld\n", qPrintable(settled->entry.idempotencyKey),
                            (long long)settled->entry.charge.cost.nanos());
                std::fflush(stdout);
            }
        } else if (held.error().kind != BudgetError::Kind::OverBudget) {
            std::fprintf(stderr, "%s\n", qPrintable(held.error().message));
            return 1;
        }
        QThread::msleep(1);
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 5 && args.at(1) == QLatin1String("contend"))
        return contend(args.at(2), args.at(3).toInt(), args.at(4).toUInt());
    if (args.size() == 5 && args.at(1) == QLatin1String("settle"))
        return settleMany(args.at(2), args.at(3).toInt(), args.at(4).toInt());
    if (args.size() == 11 && args.at(1) == QLatin1String("hold"))
        return holdMany(args);
    std::fprintf(stderr, "usage: ledger_client contend PATH ATTEMPTS SEED | settle PATH FIRST COUNT"
                         " | hold PATH NOW_MS SEED COUNT TAG ORG USER SESSION TASK\n");
    return 2;
}
