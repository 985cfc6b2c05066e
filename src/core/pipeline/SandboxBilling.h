#pragma once

#include "budget/BudgetController.h"
#include "budget/CostModel.h"
#include "budget/LedgerTypes.h"
#include "sandbox/e2b/E2bLifetimeMeter.h"

#include <QHash>
#include <QSet>

#include <functional>
#include <optional>

namespace safecell {

// E2B sandbox time through the budget (design.md, Budget). One hold per
// sandbox covers its whole billable life: it grows before E2B is asked for a
// longer lifetime, and is refused when the budget cannot cover that. The
// time used is settled from it part by part, each part its own ledger entry
// (a run's time to that run, warm time between runs to the session), so the
// spend shows as it happens; what is left is released when the sandbox is
// gone. A part above what was held is recorded as it was and is a breach.
class SandboxBilling : public E2bLifetimeMeter {
public:
    // `budget` gives the controller on this thread, or nullptr when the
    // ledger is unavailable (every cover is then refused).
    SandboxBilling(std::function<BudgetController *()> budget, E2bRates rates, SandboxSize size, QString sessionKey,
                   BudgetScopes sessionScopes);

    // The run that LifetimeUse::Run covers are for, from now on.
    void beginRun(const QString &runId, const BudgetScopes &runScopes);
    // The run has been reported: its sandbox's time from now on (until it
    // is killed, when it was not kept warm) is the session's.
    void endRun(const QString &runId);
    // What the run's sandbox time has cost so far, and whether any of it
    // was settled above what was held.
    Money runCost(const QString &runId) const { return m_runCost.value(runId); }
    bool runBreached(const QString &runId) const { return m_breachedRuns.contains(runId); }
    // Why the last cover() was refused (over budget, or the ledger failed),
    // and what it asked for in all.
    const std::optional<BudgetError> &lastRefusal() const { return m_refusal; }
    Money lastRefusedAmount() const { return m_refusedAmount; }
    // Money held for sandboxes that are not over yet.
    Money held() const;

    bool cover(quint64 life, double seconds, LifetimeUse use) override;
    void used(quint64 life, double seconds) override;
    void ended(quint64 life, double seconds) override;

private:
    struct Lease {
        Reservation hold;
        QString runId; // the run its time is charged to now; empty: the session's warm time
        qint64 coveredMs = 0;
        qint64 settledMs = 0;
        Money settled;
        int parts = 0;
    };
    void settleTo(Lease &lease, qint64 ms);
    QString sessionRunId() const { return QStringLiteral("session:") + m_sessionKey; }

    std::function<BudgetController *()> m_budget;
    E2bRates m_rates;
    SandboxSize m_size;
    QString m_sessionKey;
    BudgetScopes m_sessionScopes;
    QString m_runId;
    BudgetScopes m_runScopes;
    QHash<quint64, Lease> m_leases;
    QHash<QString, Money> m_runCost;
    QSet<QString> m_breachedRuns;
    std::optional<BudgetError> m_refusal;
    Money m_refusedAmount;
};

} // namespace safecell
