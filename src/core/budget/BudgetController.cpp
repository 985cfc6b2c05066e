#include "BudgetController.h"

#include "SpendLedger.h"

#include "common/Logging.h"

#include <QUuid>

#include <limits>

namespace safecell {

namespace {
BudgetError storageError(const LedgerError &e)
{
    qCWarning(lcBudget) << e.message;
    return BudgetError{BudgetError::Kind::Storage, {}, e.message};
}
} // namespace

BudgetController::BudgetController(SpendLedger &ledger, BudgetPolicy policy, const Clock &clock, QObject *parent)
    : QObject(parent), m_ledger(ledger), m_policy(std::move(policy)), m_clock(clock)
{
    qRegisterMetaType<safecell::BudgetAlert>();
}

BudgetPeriod BudgetController::currentPeriod() const
{
    return BudgetPeriod::containing(m_clock.nowUtc(), m_clock.timeZone(), m_policy.periodFirstDay);
}

BudgetController::Range BudgetController::rangeFor(ScopeLevel level, const BudgetPeriod &period) const
{
    if (isPeriodic(level)) {
        const qint64 start = period.start.toMSecsSinceEpoch();
        return {start, period.end.toMSecsSinceEpoch(), start};
    }
    return {std::numeric_limits<qint64>::min() / 2, std::numeric_limits<qint64>::max(), 0};
}

Expected<Money, LedgerError> BudgetController::used(ScopeLevel level, const QString &key, const BudgetPeriod &period,
                                                    qint64 nowMs)
{
    const Range range = rangeFor(level, period);
    auto settled = m_ledger.settled(level, key, range.fromMs, range.toMs);
    if (!settled)
        return settled;
    auto reserved = m_ledger.reserved(level, key, nowMs);
    if (!reserved)
        return reserved;
    return *settled + *reserved;
}

Expected<Done, LedgerError> BudgetController::recordAlerts(ScopeLevel level, const QString &key,
                                                           const BudgetPeriod &period, Money usedNow, Money limit,
                                                           qint64 nowMs, QList<BudgetAlert> &fired)
{
    const BudgetState reached = budgetStateFor(usedNow, limit, m_policy.thresholds);
    const Range range = rangeFor(level, period);
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
        const auto limit = m_policy.limit(level);
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

Expected<Reservation, BudgetError> BudgetController::reserve(Money estimate, const BudgetScopes &scopes,
                                                             const QString &runId, const QString &step,
                                                             const QString &idempotencyKey)
{
    const QDateTime now = m_clock.nowUtc();
    Reservation reservation;
    reservation.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    reservation.idempotencyKey = !idempotencyKey.isEmpty() ? idempotencyKey
        : (!runId.isEmpty() && !step.isEmpty())             ? runId + QLatin1Char('/') + step
                                                            : reservation.id;
    reservation.runId = runId;
    reservation.step = step;
    reservation.scopes = scopes;
    reservation.amount = estimate;
    reservation.created = now;
    reservation.expires = now.addMSecs(m_policy.reservationTtlMs);
    if (estimate.isZero())
        return reservation; // free steps are never blocked and hold nothing

    const qint64 nowMs = now.toMSecsSinceEpoch();
    const BudgetPeriod period = currentPeriod();
    std::optional<OverBudget> refused;
    QList<BudgetAlert> fired;
    auto done = m_ledger.writeTransaction([&]() -> Expected<Done, LedgerError> {
        if (auto purged = m_ledger.purgeExpiredReservations(nowMs); !purged)
            return unexpected(purged.error());
        struct Checked {
            ScopeLevel level;
            Money after;
            Money limit;
        };
        QList<Checked> checked;
        for (ScopeLevel level : kScopeLevels) {
            const QString key = scopes.key(level);
            const auto limit = m_policy.limit(level);
            if (key.isEmpty() || !limit)
                continue;
            auto usedNow = used(level, key, period, nowMs);
            if (!usedNow)
                return unexpected(usedNow.error());
            const Money cap = hardCap(*limit, m_policy.thresholds);
            const Money after = *usedNow + estimate;
            if (after > cap) {
                const Money remaining = cap - *usedNow;
                if (!refused || remaining < refused->remaining)
                    refused = OverBudget{remaining, level, key};
            }
            checked << Checked{level, after, *limit};
        }
        if (refused)
            return Done{}; // commits only the purge of lapsed holds
        if (auto inserted = m_ledger.insertReservation(reservation); !inserted)
            return inserted;
        for (const Checked &c : checked) {
            if (auto recorded = recordAlerts(c.level, scopes.key(c.level), period, c.after, c.limit, nowMs, fired);
                !recorded)
                return recorded;
        }
        return Done{};
    }, SpendLedger::Durability::UntilNextFullCommit);
    if (!done)
        return unexpected(storageError(done.error()));
    if (refused) {
        qCDebug(lcBudget).noquote() << "reservation of" << estimate.toString() << "refused:"
                                   << scopeLevelName(refused->scope) << "has" << refused->remaining.toString()
                                   << "left";
        return unexpected(BudgetError{BudgetError::Kind::OverBudget, *refused,
                                      QStringLiteral("over budget: the %1 budget has %2 left")
                                          .arg(scopeLevelName(refused->scope), refused->remaining.toString())});
    }
    emitAlerts(fired);
    return reservation;
}

Expected<SettleResult, BudgetError> BudgetController::settle(const Reservation &reservation, const Charge &actual)
{
    const QDateTime now = m_clock.nowUtc();
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const BudgetPeriod period = currentPeriod();
    LedgerEntry entry;
    entry.idempotencyKey = reservation.idempotencyKey.isEmpty() ? reservation.id : reservation.idempotencyKey;
    entry.runId = reservation.runId;
    entry.step = reservation.step;
    entry.scopes = reservation.scopes;
    entry.charge = actual;
    entry.charge.inputTokens = std::max<qint64>(0, actual.inputTokens);
    entry.charge.outputTokens = std::max<qint64>(0, actual.outputTokens);
    entry.charge.durationMs = std::max<qint64>(0, actual.durationMs);
    entry.reserved = reservation.amount;
    entry.time = now;

    SettleResult result;
    QList<BudgetAlert> fired;
    auto done = m_ledger.writeTransaction([&]() -> Expected<Done, LedgerError> {
        auto inserted = m_ledger.insertEntry(entry);
        if (!inserted)
            return unexpected(inserted.error());
        result.entry = inserted->entry;
        result.alreadySettled = !inserted->inserted;
        if (auto deleted = m_ledger.deleteReservation(reservation.id); !deleted)
            return unexpected(deleted.error());
        if (result.alreadySettled || entry.charge.cost.isZero())
            return Done{};
        return checkAlerts(reservation.scopes, period, nowMs, fired);
    });
    if (!done)
        return unexpected(storageError(done.error()));
    emitAlerts(fired);
    return result;
}

Expected<bool, BudgetError> BudgetController::release(const Reservation &reservation)
{
    if (reservation.amount.isZero())
        return false;
    bool released = false;
    auto done = m_ledger.writeTransaction([&]() -> Expected<Done, LedgerError> {
        auto deleted = m_ledger.deleteReservation(reservation.id);
        if (!deleted)
            return unexpected(deleted.error());
        released = *deleted;
        return Done{};
    }, SpendLedger::Durability::UntilNextFullCommit);
    if (!done)
        return unexpected(storageError(done.error()));
    return released;
}

Expected<BudgetSnapshot, BudgetError> BudgetController::snapshot(const BudgetScopes &scopes)
{
    const qint64 nowMs = m_clock.nowUtc().toMSecsSinceEpoch();
    const BudgetPeriod period = currentPeriod();
    BudgetSnapshot snap;
    snap.periodStart = period.start;
    snap.periodEnd = period.end;
    auto done = m_ledger.readTransaction([&]() -> Expected<Done, LedgerError> {
        for (ScopeLevel level : kScopeLevels) {
            const QString key = scopes.key(level);
            if (key.isEmpty())
                continue;
            const Range range = rangeFor(level, period);
            auto settled = m_ledger.settled(level, key, range.fromMs, range.toMs);
            if (!settled)
                return unexpected(settled.error());
            auto reserved = m_ledger.reserved(level, key, nowMs);
            if (!reserved)
                return unexpected(reserved.error());
            auto holds = m_ledger.holdSpan(level, key, nowMs);
            if (!holds)
                return unexpected(holds.error());
            ScopeSnapshot s;
            s.level = level;
            s.key = key;
            s.spent = *settled;
            s.reserved = *reserved;
            if (*holds) {
                s.firstHoldLapses = QDateTime::fromMSecsSinceEpoch((*holds)->firstExpiryMs, QTimeZone::utc());
                s.lastHoldLapses = QDateTime::fromMSecsSinceEpoch((*holds)->lastExpiryMs, QTimeZone::utc());
            }
            s.limit = m_policy.limit(level);
            if (s.limit) {
                const Money usedNow = s.spent + s.reserved;
                s.remaining = hardCap(*s.limit, m_policy.thresholds) - usedNow;
                s.state = budgetStateFor(usedNow, *s.limit, m_policy.thresholds);
                s.utilisation = s.limit->isZero() ? 1.0 : usedNow.usd() / s.limit->usd();
            }
            snap.scopes << s;
        }
        return Done{};
    });
    if (!done)
        return unexpected(storageError(done.error()));

    const ScopeSnapshot *deciding = nullptr;
    for (const ScopeSnapshot &s : std::as_const(snap.scopes)) {
        if (!s.limit)
            continue;
        if (!deciding || int(s.state) > int(deciding->state)
            || (s.state == deciding->state && s.utilisation > deciding->utilisation))
            deciding = &s;
    }
    if (!deciding && !snap.scopes.isEmpty())
        deciding = &snap.scopes.constFirst();
    for (const ScopeSnapshot &s : std::as_const(snap.scopes)) {
        if (s.firstHoldLapses.isValid() && (!snap.nextHoldLapse.isValid() || s.firstHoldLapses < snap.nextHoldLapse))
            snap.nextHoldLapse = s.firstHoldLapses;
    }
    if (deciding) {
        snap.heldUntil = deciding->lastHoldLapses;
        snap.spent = deciding->spent;
        snap.reserved = deciding->reserved;
        snap.limit = deciding->limit;
        snap.remaining = deciding->remaining;
        snap.state = deciding->state;
        snap.decidingScope = deciding->level;
    }
    return snap;
}

} // namespace safecell
