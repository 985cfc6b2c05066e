#include "SandboxBilling.h"

#include "common/Logging.h"

#include <QUuid>

#include <cmath>

namespace safecell {

namespace {

// A hold outlives its sandbox's lifetime by this much whatever happens to
// this process: a crashed SafeCell's sandbox bills until that lifetime ends,
// and then the hold lapses and is charged in full, so it must not lapse
// sooner. A life counts from its create's last attempt (E2bLifetime::
// created), which rate-limit retries can delay past the cover: at most
// 3 x (60 s answer + 30 s Retry-After) with E2bConfig's defaults.
constexpr qint64 kHoldSlackMs = 10 * 60 * 1000;

qint64 wholeMs(double seconds)
{
    return qint64(std::ceil(std::max(0.0, seconds) * 1000.0));
}

} // namespace

SandboxBilling::SandboxBilling(std::function<BudgetController *()> budget, E2bRates rates, SandboxSize size,
                               QString sessionKey, BudgetScopes sessionScopes)
    : m_budget(std::move(budget))
    , m_rates(rates)
    , m_size(size)
    , m_sessionKey(std::move(sessionKey))
    , m_sessionScopes(std::move(sessionScopes))
{
}

void SandboxBilling::beginRun(const QString &runId, const BudgetScopes &runScopes)
{
    m_runId = runId;
    m_runScopes = runScopes;
    m_refusal.reset();
    m_refusedAmount = Money();
}

Money SandboxBilling::held() const
{
    Money total;
    for (const Lease &lease : m_leases)
        total += lease.hold.amount;
    return total;
}

bool SandboxBilling::cover(quint64 life, double seconds, LifetimeUse use)
{
    const qint64 ms = wholeMs(seconds);
    const Money whole = cost::e2b(m_rates, m_size, ms);
    auto lease = m_leases.find(life);
    BudgetController *budget = m_budget();
    if (!budget) {
        m_refusal = BudgetError{BudgetError::Kind::Storage, {}, QStringLiteral("the spend ledger is unavailable")};
        m_refusedAmount = whole;
        return false;
    }
    // What is settled of this life is already paid; the hold covers the rest.
    const Money amount = whole - (lease == m_leases.end() ? Money() : lease->settled);
    const bool forRun = use == LifetimeUse::Run && !m_runId.isEmpty();
    const BudgetScopes &scopes = forRun ? m_runScopes : m_sessionScopes;
    // Lapses no sooner than E2B stops billing: `ms` counts from the create
    // request, which was sent no sooner than now (see kHoldSlackMs).
    const qint64 holdMs = ms + kHoldSlackMs;
    // Should this process die, the hold is charged to the run it is for.
    const QString runId = forRun ? m_runId : sessionRunId();
    Reservation hold;
    if (lease != m_leases.end()) {
        hold = lease->hold;
        hold.runId = runId;
    }
    auto held = lease == m_leases.end() ? budget->reserve(amount, scopes, runId, QStringLiteral("e2b-sandbox"),
                                                          QUuid::createUuid().toString(QUuid::WithoutBraces), holdMs,
                                                          ChargeKind::Sandbox, QStringLiteral("e2b"))
                                        : budget->adjust(hold, scopes, amount, holdMs);
    if (!held) {
        m_refusal = held.error();
        m_refusedAmount = whole;
        return false;
    }
    if (lease == m_leases.end())
        lease = m_leases.insert(life, Lease{});
    lease->hold = *held;
    lease->runId = forRun ? m_runId : QString();
    lease->coveredMs = ms;
    return true;
}

void SandboxBilling::endRun(const QString &runId)
{
    BudgetController *budget = m_budget();
    for (Lease &lease : m_leases) {
        if (lease.runId != runId || !budget)
            continue;
        // The same money under fewer scopes: never refused.
        Reservation hold = lease.hold;
        hold.runId = sessionRunId();
        auto moved = budget->adjust(hold, m_sessionScopes, lease.hold.amount, lease.coveredMs + kHoldSlackMs);
        if (!moved) {
            qCWarning(lcPipeline) << "moving a sandbox's hold to its session failed:" << moved.error().message;
            continue;
        }
        lease.hold = *moved;
        lease.runId.clear();
    }
    if (m_runId == runId)
        m_runId.clear();
}

void SandboxBilling::settleTo(Lease &lease, qint64 ms)
{
    if (ms <= lease.settledMs)
        return;
    BudgetController *budget = m_budget();
    if (!budget)
        return; // the hold lapses at its expiry
    const bool forRun = !lease.runId.isEmpty();
    Charge charge;
    charge.kind = ChargeKind::Sandbox;
    charge.resource = QStringLiteral("e2b");
    charge.durationMs = ms - lease.settledMs;
    // Parts add up to the cost of the whole time, rounded once.
    charge.cost = cost::e2b(m_rates, m_size, ms) - lease.settled;
    const QString key = QStringLiteral("%1/%2").arg(lease.hold.id).arg(++lease.parts);
    const QString runId = forRun ? lease.runId : sessionRunId();
    auto part = budget->settlePart(lease.hold, charge, key, runId,
                                   forRun ? QStringLiteral("execute") : QStringLiteral("keep-warm"));
    if (!part) {
        // Still held: the next part (or the hold's expiry) accounts for it.
        qCWarning(lcPipeline) << "settling" << charge.durationMs << "ms of E2B time failed:" << part.error().message;
        return;
    }
    lease.hold = part->hold;
    lease.settledMs = ms;
    lease.settled += part->settled.entry.charge.cost;
    if (forRun)
        m_runCost[runId] += part->settled.entry.charge.cost;
    if (part->settled.breach)
        m_breachedRuns.insert(runId);
}

void SandboxBilling::used(quint64 life, double seconds)
{
    const auto lease = m_leases.find(life);
    if (lease != m_leases.end())
        settleTo(*lease, wholeMs(seconds));
}

void SandboxBilling::ended(quint64 life, double seconds)
{
    const auto lease = m_leases.find(life);
    if (lease == m_leases.end())
        return;
    settleTo(*lease, wholeMs(seconds));
    if (BudgetController *budget = m_budget()) {
        if (const auto released = budget->release(lease->hold); !released)
            qCWarning(lcPipeline) << "releasing a sandbox's hold failed:" << released.error().message;
    }
    m_leases.erase(lease);
}

} // namespace safecell
