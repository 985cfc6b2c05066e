#pragma once

#include "Money.h"

#include <QString>

#include <optional>

namespace safecell {

enum class BudgetState { Active = 0, Warned = 1, Degraded = 2, Stopped = 3 };
// The internal name: "active", "warned", ... (the ledger's alert table and
// the run history store it; never change it under them).
QString budgetStateName(BudgetState state);
std::optional<BudgetState> budgetStateFromName(const QString &name);
// The name on the wire, as the original recipe's contract spells it:
// "Active", "Warned", "Degraded", "Stopped" (the API's and --json's `state`).
QString budgetStateWireName(BudgetState state);

// Utilisation thresholds: Warned from `warn`, Degraded from `degrade`,
// Stopped from `stop`. Kept as parts per million so that "u equals the
// threshold" is decided in integers, not in floating point.
struct BudgetThresholds {
    qint64 warnPpm = 750'000;
    qint64 degradePpm = 900'000;
    qint64 stopPpm = 1'000'000;

    // From fractions (settings); an invalid or unordered set gives nullopt.
    static std::optional<BudgetThresholds> fromFractions(double warn, double degrade, double stop = 1.0);
    qint64 ppm(BudgetState state) const;
};

// The state of one scope: used = settled + reserved against its limit.
BudgetState budgetStateFor(Money used, Money limit, const BudgetThresholds &thresholds);
// used >= fraction x limit, exactly.
bool reachesFraction(Money used, Money limit, qint64 ppm);
// The hard cap: stop threshold x limit (nothing paid may take used past it).
Money hardCap(Money limit, const BudgetThresholds &thresholds);

} // namespace safecell
