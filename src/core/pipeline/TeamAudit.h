#pragma once

#include "pipeline/RunReport.h"
#include "request/RunRequest.h"

namespace safecell {

class BudgetController;

// Hands a finished run to the team's audit log (TeamBudget::audit), which
// keeps it only while the team's admin has the log on; nothing without a
// team ledger.
void auditRunForTeam(BudgetController *budget, const RunRequest &request, const RunReport &report);

} // namespace safecell
