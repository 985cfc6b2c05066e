#pragma once

#include "budget/BudgetController.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QString>

#include <optional>

namespace safecell {

// What the analyst is told when the warm E2B sandbox was closed between
// runs: why (idle for `idleTimeoutMs`, or the budget's `refusal` to keep
// it warm) and that its variables are gone.
QString warmSessionEndNote(E2bSandbox::WarmEnd why, const std::optional<BudgetError> &refusal, qint64 idleTimeoutMs);

} // namespace safecell
