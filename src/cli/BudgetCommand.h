#pragma once

#include <QStringList>

namespace safecell::cli {

// `safecell budget [--json]`: prints the budget snapshot of this user's
// ledger (the gauge's figures; --json gives GET /api/code's budget body).
int budgetCommand(const QStringList &arguments);

} // namespace safecell::cli
