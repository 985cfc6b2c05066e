#include "BudgetSnapshotReader.h"

#include "BudgetRange.h"
#include "LedgerBreaches.h"
#include "SpendLedger.h"

namespace safecell {

Expected<ScopeSnapshot, LedgerError> BudgetSnapshotReader::readScope(ScopeLevel level, const QString &key,
                                                                     const BudgetPeriod &period, qint64 nowMs)
{
    const BudgetRange range = budgetRangeFor(level, period);
    auto settled = m_ledger.settled(level, key, range.fromMs, range.toMs);
    if (!settled)
        return unexpected(settled.error());
    auto reserved = m_ledger.reserved(level, key, nowMs);
    if (!reserved)
        return unexpected(reserved.error());
    auto onLapse = m_ledger.chargedOnLapse(level, key, range.fromMs, range.toMs);
    if (!onLapse)
        return unexpected(onLapse.error());
    // Lapsed and not charged yet (no writer has looked since): shown as the
    // spend it is, not as nothing.
    auto uncharged = m_ledger.lapsedUncharged(level, key, range.fromMs, std::min(range.toMs, nowMs + 1));
    if (!uncharged)
        return unexpected(uncharged.error());
    auto stopped = LedgerBreaches(m_ledger).count(level, key, range.fromMs, range.toMs);
    if (!stopped)
        return unexpected(stopped.error());
    auto holds = m_ledger.holdSpan(level, key, nowMs);
    if (!holds)
        return unexpected(holds.error());
    ScopeSnapshot s;
    s.level = level;
    s.key = key;
    s.spent = *settled + *uncharged;
    s.chargedOnLapse = *onLapse + *uncharged;
    s.reserved = *reserved;
    if (*holds) {
        s.firstHoldLapses = QDateTime::fromMSecsSinceEpoch((*holds)->firstExpiryMs, QTimeZone::utc());
        s.lastHoldLapses = QDateTime::fromMSecsSinceEpoch((*holds)->lastExpiryMs, QTimeZone::utc());
    }
    s.limit = m_policy.limit(level);
    s.breach = *stopped > 0;
    if (s.limit) {
        const Money usedNow = s.spent + s.reserved;
        s.remaining = s.breach ? Money() : hardCap(*s.limit, m_policy.thresholds) - usedNow;
        s.state = s.breach ? BudgetState::Stopped : budgetStateFor(usedNow, *s.limit, m_policy.thresholds);
        s.utilisation = s.limit->isZero() ? 1.0 : usedNow.usd() / s.limit->usd();
    }
    return s;
}

Expected<BudgetSnapshot, LedgerError> BudgetSnapshotReader::read(const BudgetScopes &scopes, const BudgetPeriod &period,
                                                                 qint64 nowMs)
{
    BudgetSnapshot snap;
    snap.periodStart = period.start;
    snap.periodEnd = period.end;
    auto done = m_ledger.readTransaction([&]() -> Expected<Done, LedgerError> {
        for (ScopeLevel level : kScopeLevels) {
            const QString key = scopes.key(level);
            if (key.isEmpty())
                continue;
            auto scope = readScope(level, key, period, nowMs);
            if (!scope)
                return unexpected(scope.error());
            snap.scopes << *scope;
        }
        return Done{};
    });
    if (!done)
        return unexpected(done.error());

    snap.decide();
    return snap;
}

} // namespace safecell
