// The controller's threshold alerts, each once per scope and period, and
// its breach log (see BudgetController.h).
#include "BudgetController.h"

#include "BudgetRange.h"
#include "SpendLedger.h"

#include "common/Logging.h"

namespace safecell {

Expected<Done, LedgerError> BudgetController::recordAlerts(ScopeLevel level, const QString &key,
                                                           const BudgetPeriod &period, Money usedNow, Money limit,
                                                           qint64 nowMs, QList<BudgetAlert> &fired)
{
    const BudgetState reached = budgetStateFor(usedNow, limit, m_policy.thresholds);
    const BudgetRange range = budgetRangeFor(level, period);
    for (BudgetState state : {BudgetState::Warned, BudgetState::Degraded, BudgetState::Stopped}) {
        if (int(state) > int(reached))
            break;
        auto recorded = m_ledger.recordAlert(level, key, range.alertKeyMs, budgetStateName(state), nowMs);
        if (!recorded)
            return unexpected(recorded.error());
        if (*recorded) {
            fired << BudgetAlert{level, key, state, isPeriodic(level) ? period.start : QDateTime(), usedNow, limit};
        }
    }
    return Done{};
}

Expected<Done, LedgerError> BudgetController::checkAlerts(const BudgetScopes &scopes, const BudgetPeriod &period,
                                                          qint64 nowMs, QList<BudgetAlert> &fired)
{
    for (ScopeLevel level : kScopeLevels) {
        const QString key = scopes.key(level);
        const auto limit = localLimit(level);
        if (key.isEmpty() || !limit)
            continue;
        auto usedNow = used(level, key, period, nowMs);
        if (!usedNow)
            return unexpected(usedNow.error());
        if (auto done = recordAlerts(level, key, period, *usedNow, *limit, nowMs, fired); !done)
            return done;
    }
    return Done{};
}

void BudgetController::emitAlerts(const QList<BudgetAlert> &alerts)
{
    for (const BudgetAlert &alert : alerts) {
        qCInfo(lcBudget).noquote() << "budget" << scopeLevelName(alert.level) << alert.scopeKey << "reached"
                                   << budgetStateName(alert.state) << alert.used.toString() << "of"
                                   << alert.limit.toString();
        Q_EMIT thresholdReached(alert);
    }
}

Expected<Done, LedgerError> BudgetController::afterCharge(const SettleResult &result, const BudgetPeriod &period,
                                                          qint64 nowMs, QList<BudgetAlert> &fired)
{
    const LedgerEntry &entry = result.entry;
    if (result.alreadySettled || entry.charge.cost.isZero())
        return Done{};
    if (auto checked = checkAlerts(entry.scopes, period, nowMs, fired); !checked)
        return checked;
    if (result.breach) {
        // Stopped at once: said once per period, like any threshold.
        for (ScopeLevel level : kScopeLevels) {
            const QString key = entry.scopes.key(level);
            const auto limit = localLimit(level);
            if (key.isEmpty() || !limit)
                continue;
            auto recorded = m_ledger.recordAlert(level, key, budgetRangeFor(level, period).alertKeyMs,
                                                 budgetStateName(BudgetState::Stopped), nowMs);
            if (!recorded)
                return unexpected(recorded.error());
            auto usedNow = used(level, key, period, nowMs);
            if (!usedNow)
                return unexpected(usedNow.error());
            if (*recorded)
                fired << BudgetAlert{level,
                                     key,
                                     BudgetState::Stopped,
                                     isPeriodic(level) ? period.start : QDateTime(),
                                     *usedNow,
                                     *limit};
        }
    }
    return Done{};
}

void BudgetController::logBreach(const SettleResult &result) const
{
    const LedgerEntry &e = result.entry;
    qCCritical(lcBudget).noquote() << "budget invariant breach:" << e.step << "of run" << e.runId << "settled"
                                   << e.charge.cost.toString() << "but only" << e.reserved.toString()
                                   << "was held; its scopes are stopped for their period";
}

} // namespace safecell
