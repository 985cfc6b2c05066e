#include "TeamAudit.h"

#include "budget/BudgetController.h"
#include "budget/TeamBudget.h"

namespace safecell {

void auditRunForTeam(BudgetController *budget, const RunRequest &request, const RunReport &report)
{
    if (!budget || !budget->team())
        return;
    TeamAuditRun run;
    run.runId = report.runId;
    run.language = languageName(request.language);
    run.code = request.code;
    run.output = report.result.stdoutText + report.result.stderrText;
    run.outcome = outcomeName(report.outcome);
    run.cost = report.llmCost + report.sandboxCost;
    budget->team()->audit(run);
}

} // namespace safecell
