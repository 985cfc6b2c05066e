#include "LocalLedger.h"

#include "BudgetRange.h"
#include "SpendLedger.h"

#include <algorithm>
#include <utility>

namespace safecell {

namespace {

constexpr int kMaxHoldSeconds = 86'400; // as the team server's functions

TeamError failed(const QString &message)
{
    return TeamError{TeamError::Kind::Failed, QStringLiteral("the local ledger: ") + message};
}

TeamError invalid(const QString &message)
{
    return TeamError{TeamError::Kind::Invalid, message};
}

BudgetPolicy orgAndUserPart(BudgetPolicy policy)
{
    policy.setLimit(ScopeLevel::Session, std::nullopt).setLimit(ScopeLevel::Task, std::nullopt);
    policy.team.reset();
    policy.teamProblem.clear();
    return policy;
}

} // namespace

LocalLedger::LocalLedger(SpendLedger &ledger, QString orgKey, QString analyst, const BudgetPolicy &policy,
                         const Clock &clock)
    : m_ledger(ledger)
    , m_orgKey(std::move(orgKey))
    , m_analyst(std::move(analyst))
    , m_clock(clock)
    , m_controller(std::make_unique<BudgetController>(ledger, orgAndUserPart(policy), clock))
{
}

LocalLedger::~LocalLedger() = default;

QString LocalLedger::keyOf(const QString &idempotencyKey) const
{
    // The length first, so no analyst's name and key can spell another's.
    return QStringLiteral("%1:%2/%3").arg(m_analyst.size()).arg(m_analyst, idempotencyKey);
}

BudgetScopes LocalLedger::scopes() const
{
    return BudgetScopes::of(m_orgKey, m_analyst);
}

Charge LocalLedger::chargeOf(const Reservation &hold, Money cost) const
{
    Charge charge;
    charge.kind = hold.kind;
    charge.resource = hold.resource;
    charge.cost = cost;
    return charge;
}

Expected<std::optional<Reservation>, TeamError> LocalLedger::liveHold(const QString &holdId)
{
    auto found = m_ledger.findReservation(holdId);
    if (!found)
        return unexpected(failed(found.error().message));
    if (!*found || (*found)->scopes.key(ScopeLevel::User) != m_analyst
        || (*found)->scopes.key(ScopeLevel::Org) != m_orgKey || (*found)->expires <= m_clock.nowUtc())
        return std::optional<Reservation>();
    return *found;
}

Expected<TeamReservation, TeamError> LocalLedger::refusalOf(const BudgetError &error) const
{
    if (error.kind != BudgetError::Kind::OverBudget)
        return unexpected(failed(error.message));
    const OverBudget &over = error.overBudget;
    const auto limit = m_controller->policy().limit(over.scope);
    const Money cap = limit ? hardCap(*limit, m_controller->policy().thresholds) : Money();
    TeamReservation refused;
    // As the server answers: what the scope uses against its cap.
    refused.refusal = TeamRefusal{over.scope, over.remaining < cap ? cap - over.remaining : Money(), cap};
    return refused;
}

Expected<TeamReservation, TeamError> LocalLedger::reserve(const TeamHoldRequest &request)
{
    if (request.amount <= Money())
        return unexpected(invalid(QStringLiteral("the amount to reserve must be positive")));
    if (request.ttlSeconds <= 0 || request.ttlSeconds > kMaxHoldSeconds)
        return unexpected(invalid(QStringLiteral("a hold lasts 1 to %1 seconds").arg(kMaxHoldSeconds)));
    const QString key = keyOf(request.idempotencyKey);
    auto settled = m_ledger.findEntry(key);
    if (!settled)
        return unexpected(failed(settled.error().message));
    TeamReservation answer;
    if (*settled) {
        answer.alreadySettled = true;
        return answer;
    }
    auto held = m_ledger.findReservationByKey(key);
    if (!held)
        return unexpected(failed(held.error().message));
    if (*held && (*held)->scopes.key(ScopeLevel::User) == m_analyst) {
        answer.hold = TeamHold{(*held)->id, (*held)->expires};
        return answer;
    }
    auto reserved = m_controller->reserve(request.amount, scopes(), request.runId, request.step, key,
                                          qint64(request.ttlSeconds) * 1000, request.kind, request.resource);
    if (!reserved)
        return refusalOf(reserved.error());
    answer.hold = TeamHold{reserved->id, reserved->expires};
    return answer;
}

Expected<TeamSettlement, TeamError> LocalLedger::settle(const QString &holdId, const QString &idempotencyKey,
                                                        Money cost)
{
    if (cost < Money())
        return unexpected(invalid(QStringLiteral("a cost is never negative")));
    const QString key = keyOf(idempotencyKey);
    auto settled = m_ledger.findEntry(key);
    if (!settled)
        return unexpected(failed(settled.error().message));
    if (*settled)
        return TeamSettlement{TeamSettlement::Outcome::AlreadySettled, (*settled)->charge.cost};
    // A hold past its expiry is charged on lapse by the settle itself
    // (BudgetController::standing), which then lowers that charge.
    auto found = m_ledger.findReservation(holdId);
    if (!found)
        return unexpected(failed(found.error().message));
    std::optional<Reservation> hold = *found;
    if (hold && (hold->scopes.key(ScopeLevel::User) != m_analyst || hold->scopes.key(ScopeLevel::Org) != m_orgKey))
        hold.reset();
    bool lapsed = hold && hold->expires <= m_clock.nowUtc();
    if (!hold) {
        auto lapse = m_ledger.lapseCharge(holdId);
        if (!lapse)
            return unexpected(failed(lapse.error().message));
        if (!*lapse || (*lapse)->scopes.key(ScopeLevel::User) != m_analyst)
            return TeamSettlement{TeamSettlement::Outcome::UnknownHold, Money()};
        Reservation charged;
        charged.id = holdId;
        charged.runId = (*lapse)->runId;
        charged.step = (*lapse)->step;
        charged.scopes = (*lapse)->scopes;
        charged.kind = (*lapse)->charge.kind;
        charged.resource = (*lapse)->charge.resource;
        hold = charged;
        lapsed = true;
    }
    hold->idempotencyKey = key;
    auto result = m_controller->settle(*hold, chargeOf(*hold, cost));
    if (!result)
        return unexpected(failed(result.error().message));
    if (result->alreadySettled) // another settle of the key got in first
        return TeamSettlement{TeamSettlement::Outcome::AlreadySettled, result->entry.charge.cost};
    return TeamSettlement{lapsed ? TeamSettlement::Outcome::LapseLowered : TeamSettlement::Outcome::Settled,
                          result->entry.charge.cost};
}

Expected<bool, TeamError> LocalLedger::release(const QString &holdId)
{
    auto hold = liveHold(holdId);
    if (!hold)
        return unexpected(std::move(hold).error());
    if (!*hold)
        return false;
    auto released = m_controller->release(**hold);
    if (!released)
        return unexpected(failed(released.error().message));
    return *released;
}

Expected<TeamReservation, TeamError> LocalLedger::adjust(const QString &holdId, Money amount, int ttlSeconds)
{
    if (amount < Money())
        return unexpected(invalid(QStringLiteral("a hold is never negative")));
    if (ttlSeconds <= 0 || ttlSeconds > kMaxHoldSeconds)
        return unexpected(invalid(QStringLiteral("a hold lasts 1 to %1 seconds").arg(kMaxHoldSeconds)));
    auto hold = liveHold(holdId);
    if (!hold)
        return unexpected(std::move(hold).error());
    if (!*hold)
        return TeamReservation{};
    auto adjusted = m_controller->adjust(**hold, (*hold)->scopes, amount, qint64(ttlSeconds) * 1000);
    if (!adjusted)
        return refusalOf(adjusted.error());
    TeamReservation answer;
    answer.hold = TeamHold{adjusted->id, adjusted->expires};
    return answer;
}

Expected<Ledger::PartSettlement, TeamError> LocalLedger::settlePart(const QString &holdId,
                                                                    const QString &idempotencyKey, Money cost)
{
    if (cost < Money())
        return unexpected(invalid(QStringLiteral("a cost is never negative")));
    auto hold = liveHold(holdId);
    if (!hold)
        return unexpected(std::move(hold).error());
    const QString key = keyOf(idempotencyKey);
    auto settled = m_ledger.findEntry(key);
    if (!settled)
        return unexpected(failed(settled.error().message));
    if (*settled) {
        return PartSettlement{{TeamSettlement::Outcome::AlreadySettled, (*settled)->charge.cost},
                              *hold ? (*hold)->amount : Money()};
    }
    if (!*hold)
        return PartSettlement{};
    auto part = m_controller->settlePart(**hold, chargeOf(**hold, cost), key, (*hold)->runId, (*hold)->step);
    if (!part)
        return unexpected(failed(part.error().message));
    return PartSettlement{{part->settled.alreadySettled ? TeamSettlement::Outcome::AlreadySettled
                                                        : TeamSettlement::Outcome::Settled,
                           part->settled.entry.charge.cost},
                          part->hold.amount};
}

Expected<int, TeamError> LocalLedger::chargeLapsed()
{
    auto charged = m_ledger.chargeLapsedReservations(m_clock.nowUtc().toMSecsSinceEpoch());
    if (!charged)
        return unexpected(failed(charged.error().message));
    return int(charged->size());
}

Expected<TeamStatus, TeamError> LocalLedger::status()
{
    auto snapshot = m_controller->snapshot(scopes());
    if (!snapshot)
        return unexpected(failed(snapshot.error().message));
    TeamStatus status;
    status.periodStart = m_controller->currentPeriod().start;
    status.serverTime = m_clock.nowUtc();
    status.thresholds = m_controller->policy().thresholds;
    for (ScopeLevel level : {ScopeLevel::Org, ScopeLevel::User}) {
        const ScopeSnapshot *scope = snapshot->scope(level);
        if (!scope)
            continue;
        status.scopes << TeamScopeStatus{level,           scope->key,   scope->spent + scope->reserved,
                                         scope->reserved, scope->limit, scope->breach};
    }
    return status;
}

Expected<QList<TeamAlertRecord>, TeamError> LocalLedger::alerts()
{
    const BudgetPeriod period = m_controller->currentPeriod();
    QList<TeamAlertRecord> alerts;
    for (ScopeLevel level : {ScopeLevel::Org, ScopeLevel::User}) {
        const auto limit = m_controller->policy().limit(level);
        if (!limit)
            continue;
        const QString key = scopes().key(level);
        auto fired = m_ledger.firedAlerts(level, key, budgetRangeFor(level, period).alertKeyMs);
        if (!fired)
            return unexpected(failed(fired.error().message));
        for (const QString &name : std::as_const(*fired)) {
            TeamAlertRecord alert;
            alert.level = level;
            alert.key = key;
            alert.state = budgetStateFromName(name).value_or(BudgetState::Stopped);
            alert.limit = *limit;
            alerts << alert;
        }
    }
    // As the server orders the alerts of one moment: org first, by state.
    std::stable_sort(alerts.begin(), alerts.end(), [](const TeamAlertRecord &a, const TeamAlertRecord &b) {
        return std::pair(int(a.level), int(a.state)) < std::pair(int(b.level), int(b.state));
    });
    return alerts;
}

} // namespace safecell
