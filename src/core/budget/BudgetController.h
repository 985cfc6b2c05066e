#pragma once

#include "BudgetPeriod.h"
#include "BudgetPolicy.h"
#include "BudgetSnapshot.h"
#include "LedgerBreaches.h"
#include "LedgerTypes.h"

#include "common/Clock.h"
#include "common/Expected.h"

#include <QObject>

#include <array>
#include <memory>

namespace safecell {

class SpendLedger;
class TeamBudget;
struct TeamRefused;
struct TeamFigures;

// A reservation would take a scope past its hard limit.
struct OverBudget {
    Money remaining; // what the scope still had
    ScopeLevel scope = ScopeLevel::Org;
    QString scopeKey;
};

struct BudgetError {
    // TeamUnreachable: a team ledger is set and cannot be asked, so no paid
    // step may run (it fails closed; free local runs go on).
    enum class Kind { OverBudget, Storage, TeamUnreachable };
    Kind kind = Kind::Storage;
    OverBudget overBudget; // when kind == OverBudget
    QString message;
};

struct SettleResult {
    LedgerEntry entry;
    bool alreadySettled = false; // a repeated settle: nothing was charged twice
    // More was settled than was held: recorded as it was (spend that
    // happened is never hidden), its scopes are Stopped for their period,
    // and it was logged as a breach of the budget's invariant.
    bool breach = false;
};

// Part of a hold settled (see settlePart()).
struct PartSettleResult {
    SettleResult settled;
    Reservation hold; // what is still held
};

// A threshold reached for the first time in a period (edge-triggered).
struct BudgetAlert {
    ScopeLevel level = ScopeLevel::Org;
    QString scopeKey;
    BudgetState state = BudgetState::Warned;
    QDateTime periodStart; // UTC; invalid for session and task scopes
    Money used;
    Money limit;
};

// Enforces the budget policy on a ledger (design.md, Budget): settled spend
// plus the money held by live reservations covers everything a provider can
// still bill, so nothing settles past a hard limit. Reserve the worst-case
// cost before a paid step, settle it to the actual cost after. A hold that
// lapses unsettled (its process died) is charged in full by the next write
// or snapshot, on any connection: the money moves from held to settled and
// never vanishes. A late settle, part settle or release of that hold draws
// on its charge on lapse as it would on the live hold.
// Synchronous SQLite on the caller's thread (local disk, a few
// milliseconds); use it on the ledger's thread. Other threads and processes
// may use the same file through their own ledger and controller: every check
// and its write happen in one BEGIN IMMEDIATE transaction, so together they
// never pass a limit. Holds and settles commit with synchronous=FULL (one
// fsync each): a hold lost with the machine would never be charged.
// Releases are atomic and visible to all at once but reach the disk with
// the next synced commit: a lost release only leaves a hold to be charged.
//
// With a team server in the policy, the org and user scopes are the
// server's (TeamBudget): each hold is taken there first and then locally,
// where the session and task scopes are checked; settles and releases go
// to both.
class BudgetController : public QObject {
    Q_OBJECT
public:
    BudgetController(SpendLedger &ledger, BudgetPolicy policy, const Clock &clock = SystemClock::instance(),
                     QObject *parent = nullptr);

    ~BudgetController() override;
    const BudgetPolicy &policy() const { return m_policy; }
    void setPolicy(const BudgetPolicy &policy);
    BudgetPeriod currentPeriod() const;

    // Holds `estimate` against every scope named in `scopes`, or refuses
    // with the scope that has the least left (a scope stopped by a breach
    // has nothing left). A zero estimate (a local run) is never refused and
    // touches no storage. The idempotency key defaults to "<runId>/<step>"
    // when both are given, else to the reservation id. The hold lapses after
    // `holdMs`, or the policy's reservation TTL when 0: never sooner than
    // the provider can bill for it, since a lapsed hold is charged in full.
    // Should it lapse, it is charged as `kind` on `resource`.
    Expected<Reservation, BudgetError> reserve(Money estimate, const BudgetScopes &scopes, const QString &runId = {},
                                               const QString &step = {}, const QString &idempotencyKey = {},
                                               qint64 holdMs = 0, ChargeKind kind = ChargeKind::Llm,
                                               const QString &resource = {});
    // Re-sizes a live hold to `amount` (a sandbox's lifetime grows, or
    // shrinks once E2B answered) under `scopes` (a run's task joins or
    // leaves it) and `hold.runId`, lapsing `holdMs` from now. Any scope it
    // grows in is checked as reserve() checks it; a shrink is never refused.
    // A hold that lapsed meanwhile is held again, checked, in place of its
    // charge on lapse.
    Expected<Reservation, BudgetError> adjust(const Reservation &hold, const BudgetScopes &scopes, Money amount,
                                              qint64 holdMs = 0);
    // Records the actual cost and frees the hold. Settling the same
    // reservation again changes nothing and returns the first entry. A cost
    // above what was held is a breach (see SettleResult).
    Expected<SettleResult, BudgetError> settle(const Reservation &reservation, const Charge &actual);
    // Settles part of a live hold (sandbox time used so far) as its own
    // entry under `idempotencyKey`, charged to the hold's scopes, and lowers
    // the hold by it; the hold stays. A part above what is held is a breach.
    Expected<PartSettleResult, BudgetError> settlePart(const Reservation &hold, const Charge &actual,
                                                       const QString &idempotencyKey, const QString &runId,
                                                       const QString &step);
    // Frees a hold without charging (the step never ran).
    Expected<bool, BudgetError> release(const Reservation &reservation);

