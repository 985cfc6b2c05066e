#include "BudgetPolicy.h"

#include "common/Logging.h"
#include "settings/Settings.h"

#include <algorithm>
#include <utility>

namespace safecell {

BudgetPolicy BudgetPolicy::localPart() const
{
    BudgetPolicy local = *this;
    if (hasTeam()) {
        local.setLimit(ScopeLevel::Org, std::nullopt);
        local.setLimit(ScopeLevel::User, std::nullopt);
    }
    return local;
}

BudgetPolicy BudgetPolicy::fromSettings(const Settings &settings)
{
    BudgetPolicy policy;
    bool ok = false;
    const double limitUsd = settings.value(Setting::BudgetMonthlyLimitUsd).toDouble(&ok);
    const auto limit = ok ? Money::fromUsd(limitUsd) : std::nullopt;
    if (!limit)
        qCWarning(lcBudget) << "monthly limit setting is not a usable amount; treating it as $0";
    policy.setLimit(ScopeLevel::Org, limit.value_or(Money()));

    // Narrower scopes: empty is no limit; an unreadable figure fails closed.
    const std::pair<ScopeLevel, Setting> narrower[] = {{ScopeLevel::User, Setting::BudgetUserLimitUsd},
                                                       {ScopeLevel::Session, Setting::BudgetSessionLimitUsd},
                                                       {ScopeLevel::Task, Setting::BudgetTaskLimitUsd}};
    for (const auto &[level, setting] : narrower) {
        const QString text = settings.string(setting).trimmed();
        if (text.isEmpty())
            continue;
        const auto scopeLimit = Money::fromDecimalUsd(text);
        if (!scopeLimit)
            qCWarning(lcBudget) << scopeLevelName(level) << "limit setting is not a usable amount; treating it as $0";
        policy.setLimit(level, scopeLimit.value_or(Money()));
    }
    policy.periodFirstDay = int(std::clamp<qint64>(settings.integer(Setting::BudgetPeriodFirstDay), 1, 28));

    const auto thresholds = BudgetThresholds::fromFractions(settings.number(Setting::BudgetWarnThreshold),
                                                            settings.number(Setting::BudgetDegradeThreshold));
    if (thresholds)
        policy.thresholds = *thresholds;
    else
        qCWarning(lcBudget) << "budget thresholds are invalid or out of order; using 0.75 / 0.9 / 1.0";

    QString teamUrl = settings.string(Setting::TeamServerUrl).trimmed();
    if (teamUrl.isEmpty())
        teamUrl = qEnvironmentVariable("SAFECELL_TEAM_URL").trimmed();
    if (!teamUrl.isEmpty()) {
        auto server = TeamServer::fromUrl(teamUrl);
        if (server)
            policy.team = *server;
        else
            policy.teamProblem = server.error();
    }
    return policy;
}

} // namespace safecell
