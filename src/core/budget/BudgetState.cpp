#include "BudgetState.h"

#include <cmath>
#include <limits>

namespace safecell {

namespace {
__extension__ typedef __int128 Wide;
constexpr qint64 kMillion = 1'000'000;
} // namespace

QString budgetStateName(BudgetState state)
{
    switch (state) {
    case BudgetState::Active:
        return QStringLiteral("active");
    case BudgetState::Warned:
        return QStringLiteral("warned");
    case BudgetState::Degraded:
        return QStringLiteral("degraded");
    case BudgetState::Stopped:
        return QStringLiteral("stopped");
    }
    Q_UNREACHABLE();
}

std::optional<BudgetState> budgetStateFromName(const QString &name)
{
    for (BudgetState s : {BudgetState::Active, BudgetState::Warned, BudgetState::Degraded, BudgetState::Stopped}) {
        if (budgetStateName(s) == name)
            return s;
    }
    return std::nullopt;
}

QString budgetStateWireName(BudgetState state)
{
    switch (state) {
    case BudgetState::Active:
        return QStringLiteral("Active");
    case BudgetState::Warned:
        return QStringLiteral("Warned");
    case BudgetState::Degraded:
        return QStringLiteral("Degraded");
    case BudgetState::Stopped:
        return QStringLiteral("Stopped");
    }
    Q_UNREACHABLE();
}

std::optional<BudgetThresholds> BudgetThresholds::fromFractions(double warn, double degrade, double stop)
{
    for (double f : {warn, degrade, stop}) {
        if (!std::isfinite(f) || f <= 0 || f > 1000)
            return std::nullopt;
    }
    BudgetThresholds t{std::llround(warn * kMillion), std::llround(degrade * kMillion), std::llround(stop * kMillion)};
    if (!(t.warnPpm <= t.degradePpm && t.degradePpm <= t.stopPpm))
        return std::nullopt;
    return t;
}

qint64 BudgetThresholds::ppm(BudgetState state) const
{
    switch (state) {
    case BudgetState::Active:
        return 0;
    case BudgetState::Warned:
        return warnPpm;
    case BudgetState::Degraded:
        return degradePpm;
    case BudgetState::Stopped:
        return stopPpm;
    }
    Q_UNREACHABLE();
}

bool reachesFraction(Money used, Money limit, qint64 ppm)
{
    return Wide(used.nanos()) * kMillion >= Wide(limit.nanos()) * ppm;
}

BudgetState budgetStateFor(Money used, Money limit, const BudgetThresholds &thresholds)
{
    if (reachesFraction(used, limit, thresholds.stopPpm))
        return BudgetState::Stopped;
    if (reachesFraction(used, limit, thresholds.degradePpm))
        return BudgetState::Degraded;
    if (reachesFraction(used, limit, thresholds.warnPpm))
        return BudgetState::Warned;
    return BudgetState::Active;
}

Money hardCap(Money limit, const BudgetThresholds &thresholds)
{
    // floor(limit x stop): the cap never rounds up past the threshold.
    const Wide cap = Wide(limit.nanos()) * thresholds.stopPpm / kMillion;
    return Money::fromNanos(cap > Wide(std::numeric_limits<qint64>::max()) ? std::numeric_limits<qint64>::max()
                                                                           : qint64(cap));
}

} // namespace safecell
