#include "RunLedger.h"

#include "budget/LedgerLocation.h"
#include "budget/SpendLedger.h"
#include "common/Logging.h"

namespace safecell {

RunLedger::RunLedger() = default;

RunLedger::~RunLedger()
{
    close();
}

BudgetController *RunLedger::controller(const QString &path, const BudgetPolicy &policy)
{
    if (m_budget)
        return m_budget.get();
    auto ledger = SpendLedger::open(path.isEmpty() ? defaultLedgerPath() : path);
    if (!ledger) {
        m_error = ledger.error().message;
        qCWarning(lcPipeline) << "the spend ledger is unavailable:" << m_error;
        return nullptr;
    }
    m_ledger = std::move(ledger).value();
    m_budget = std::make_unique<BudgetController>(*m_ledger, policy);
    m_history = std::make_unique<RunHistory>(*m_ledger);
    return m_budget.get();
}

void RunLedger::setPolicy(const BudgetPolicy &policy)
{
    if (m_budget)
        m_budget->setPolicy(policy);
}

void RunLedger::record(const RunRecord &run)
{
    if (!m_history)
        return;
    if (const auto recorded = m_history->record(run); !recorded)
        qCWarning(lcPipeline) << "run" << run.runId << "not in the history:" << recorded.error().message;
}

void RunLedger::close()
{
    // The users of the connection before the connection.
    m_history.reset();
    m_budget.reset();
    m_ledger.reset();
}

} // namespace safecell
