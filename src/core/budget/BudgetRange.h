#pragma once

#include "BudgetPeriod.h"
#include "BudgetScope.h"

#include <QtGlobal>

namespace safecell {

// The spend a scope counts: created time in [fromMs, toMs). Periodic scopes
// count their period; session and task scopes count all time. Threshold
// alerts are keyed by alertKeyMs (the period's start; 0 for all time), so
// each fires once per period.
struct BudgetRange {
    qint64 fromMs = 0;
    qint64 toMs = 0;
    qint64 alertKeyMs = 0;
};

BudgetRange budgetRangeFor(ScopeLevel level, const BudgetPeriod &period);

} // namespace safecell
