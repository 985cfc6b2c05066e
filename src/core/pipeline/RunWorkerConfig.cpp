#include "RunWorkerConfig.h"

#include "cohere/CohereConfig.h"
#include "routing/RoutingSettings.h"
#include "settings/Settings.h"

namespace safecell {

RunWorkerConfig RunWorkerConfig::fromSettings(const Settings &settings, const RunKeys &keys)
{
    RunWorkerConfig config;
    config.sandboxLimits = SandboxLimits::fromSettings(settings);
    config.requestLimits = RequestLimits{settings.integer(Setting::RequestTimeLimitCapMs)};
    config.safetyPolicyFile = settings.string(Setting::SafetyPolicyFile);
    config.budgetPolicy = BudgetPolicy::fromSettings(settings);
    config.llm.baseUrl = cohereBaseUrl(settings);
    config.llm.routing = routingPreferences(settings);
    config.llm.catalogOverridePath = catalogOverridePath(settings);
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

} // namespace safecell
