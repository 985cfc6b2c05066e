// The team ledger's half of the controller (issue 21): which limits stay
// local, and what a team server's refusal means to a caller.
#include "BudgetController.h"

#include "TeamBudget.h"

namespace safecell {

void BudgetController::setPolicy(const BudgetPolicy &policy)
{
    const bool sameServer = m_team && policy.team && m_team->server() == *policy.team;
    m_policy = policy;
    if (sameServer)
        return;
    m_team.reset();
    if (policy.team)
        m_team = std::make_unique<TeamBudget>(m_ledger, *policy.team, m_clock);
}

std::optional<Money> BudgetController::localLimit(ScopeLevel level) const
{
    if (m_policy.hasTeam() && (level == ScopeLevel::Org || level == ScopeLevel::User))
        return std::nullopt; // the team's server checks them
    return m_policy.limit(level);
}

std::optional<BudgetError> BudgetController::teamRefusal() const
{
    if (m_policy.team || m_policy.teamProblem.isEmpty())
        return std::nullopt;
    return BudgetError{BudgetError::Kind::TeamUnreachable,
                       {},
                       QStringLiteral("The team budget cannot be checked, so no paid step can run: %1")
                           .arg(m_policy.teamProblem)};
}

BudgetError BudgetController::teamError(const TeamRefused &refused, const TeamServer &server)
{
    switch (refused.kind) {
    case TeamRefused::Kind::OverLimit:
        return BudgetError{BudgetError::Kind::OverBudget,
                           OverBudget{refused.remaining, refused.scope, refused.scopeKey},
                           QStringLiteral("over budget: %1").arg(refused.message)};
    case TeamRefused::Kind::Unreachable:
        return BudgetError{BudgetError::Kind::TeamUnreachable,
                           {},
                           QStringLiteral("The team budget server (%1) cannot be reached, so no paid step can run "
                                          "(local runs go on): %2")
                               .arg(server.describe(), refused.message)};
    case TeamRefused::Kind::Failed:
        break;
    }
    return BudgetError{BudgetError::Kind::Storage,
                       {},
                       QStringLiteral("the team budget server (%1) refused the hold: %2")
                           .arg(server.describe(), refused.message)};
}

} // namespace safecell
