#include "BudgetPolicy.h"

#include "common/Logging.h"
#include "settings/Settings.h"

namespace safecell {

BudgetPolicy BudgetPolicy::fromSettings(const Settings &settings)
{
    BudgetPolicy policy;
    bool ok = false;
    const double limitUsd = settings.value(Setting::BudgetMonthlyLimitUsd).toDouble(&ok);
    const auto limit = ok ? Money::fromUsd(limitUsd) : std::nullopt;
    if (!limit)
        qCWarning(lcBudget) << "monthly limit setting is not a usable amount; treating it as $0";
    policy.setLimit(ScopeLevel::Org, limit.value_or(Money()));

    const auto thresholds = BudgetThresholds::fromFractions(settings.number(Setting::BudgetWarnThreshold),
                                                            settings.number(Setting::BudgetDegradeThreshold));
    if (thresholds)
        policy.thresholds = *thresholds;
    else
        qCWarning(lcBudget) << "budget thresholds are invalid or out of order; using 0.75 / 0.9 / 1.0";
    return policy;
}

} // namespace safecell
