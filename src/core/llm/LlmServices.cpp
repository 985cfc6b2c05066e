#include "LlmServices.h"

#include "budget/LedgerLocation.h"
#include "cohere/CohereConfig.h"
#include "routing/RoutingSettings.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

namespace safecell {

LlmServicesConfig llmServicesFromSettings(const Settings &settings)
{
    LlmServicesConfig config;
    config.baseUrl = cohereBaseUrl(settings);
    config.budgetPolicy = BudgetPolicy::fromSettings(settings);
    config.routing = routingPreferences(settings);
    config.catalogOverridePath = catalogOverridePath(settings);
    return config;
}

std::shared_ptr<CircuitBreakers> processCircuitBreakers()
{
    static const auto breakers = std::make_shared<CircuitBreakers>();
    return breakers;
}

Expected<std::unique_ptr<LlmServices>, QString> LlmServices::create(QNetworkAccessManager *nam,
                                                                    LlmServicesConfig config)
{
    if (config.baseUrl.isEmpty())
        return unexpected(QStringLiteral("no Cohere URL is configured"));
    if (!config.budgetPolicy)
        return unexpected(QStringLiteral("no budget policy is configured"));
    if (!config.routing)
        config.routing = RoutingPreferences::defaults();
    if (!config.catalogOverridePath)
        config.catalogOverridePath = ModelCatalog::defaultOverridePath();
    if (config.ledgerPath.isEmpty())
        config.ledgerPath = defaultLedgerPath();
    if (!config.breakers)
        config.breakers = processCircuitBreakers();

    auto catalog = ModelCatalog::load(*config.catalogOverridePath);
    if (!catalog)
        return unexpected(QStringLiteral("the model catalogue cannot be read: %1").arg(catalog.error()));
    auto ledger = SpendLedger::open(config.ledgerPath);
    if (!ledger)
        return unexpected(QStringLiteral("the spend ledger cannot be opened: %1").arg(ledger.error().message));
    ModelRouter router(std::move(catalog.value()), config.breakers, *config.routing);
    std::unique_ptr<LlmServices> services(
        new LlmServices(std::move(config), std::move(ledger.value()), std::move(router)));
    services->m_client = std::make_unique<CohereClient>(nam, services->m_config.baseUrl);
    return services;
}

LlmServices::LlmServices(LlmServicesConfig config, std::unique_ptr<SpendLedger> ledger, ModelRouter router)
    : m_config(std::move(config))
    , m_ledger(std::move(ledger))
    , m_budget(std::make_unique<BudgetController>(*m_ledger, *m_config.budgetPolicy))
    , m_router(std::move(router))
{
}

// The client first: destroying it aborts its calls before the ledger goes.
LlmServices::~LlmServices()
{
    m_client.reset();
}

Expected<BudgetState, QString> LlmServices::budgetState(const BudgetScopes &scopes)
{
    const auto snapshot = m_budget->snapshot(scopes);
    if (!snapshot)
        return unexpected(snapshot.error().message);
    return snapshot->state;
}

namespace {
// `why` is put inside a sentence of the caller's.
QString withoutFullStop(QString text)
{
    while (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}
} // namespace

void lookupCohereKey(const LlmServicesConfig &config, KeyStore *store, QObject *context,
                     std::function<void(const QString &key, const QString &why)> done)
{
    if (config.apiKey || !store) {
        const QString key = config.apiKey.value_or(QString());
        QString why;
        if (key.isEmpty()) {
            why = config.apiKeyProblem.isEmpty()
                      ? QStringLiteral("no Cohere API key is set (Settings, or COHERE_API_KEY)")
                      : QStringLiteral("the Cohere API key cannot be read: %1")
                            .arg(withoutFullStop(config.apiKeyProblem));
        }
        QMetaObject::invokeMethod(
            context, [done, key, why] { done(key, why); }, Qt::QueuedConnection);
        return;
    }
    store->read(KeyId::Cohere, context, [done](KeyResult result) {
        if (result && !result->isEmpty()) {
            done(*result, {});
            return;
        }
        if (result || result.error().kind == KeyError::Kind::NotFound)
            done({}, QStringLiteral("no Cohere API key is set (Settings, or COHERE_API_KEY)"));
        else
            done({},
                 QStringLiteral("the Cohere API key cannot be read: %1").arg(withoutFullStop(result.error().message)));
    });
}

} // namespace safecell
