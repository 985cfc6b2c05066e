#include "BudgetRange.h"

#include <limits>

namespace safecell {

BudgetRange budgetRangeFor(ScopeLevel level, const BudgetPeriod &period)
{
    if (isPeriodic(level)) {
        const qint64 start = period.start.toMSecsSinceEpoch();
        return {start, period.end.toMSecsSinceEpoch(), start};
    }
    return {std::numeric_limits<qint64>::min() / 2, std::numeric_limits<qint64>::max(), 0};
}

} // namespace safecell
