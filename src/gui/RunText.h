#pragma once

#include "budget/Money.h"
#include "pipeline/RunOutcome.h"

#include <QString>

namespace safecell {

struct RunReport;

// How a run reads to the analyst, shared by the window and the history.
QString outcomeText(RunOutcome outcome);
// The outcome from its stored name ("ok", "blocked", ...); the name itself when unknown.
QString outcomeTextForName(const QString &name);
// "$0.0021 (LLM command-r7b: $0.0011 + sandbox: $0.001)", or "no charge".
QString costText(Money llm, Money sandbox, const QString &model);
// Which limit stopped a run that timed out: "Stopped at the 30 s time
// limit", or the budget's shorter one.
QString timedOutText(const RunReport &report);
// "Finished · $0.0021 (…)" beside the results.
QString runSummaryText(const RunReport &report);

} // namespace safecell
