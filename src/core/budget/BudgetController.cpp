#include "BudgetController.h"

#include "BudgetRange.h"
#include "BudgetSnapshotReader.h"
#include "SpendLedger.h"
#include "TeamBudget.h"

#include "common/Logging.h"

#include <QUuid>

namespace safecell {

namespace {
BudgetError storageError(const LedgerError &e)
{
    qCWarning(lcBudget) << e.message;
    return BudgetError{BudgetError::Kind::Storage, {}, e.message};
}
} // namespace

BudgetController::BudgetController(SpendLedger &ledger, BudgetPolicy policy, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_ledger(ledger)
    , m_breaches(ledger)
    , m_clock(clock)
{
    qRegisterMetaType<safecell::BudgetAlert>();
    setPolicy(policy);
}

BudgetController::~BudgetController() = default;

BudgetPeriod BudgetController::currentPeriod() const
{
    return BudgetPeriod::containing(m_clock.nowUtc(), m_clock.timeZone(), m_policy.periodFirstDay);
}

Expected<Money, LedgerError> BudgetController::used(ScopeLevel level, const QString &key, const BudgetPeriod &period,
                                                    qint64 nowMs)
{
    const BudgetRange range = budgetRangeFor(level, period);
    auto settled = m_ledger.settled(level, key, range.fromMs, range.toMs);
    if (!settled)
        return settled;
    auto reserved = m_ledger.reserved(level, key, nowMs);
    if (!reserved)
        return reserved;
    return *settled + *reserved;
}

Expected<bool, LedgerError> BudgetController::breached(ScopeLevel level, const QString &key, const BudgetPeriod &period)
{
    const BudgetRange range = budgetRangeFor(level, period);
    auto count = m_breaches.count(level, key, range.fromMs, range.toMs);
    if (!count)
        return unexpected(count.error());
    return *count > 0;
}

Expected<QList<BudgetController::Checked>, LedgerError>
BudgetController::check(const Reservation &hold, const Counted &counted, const BudgetPeriod &period, qint64 nowMs,
                        std::optional<OverBudget> &refused)
{
    QList<Checked> checked;
    for (ScopeLevel level : kScopeLevels) {
        const QString key = hold.scopes.key(level);
        const auto limit = localLimit(level);
        if (key.isEmpty() || !limit)
            continue;
        auto usedNow = used(level, key, period, nowMs);
        if (!usedNow)
            return unexpected(usedNow.error());
        // A hold being re-sized is already part of what the scope uses.
        const Money already = counted[size_t(level)];
        const Money others = *usedNow - already;
        const Money after = others + hold.amount;
        checked << Checked{level, after, *limit};
        if (hold.amount <= already)
            continue; // no new money in this scope: never refused
        auto stopped = breached(level, key, period);
        if (!stopped)
            return unexpected(stopped.error());
        const Money cap = hardCap(*limit, m_policy.thresholds);
        if (!*stopped && after <= cap)
            continue;
        const Money remaining = *stopped ? Money() : cap - others;
        if (!refused || remaining < refused->remaining)
            refused = OverBudget{remaining, level, key};
    }
    return checked;
}

Money BudgetController::Standing::held() const
{
    if (live)
        return live->amount;
    return lapse ? lapse->charge.cost : Money();
}

Expected<BudgetController::Standing, LedgerError> BudgetController::standing(const QString &id, qint64 nowMs)
{
    if (auto charged = m_ledger.chargeLapsedReservations(nowMs); !charged)
        return unexpected(charged.error());
    Standing s;
    auto found = m_ledger.findReservation(id);
    if (!found)
        return unexpected(found.error());
    s.live = *found; // every row left is live: the lapsed ones were just charged
    if (s.live)
        return s;
    auto lapse = m_ledger.lapseCharge(id);
    if (!lapse)
        return unexpected(lapse.error());
    s.lapse = *lapse;
    return s;
}

BudgetController::Counted BudgetController::counted(const Reservation &hold, const std::optional<Reservation> &current,
                                                    const std::optional<LedgerEntry> &lapse,
                                                    const BudgetPeriod &period) const
{
    Counted counted{};
    for (ScopeLevel level : kScopeLevels) {
        const QString key = hold.scopes.key(level);
        if (key.isEmpty())
            continue;
        if (current && current->scopes.key(level) == key) {
            counted[size_t(level)] = current->amount;
        } else if (!current && lapse && lapse->scopes.key(level) == key) {
            const BudgetRange range = budgetRangeFor(level, period);
            const qint64 at = lapse->time.toMSecsSinceEpoch();
            if (at >= range.fromMs && at < range.toMs)
                counted[size_t(level)] = lapse->charge.cost;
        }
    }
    return counted;
}

Expected<Reservation, BudgetError> BudgetController::store(const Reservation &hold, bool replacing)
{
    const qint64 nowMs = m_clock.nowUtc().toMSecsSinceEpoch();
    const BudgetPeriod period = currentPeriod();
    std::optional<OverBudget> refused;
    QList<BudgetAlert> fired;
    auto done = m_ledger.writeTransaction(
        [&]() -> Expected<Done, LedgerError> {
            Standing current;
            if (replacing) {
                auto found = standing(hold.id, nowMs);
                if (!found)
                    return unexpected(found.error());
                current = *found;
            } else if (auto charged = m_ledger.chargeLapsedReservations(nowMs); !charged) {
                return unexpected(charged.error());
            }
            auto checked = check(hold, counted(hold, current.live, current.lapse, period), period, nowMs, refused);
            if (!checked)
                return unexpected(checked.error());
            if (refused)
                return Done{}; // commits only the charges of lapsed holds
            // Held again: the hold stands for that money in place of its charge on lapse.
            if (current.lapse) {
                if (auto lowered = m_ledger.lowerLapseCharge(*current.lapse, current.lapse->charge.cost); !lowered)
                    return lowered;
            }
            auto stored = current.live ? m_ledger.updateReservation(hold) : m_ledger.insertReservation(hold);
            if (!stored)
                return stored;
            for (const Checked &c : std::as_const(*checked)) {
                if (auto recorded = recordAlerts(c.level, hold.scopes.key(c.level), period, c.after, c.limit, nowMs,
                                                 fired);
                    !recorded)
                    return recorded;
            }
            return Done{};
            // Synced before the paid step starts: a hold lost with the machine
            // (a power cut) would never be charged, while the provider may bill
            // what it covered (an E2B sandbox outlives us until its timeout).
        },
        SpendLedger::Durability::Full);
    if (!done)
        return unexpected(storageError(done.error()));
    if (refused) {
        qCDebug(lcBudget).noquote() << "holding" << hold.amount.toString()
                                    << "refused:" << scopeLevelName(refused->scope) << "has"
                                    << refused->remaining.toString() << "left";
        return unexpected(BudgetError{BudgetError::Kind::OverBudget, *refused,
                                      QStringLiteral("over budget: the %1 budget has %2 left")
                                          .arg(scopeLevelName(refused->scope), refused->remaining.toString())});
    }
    emitAlerts(fired);
    return hold;
}

Expected<Reservation, BudgetError> BudgetController::reserve(Money estimate, const BudgetScopes &scopes,
                                                             const QString &runId, const QString &step,
                                                             const QString &idempotencyKey, qint64 holdMs,
                                                             ChargeKind kind, const QString &resource)
{
    const QDateTime now = m_clock.nowUtc();
    Reservation reservation;
    reservation.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    reservation.idempotencyKey = !idempotencyKey.isEmpty()               ? idempotencyKey
                                 : (!runId.isEmpty() && !step.isEmpty()) ? runId + QLatin1Char('/') + step
                                                                         : reservation.id;
    reservation.runId = runId;
    reservation.step = step;
    reservation.scopes = scopes;
    reservation.amount = estimate;
    reservation.created = now;
    reservation.expires = now.addMSecs(holdMs > 0 ? holdMs : m_policy.reservationTtlMs);
    reservation.kind = kind;
    reservation.resource = resource;
    if (estimate.isZero())
        return reservation; // free steps are never blocked and hold nothing
    if (auto refused = teamRefusal())
        return unexpected(*refused);
    if (m_team) {
        // The team's limits first: a hold the server grants and the local
        // scopes then refuse is given back at once.
        if (auto held = m_team->reserve(reservation); !held)
            return unexpected(teamError(held.error(), m_team->server()));
    }
    auto stored = store(reservation, false);
    if (!stored && m_team) {
        if (auto queued = m_team->queueRelease(reservation); !queued)
            qCWarning(lcBudget).noquote() << "a team hold not recorded here cannot be given back; the server "
                                          << "charges it in full when it lapses:" << queued.error().message;
        m_team->deliverQueued();
    }
    return stored;
}

Expected<Reservation, BudgetError> BudgetController::adjust(const Reservation &hold, const BudgetScopes &scopes,
                                                            Money amount, qint64 holdMs)
{
    Reservation next = hold;
    next.scopes = scopes;
    next.amount = amount;
    next.expires = m_clock.nowUtc().addMSecs(holdMs > 0 ? holdMs : m_policy.reservationTtlMs);
    if (auto refused = teamRefusal(); refused && amount > hold.amount)
        return unexpected(*refused);
    if (m_team) {
        next.created = m_clock.nowUtc(); // the server's hold lasts from now
        auto adjusted = m_team->adjust(next);
        // A shrink the server cannot be told yet only keeps more held there.
        if (!adjusted && (amount > hold.amount || adjusted.error().kind == TeamRefused::Kind::OverLimit))
            return unexpected(teamError(adjusted.error(), m_team->server()));
        next.created = hold.created;
    }
    return store(next, true);
}

Expected<Done, LedgerError> BudgetController::charge(const LedgerEntry &entry, Money held, SettleResult &result)
{
    auto inserted = m_ledger.insertEntry(entry);
    if (!inserted)
        return unexpected(inserted.error());
    result.entry = inserted->entry;
    result.alreadySettled = !inserted->inserted;
    if (result.alreadySettled || entry.charge.cost.isZero())
        return Done{};
    result.breach = entry.charge.cost > held;
    if (!result.breach)
        return Done{};
    const Breach breach{entry.idempotencyKey, entry.runId, entry.step, entry.scopes, held,
                        entry.charge.cost,    entry.time};
    return m_breaches.record(breach);
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
    entry.time = now;

    SettleResult result;
    QList<BudgetAlert> fired;
    auto done = m_ledger.writeTransaction([&]() -> Expected<Done, LedgerError> {
        auto current = standing(reservation.id, nowMs);
        if (!current)
            return unexpected(current.error());
        // A hold charged on lapse still covers its step: the actual cost
        // replaces that charge. A hold that left nothing covers nothing.
        entry.reserved = current->held();
        if (auto charged = charge(entry, entry.reserved, result); !charged)
            return charged;
        if (current->lapse && !result.alreadySettled) {
            if (auto lowered = m_ledger.lowerLapseCharge(*current->lapse, current->lapse->charge.cost); !lowered)
                return lowered;
        }
        if (auto deleted = m_ledger.deleteReservation(reservation.id); !deleted)
            return unexpected(deleted.error());
        if (m_team) {
            if (auto queued = m_team->queueSettle(reservation, result.entry.charge.cost); !queued)
                return queued;
        }
        return afterCharge(result, period, nowMs, fired);
    });
    if (!done)
        return unexpected(storageError(done.error()));
    if (m_team)
        m_team->deliverQueued();
    if (result.breach)
        logBreach(result);
    emitAlerts(fired);
    return result;
}

Expected<PartSettleResult, BudgetError> BudgetController::settlePart(const Reservation &hold, const Charge &actual,
                                                                     const QString &idempotencyKey,
                                                                     const QString &runId, const QString &step)
{
    const QDateTime now = m_clock.nowUtc();
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const BudgetPeriod period = currentPeriod();
    PartSettleResult result;
    result.hold = hold;
    QList<BudgetAlert> fired;
    auto done = m_ledger.writeTransaction([&]() -> Expected<Done, LedgerError> {
        auto current = standing(hold.id, nowMs);
        if (!current)
            return unexpected(current.error());
        if (current->live)
            result.hold = *current->live;
        const bool live = current->live.has_value();
        // A hold charged on lapse: its charge is what is held, and lowered by the part.
        const Money held = current->held();
        LedgerEntry entry;
        entry.idempotencyKey = idempotencyKey;
        entry.runId = runId;
        entry.step = step;
        entry.scopes = result.hold.scopes;
        entry.charge = actual;
        entry.charge.durationMs = std::max<qint64>(0, actual.durationMs);
        entry.reserved = held;
        entry.time = now;
        if (auto charged = charge(entry, entry.reserved, result.settled); !charged)
            return charged;
        if (result.settled.alreadySettled)
            return Done{}; // the hold was lowered by it the first time
        result.hold.amount = held - entry.charge.cost;
        if (live) {
            if (auto updated = m_ledger.updateReservation(result.hold); !updated)
                return updated;
        } else if (current->lapse) {
            const Money part = std::min(entry.charge.cost, held);
            if (auto lowered = m_ledger.lowerLapseCharge(*current->lapse, part); !lowered)
                return lowered;
            result.hold.amount = held - part;
        }
        if (m_team) {
            if (auto queued = m_team->queueSettlePart(hold, idempotencyKey, result.settled.entry.charge.cost); !queued)
                return queued;
        }
        return afterCharge(result.settled, period, nowMs, fired);
    });
    if (!done)
        return unexpected(storageError(done.error()));
    if (m_team && !result.settled.alreadySettled)
        m_team->deliverQueued();
    if (result.settled.breach)
        logBreach(result.settled);
    emitAlerts(fired);
    return result;
}

Expected<bool, BudgetError> BudgetController::release(const Reservation &reservation)
{
    bool released = false;
    const qint64 nowMs = m_clock.nowUtc().toMSecsSinceEpoch();
    auto done = m_ledger.writeTransaction(
        [&]() -> Expected<Done, LedgerError> {
            auto current = standing(reservation.id, nowMs);
            if (!current)
                return unexpected(current.error());
            // Its process says the rest was never billed: that holds for a
            // charge on lapse as for a live hold.
            if (current->lapse) {
                if (auto lowered = m_ledger.lowerLapseCharge(*current->lapse, current->lapse->charge.cost); !lowered)
                    return lowered;
            }
            auto deleted = m_ledger.deleteReservation(reservation.id);
            if (!deleted)
                return unexpected(deleted.error());
            released = *deleted || (current->lapse && current->lapse->charge.cost.nanos() > 0);
            return m_team ? m_team->queueRelease(reservation) : Expected<Done, LedgerError>(Done{});
        },
        SpendLedger::Durability::UntilNextFullCommit);
    if (!done)
        return unexpected(storageError(done.error()));
    if (m_team)
        m_team->deliverQueued();
    return released;
}

Expected<BudgetSnapshot, BudgetError> BudgetController::snapshot(const BudgetScopes &scopes, TeamFigures *team)
{
    const qint64 nowMs = m_clock.nowUtc().toMSecsSinceEpoch();
    // Holds lapsed meanwhile are charged first (a write only when there is
    // one), so every connection sees them as the spend they are.
    auto lapsed = m_ledger.hasLapsedReservations(nowMs);
    if (!lapsed)
        return unexpected(storageError(lapsed.error()));
    if (*lapsed) {
        if (auto charged = m_ledger.chargeLapsedReservations(nowMs); !charged)
            return unexpected(storageError(charged.error()));
    }
    const BudgetPolicy local = m_policy.localPart();
    auto snap = BudgetSnapshotReader(m_ledger, local).read(scopes, currentPeriod(), nowMs);
    if (!snap)
        return unexpected(storageError(snap.error()));
    BudgetSnapshot result = *snap;
    if (m_team) {
        const TeamFigures figures = m_team->figures();
        applyTeamFigures(result, figures, m_team->server(), m_policy.thresholds);
        if (team)
            *team = figures;
    } else if (!m_policy.teamProblem.isEmpty()) {
        result.team.problem = m_policy.teamProblem;
    }
    return result;
}

} // namespace safecell
