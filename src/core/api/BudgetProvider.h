#pragma once

#include "api/ApiServer.h"
#include "budget/BudgetPolicy.h"

namespace safecell::api {

// GET /api/code's answer from the spend ledger: the snapshot of the local
// user's scopes, or why it is unavailable. Without a team server the
// ledger is opened on first use, on the thread that first asks (the
// server's). With one, from the first GET on the snapshot is read each
// second on a thread of its own and the answer is the latest one (its
// `team` part says how fresh, local figures included), so a server that is
// slow or away never holds up the API's thread.
ApiServer::BudgetProvider ledgerBudgetProvider(BudgetPolicy policy, QString ledgerPath = {});

} // namespace safecell::api