    // With a team ledger, the org and user scopes' figures are the
    // server's; `team` (when given) gets how fresh they are.
    Expected<BudgetSnapshot, BudgetError> snapshot(const BudgetScopes &scopes, TeamFigures *team = nullptr);
    // The team ledger's half, or nullptr without a team server.
    TeamBudget *team() { return m_team.get(); }

Q_SIGNALS:
    void thresholdReached(const safecell::BudgetAlert &alert);

private:
    // The limit this ledger checks: none for the org and user scopes when
    // the team's server checks them.
    std::optional<Money> localLimit(ScopeLevel level) const;
    std::optional<BudgetError> teamRefusal() const;
    // What a team server's refusal means to the caller.
    static BudgetError teamError(const TeamRefused &refused, const TeamServer &server);
    struct Checked {
        ScopeLevel level;
        Money after;
        Money limit;
    };
    Expected<Money, LedgerError> used(ScopeLevel level, const QString &key, const BudgetPeriod &period, qint64 nowMs);
    Expected<bool, LedgerError> breached(ScopeLevel level, const QString &key, const BudgetPeriod &period);
    // Stores `hold` (new, or in place of the live row with its id when
    // `replacing`) if every scope it grows in has room; `refused` says which
    // scope had the least when not.
    Expected<Reservation, BudgetError> store(const Reservation &hold, bool replacing);
    // What each scope level already counts of a hold being re-sized: its
    // live row, or its charge on lapse where that falls in the period.
    using Counted = std::array<Money, 4>;
    Counted counted(const Reservation &hold, const std::optional<Reservation> &current,
                    const std::optional<LedgerEntry> &lapse, const BudgetPeriod &period) const;
    Expected<QList<Checked>, LedgerError> check(const Reservation &hold, const Counted &counted,
                                                const BudgetPeriod &period, qint64 nowMs,
                                                std::optional<OverBudget> &refused);
    // Inside a write: charges the holds lapsed by now, then finds what
    // stands for hold `id`: its live row, else its charge on lapse.
    struct Standing {
        std::optional<Reservation> live;
        std::optional<LedgerEntry> lapse;
        Money held() const;
    };
    Expected<Standing, LedgerError> standing(const QString &id, qint64 nowMs);
    // Inside a settle's transaction: the entry against `held`, and a breach
    // when it is above it; then, once the hold is updated, the thresholds
    // it reached and the scopes a breach stopped.
    Expected<Done, LedgerError> charge(const LedgerEntry &entry, Money held, SettleResult &result);
    Expected<Done, LedgerError> afterCharge(const SettleResult &result, const BudgetPeriod &period, qint64 nowMs,
                                            QList<BudgetAlert> &fired);
    Expected<Done, LedgerError> recordAlerts(ScopeLevel level, const QString &key, const BudgetPeriod &period,
                                             Money used, Money limit, qint64 nowMs, QList<BudgetAlert> &fired);
    Expected<Done, LedgerError> checkAlerts(const BudgetScopes &scopes, const BudgetPeriod &period, qint64 nowMs,
                                            QList<BudgetAlert> &fired);
    void emitAlerts(const QList<BudgetAlert> &alerts);
    void logBreach(const SettleResult &result) const;

    SpendLedger &m_ledger;
    LedgerBreaches m_breaches;
    BudgetPolicy m_policy;
    const Clock &m_clock;
    std::unique_ptr<TeamBudget> m_team;
};

} // namespace safecell

Q_DECLARE_METATYPE(safecell::BudgetAlert)
