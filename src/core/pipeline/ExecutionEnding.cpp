#include "ExecutionEnding.h"

namespace safecell {

ExecutionEnding executionEnding(const ExecutionOutcome &outcome, qint64 timeLimitMs)
{
    if (!outcome.skippedUploads.isEmpty()) {
        // The analyst's word is needed, as for ambiguous code: nothing ran.
        return {RunOutcome::NeedsConfirmation, outcome.message, outcome.message, std::nullopt};
    }
    switch (outcome.status) {
    case ExecutionStatus::Completed:
        // The message may say e.g. "the kernel had stopped; fresh session".
        return {RunOutcome::Ok, outcome.message, std::nullopt, std::nullopt};
    case ExecutionStatus::Raised: {
        std::optional<QString> error;
        if (outcome.error) {
            error = outcome.error->value.isEmpty() ? outcome.error->name
                                                   : outcome.error->name + QStringLiteral(": ") + outcome.error->value;
        }
        return {RunOutcome::Failed, outcome.message, error, std::nullopt};
    }
    case ExecutionStatus::TimedOut:
        return {RunOutcome::TimedOut, outcome.message,
                QStringLiteral("Execution timed out after %1 ms").arg(timeLimitMs), std::nullopt};
    case ExecutionStatus::Cancelled:
        return {RunOutcome::Cancelled, outcome.message, QStringLiteral("Execution was cancelled"), std::nullopt};
    case ExecutionStatus::SandboxFailed:
        break;
    }
    return {RunOutcome::Unavailable, outcome.message, outcome.message, std::nullopt};
}

ExecutionEnding budgetRefusalEnding(const std::optional<BudgetError> &refusal, const Money &askedFor,
                                    const QString &ledgerError)
{
    if (refusal && refusal->kind == BudgetError::Kind::TeamUnreachable)
        return {RunOutcome::Unavailable, refusal->message, std::nullopt, std::nullopt};
    if (!refusal || refusal->kind != BudgetError::Kind::OverBudget) {
        return {RunOutcome::Unavailable,
                QStringLiteral("The spend ledger failed, so no paid step can run: %1")
                    .arg(refusal ? refusal->message : ledgerError),
                std::nullopt, std::nullopt};
    }
    const OverBudget &over = refusal->overBudget;
    const QString message = QStringLiteral("Over budget: this run on E2B could cost up to %1, but the %2 budget "
                                           "(%3) has %4 left. Raise the limit in Settings or run locally.")
                                .arg(askedFor.toString(), scopeLevelName(over.scope), over.scopeKey,
                                     over.remaining.toString());
    return {RunOutcome::OverBudget, message, message, over.remaining};
}

} // namespace safecell
