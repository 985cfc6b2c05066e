#pragma once

#include "budget/BudgetController.h"
#include "budget/BudgetPolicy.h"
#include "pipeline/RunHistory.h"

#include <QString>

#include <memory>

namespace safecell {

class SpendLedger;

// The spend ledger a run worker's runs go through, opened on first use on
// the worker's thread (SQLite stays on the thread that opened it): the
// budget controller on it and the run history in it. A ledger that cannot
// be opened is tried again at the next use.
class RunLedger {
public:
    RunLedger();
    RunLedger(const RunLedger &) = delete;
    RunLedger &operator=(const RunLedger &) = delete;
    ~RunLedger();

    // The controller, opening the ledger at `path` (empty: defaultLedgerPath())
    // with `policy` first if it is not open; nullptr when it cannot be
    // (error() says why).
    BudgetController *controller(const QString &path, const BudgetPolicy &policy);
    const QString &error() const { return m_error; }
    void setPolicy(const BudgetPolicy &policy);
    // Adds the run to the history when the ledger is open; a failure is
    // logged, it changes nothing of the run.
    void record(const RunRecord &run);
    void close();

private:
    std::unique_ptr<SpendLedger> m_ledger;
    std::unique_ptr<BudgetController> m_budget;
    std::unique_ptr<RunHistory> m_history;
    QString m_error;
};

} // namespace safecell
