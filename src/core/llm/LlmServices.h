#pragma once

#include "budget/BudgetController.h"
#include "budget/BudgetPolicy.h"
#include "budget/BudgetScope.h"
#include "budget/SpendLedger.h"
#include "cohere/CohereClient.h"
#include "common/Expected.h"
#include "routing/ModelRouter.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace safecell {

class KeyStore;

// Where a paid Cohere call's collaborators come from. The URL and the budget
// policy come from the caller's settings (llmServicesFromSettings); the rest
// have defaults that read no settings.
struct LlmServicesConfig {
    QUrl baseUrl;                               // required: the services refuse without it
    QString ledgerPath;                         // empty: defaultLedgerPath() ($SAFECELL_DATA_DIR)
    std::optional<BudgetPolicy> budgetPolicy;   // required: the services refuse without it
    std::shared_ptr<CircuitBreakers> breakers;  // null: the process-wide breakers
    std::optional<RoutingPreferences> routing;  // nullopt: the built-in chains
    std::optional<QString> catalogOverridePath; // nullopt: ModelCatalog::defaultOverridePath()
    std::optional<QString> apiKey;              // set: used instead of the key store; empty = no key
    QString apiKeyProblem;                      // with an empty apiKey: why the keychain could not tell
    ChatCallOptions callOptions;
};

class Settings;

// The Cohere URL, budget, routing and catalogue from `settings` (the
// window's, so what the user saved is what a paid call uses).
LlmServicesConfig llmServicesFromSettings(const Settings &settings);

// The breakers every router in this process shares, so five failures seen
// by any run open a model's circuit for all of them.
std::shared_ptr<CircuitBreakers> processCircuitBreakers();

// Everything a paid LLM call needs on one thread: the Cohere client on that
// thread's QNetworkAccessManager, the ledger and budget controller (SQLite,
// used on the thread that opened it), and the model router.
class LlmServices {
public:
    // Refuses (an error value) a config without a URL or a budget policy:
    // the caller's settings decide those, never a default of ours.
    static Expected<std::unique_ptr<LlmServices>, QString> create(QNetworkAccessManager *nam, LlmServicesConfig config);
    ~LlmServices();

    CohereClient &client() { return *m_client; }
    BudgetController &budget() { return *m_budget; }
    ModelRouter &router() { return m_router; }
    const LlmServicesConfig &config() const { return m_config; }

    // The worst state of the given scopes.
    Expected<BudgetState, QString> budgetState(const BudgetScopes &scopes);

private:
    LlmServices(LlmServicesConfig config, std::unique_ptr<SpendLedger> ledger, ModelRouter router);

    LlmServicesConfig m_config;
    std::unique_ptr<SpendLedger> m_ledger;
    std::unique_ptr<BudgetController> m_budget;
    ModelRouter m_router;
    std::unique_ptr<CohereClient> m_client;
};

// The Cohere key: config.apiKey when set (a run's key, read before the run),
// else $COHERE_API_KEY or the keychain through `store` (without a store: no key). done(key) runs in context's thread;
// an empty key means there is none, and `why` says so for the run's record (never containing a key).
void lookupCohereKey(const LlmServicesConfig &config, KeyStore *store, QObject *context,
                     std::function<void(const QString &key, const QString &why)> done);

} // namespace safecell
