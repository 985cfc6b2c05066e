#pragma once

#include "api/ApiServer.h"
#include "budget/BudgetPolicy.h"

namespace safecell::api {

// GET /api/code's answer from the spend ledger (opened on first use, on
// the thread that first asks: the server's): the snapshot of the local
// user's scopes, or why it is unavailable.
ApiServer::BudgetProvider ledgerBudgetProvider(BudgetPolicy policy, QString ledgerPath = {});

} // namespace safecell::api
