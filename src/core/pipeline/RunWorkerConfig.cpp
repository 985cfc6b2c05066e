#include "RunWorkerConfig.h"

#include "llm/LlmServices.h"
#include "settings/Settings.h"

#include <algorithm>

namespace safecell {

RunWorkerConfig RunWorkerConfig::fromSettings(const Settings &settings, const RunKeys &keys)
{
    RunWorkerConfig config;
    config.sandboxLimits = SandboxLimits::fromSettings(settings);
    config.requestLimits = RequestLimits{settings.integer(Setting::RequestTimeLimitCapMs)};
    config.safetyPolicyFile = settings.string(Setting::SafetyPolicyFile);
    config.budgetPolicy = BudgetPolicy::fromSettings(settings);
    if (auto &team = config.budgetPolicy.team; team && team->password.isEmpty())
        team->password = keys.team.value;
    // One reading of the LLM settings for the window's Ask and for runs.
    config.llm = llmServicesFromSettings(settings);
    // The LLM's paid steps budget on the same team, with the same password.
    if (config.llm.budgetPolicy)
        config.llm.budgetPolicy->team = config.budgetPolicy.team;
    config.llm.apiKey = keys.cohere.value;
    if (keys.cohere.problem)
        config.llm.apiKeyProblem = keys.cohere.problem->message;
    if (const QString &e2bApiKey = keys.e2b.value; !e2bApiKey.isEmpty()) {
        E2bConfig e2b = E2bConfig::fromSettings(settings);
        e2b.apiKey = e2bApiKey;
        if (e2b.workspaceDatabase.isEmpty())
            e2b.workspaceDatabase = config.sandboxLimits.workspaceDatabase;
        config.e2b = e2b;
        config.e2bBreaker = processE2bBreaker();
    }
    return config;
}

bool needsFreshSession(const RunWorkerConfig &from, const RunWorkerConfig &to)
{
    return !(from.sandboxLimits == to.sandboxLimits) || from.e2b != to.e2b || !(from.e2bSize == to.e2bSize);
}

qint64 runTimeLimitMs(const Settings &settings)
{
    const qint64 cap = std::max<qint64>(1000, settings.integer(Setting::RequestTimeLimitCapMs));
    return std::clamp<qint64>(settings.integer(Setting::RunTimeLimitMs), 1000, cap);
}

} // namespace safecell
