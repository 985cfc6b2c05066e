#pragma once

#include "budget/BudgetController.h"
#include "budget/Money.h"
#include "pipeline/RunOutcome.h"
#include "sandbox/Execution.h"

#include <QString>

#include <optional>

namespace safecell {

// How a run ends once its sandbox has answered: the outcome, the report's
// message, the error its result shows and, over budget, what was left.
struct ExecutionEnding {
    RunOutcome outcome = RunOutcome::Ok;
    QString message;
    std::optional<QString> error;
    std::optional<Money> remaining;
};

// For what the sandbox did (ran, raised, timed out, was stopped, failed,
// or needed uploads that were not allowed). Not for a budget refusal.
// `timeLimitMs`: what the run asked for, as its timeout error says.
ExecutionEnding executionEnding(const ExecutionOutcome &outcome, qint64 timeLimitMs);

// The budget refused the sandbox's lifetime: over budget (with what it
// asked for in all), or the ledger failed (`ledgerError` when no refusal
// was recorded).
ExecutionEnding budgetRefusalEnding(const std::optional<BudgetError> &refusal, const Money &askedFor,
                                    const QString &ledgerError);

} // namespace safecell
