#pragma once

#include "BudgetPeriod.h"
#include "BudgetPolicy.h"
#include "BudgetSnapshot.h"
#include "LedgerTypes.h"

#include "common/Clock.h"
#include "common/Expected.h"

#include <QObject>

namespace safecell {

class SpendLedger;

// A reservation would take a scope past its hard limit.
struct OverBudget {
    Money remaining; // what the scope still had
    ScopeLevel scope = ScopeLevel::Org;
    QString scopeKey;
};

struct BudgetError {
    enum class Kind { OverBudget, Storage };
    Kind kind = Kind::Storage;
    OverBudget overBudget; // when kind == OverBudget
    QString message;
};

struct SettleResult {
    LedgerEntry entry;
    bool alreadySettled = false; // a repeated settle: nothing was charged twice
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

// Enforces the budget policy on a ledger: reserve the worst-case cost before
// a paid step, settle it to the actual cost after. Synchronous SQLite on the
// caller's thread (local disk, a few milliseconds); use it on the ledger's
// thread. Other threads and processes may use the same file through their
// own ledger and controller: the check and the hold happen in one
// BEGIN IMMEDIATE transaction, so together they never pass a limit.
// Settles commit with synchronous=FULL (one fsync); holds and releases are
// atomic and visible to all at once but reach the disk with the next settle,
// since a hold must lapse anyway if the machine goes down.
class BudgetController : public QObject {
    Q_OBJECT
public:
    BudgetController(SpendLedger &ledger, BudgetPolicy policy, const Clock &clock = SystemClock::instance(),
                     QObject *parent = nullptr);

    const BudgetPolicy &policy() const { return m_policy; }
    void setPolicy(const BudgetPolicy &policy) { m_policy = policy; }
    BudgetPeriod currentPeriod() const;

    // Holds `estimate` against every scope named in `scopes`, or refuses
    // with the scope that has the least left. A zero estimate (a local run)
    // is never refused and touches no storage. The idempotency key defaults
    // to "<runId>/<step>" when both are given, else to the reservation id.
    Expected<Reservation, BudgetError> reserve(Money estimate, const BudgetScopes &scopes, const QString &runId = {},
                                               const QString &step = {}, const QString &idempotencyKey = {});
    // Records the actual cost (which may be below or above the estimate)
    // and frees the hold. Settling the same reservation again changes
    // nothing and returns the first entry.
    Expected<SettleResult, BudgetError> settle(const Reservation &reservation, const Charge &actual);
    // Frees a hold without charging (the step never ran).
    Expected<bool, BudgetError> release(const Reservation &reservation);

    Expected<BudgetSnapshot, BudgetError> snapshot(const BudgetScopes &scopes);

Q_SIGNALS:
    void thresholdReached(const safecell::BudgetAlert &alert);

private:
    struct Range {
        qint64 fromMs;
        qint64 toMs;
        qint64 alertKeyMs;
    };
    Range rangeFor(ScopeLevel level, const BudgetPeriod &period) const;
    Expected<Money, LedgerError> used(ScopeLevel level, const QString &key, const BudgetPeriod &period, qint64 nowMs);
    Expected<Done, LedgerError> recordAlerts(ScopeLevel level, const QString &key, const BudgetPeriod &period,
                                             Money used, Money limit, qint64 nowMs, QList<BudgetAlert> &fired);
    Expected<Done, LedgerError> checkAlerts(const BudgetScopes &scopes, const BudgetPeriod &period, qint64 nowMs,
                                            QList<BudgetAlert> &fired);
    void emitAlerts(const QList<BudgetAlert> &alerts);

    SpendLedger &m_ledger;
    BudgetPolicy m_policy;
    const Clock &m_clock;
};

} // namespace safecell

Q_DECLARE_METATYPE(safecell::BudgetAlert)
