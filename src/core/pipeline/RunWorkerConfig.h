#pragma once

#include "budget/BudgetPolicy.h"
#include "budget/CostModel.h"
#include "llm/LlmServices.h"
#include "request/RunRequest.h"
#include "routing/CircuitBreaker.h"
#include "sandbox/SandboxLimits.h"
#include "sandbox/SharedData.h"
#include "sandbox/e2b/E2bConfig.h"
#include "secrets/KeyStore.h"

#include <QString>

#include <memory>
#include <optional>

namespace safecell {

class Settings;

// Everything a RunWorker needs, resolved by the front end (from Settings and
// the keychain) before the worker starts, so the worker never reads files
// or keys of its own accord.
struct RunWorkerConfig {
    SandboxLimits sandboxLimits;
    RequestLimits requestLimits;
    QString safetyPolicyFile = {}; // empty: the built-in policy

    QString ledgerPath = {}; // empty: defaultLedgerPath()
    BudgetPolicy budgetPolicy = {};
    // Set (with an API key) to run code on E2B; otherwise the local sandbox.
    std::optional<E2bConfig> e2b = {};
    // E2B's circuit breaker; null: none. Front ends share processE2bBreaker().
    std::shared_ptr<CircuitBreaker> e2bBreaker = {};
    E2bRates e2bRates = E2bRates::published();
    SandboxSize e2bSize = {};
    // In Degraded state a paid sandbox run gets at most this long.
    qint64 degradedTimeLimitMs = 15000;
    // The LLM classifier's collaborators (key, Cohere URL, router). Its
    // ledger and budget policy, when left empty, are the ones above.
    LlmServicesConfig llm = {};
    // After each Python run, list the session's variables (RunReport::
    // variables) for the window's Variables pane. Off for scripts (CLI and
    // API): they do not pay for it, in time or in one more E2B request.
    bool listVariables = false;
    // The analyst's shared data (File > Add Data…, `run --data`), passed
    // with each run: a change keeps the session's key, budget and /work, but
    // the local kernel restarts at the next run to mount it (not a fresh
    // session in needsFreshSession()'s sense).
    QList<SharedPath> shares = {};

    // Limits, policy file and budget from the settings; E2B only with an E2B
    // key; the Cohere key (or why there is none) for the LLM second opinion.
    static RunWorkerConfig fromSettings(const Settings &settings, const RunKeys &keys = {});
};

// Whether going from `from` to `to` needs a fresh sandbox session, which
// loses its variables: another sandbox (an E2B key added, changed or
// removed, other E2B endpoints) or other sandbox limits and mounts. The
// budget, the models, the Cohere URL, the safety policy and the time cap
// apply to the running session (RunWorker::reconfigure).
bool needsFreshSession(const RunWorkerConfig &from, const RunWorkerConfig &to);

// The window's time limit per run: its setting, from 1 s up to the cap
// (both from the settings).
qint64 runTimeLimitMs(const Settings &settings);

} // namespace safecell

Q_DECLARE_METATYPE(safecell::RunWorkerConfig)
