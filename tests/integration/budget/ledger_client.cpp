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
#include "budget/BudgetController.h"
#include "budget/SpendLedger.h"

#include <QCoreApplication>
#include <QRandomGenerator>

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

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 5 && args.at(1) == QLatin1String("contend"))
        return contend(args.at(2), args.at(3).toInt(), args.at(4).toUInt());
    if (args.size() == 5 && args.at(1) == QLatin1String("settle"))
        return settleMany(args.at(2), args.at(3).toInt(), args.at(4).toInt());
    std::fprintf(stderr, "usage: ledger_client contend PATH ATTEMPTS SEED | settle PATH FIRST COUNT\n");
    return 2;
}
