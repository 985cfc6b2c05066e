#pragma once

#include "CircuitBreaker.h"
#include "ModelCatalog.h"

#include "budget/BudgetState.h"
#include "common/Expected.h"

#include <QHash>
#include <QStringList>

#include <memory>

namespace safecell {

// The preferred models per purpose, best first: the fallback chain.
struct RoutingPreferences {
    QHash<Purpose, QStringList> chains;
    static RoutingPreferences defaults();
};

struct RouteDecision {
    Purpose purpose = Purpose::Generate;
    QString modelId;
    bool trial = false; // a half-open breaker's single trial call
    QString reason;     // why this model, for the run history
};

struct RouteRefusal {
    enum class Kind { BudgetStopped, NoCapableModel, AllUnavailable };
    Kind kind = Kind::NoCapableModel;
    QString reason;
};

// Picks the model for a purpose given the budget state:
// - Active / Warned: the purpose's chain, best first;
// - Degraded: every usable, capable model in the catalogue, cheapest first;
// - Stopped: nothing (paid calls are blocked).
// Unpriced, deprecated or incapable models are never chosen; a model whose
// breaker is open is skipped for the next one. The caller reports each
// call's outcome with reportSuccess / reportFailure / reportAbandoned.
class ModelRouter {
public:
    ModelRouter(ModelCatalog catalog, std::shared_ptr<CircuitBreakers> breakers,
                RoutingPreferences preferences = RoutingPreferences::defaults());

    Expected<RouteDecision, RouteRefusal> route(Purpose purpose, BudgetState budget);

    void reportSuccess(const QString &modelId);
    void reportFailure(const QString &modelId);
    void reportAbandoned(const QString &modelId);

    const ModelCatalog &catalog() const { return m_catalog; }
    CircuitBreakers &breakers() { return *m_breakers; }

private:
    // A nominal call per purpose, to compare prices in Degraded.
    Money nominalCost(const ModelInfo &model, Purpose purpose) const;
    QList<ModelInfo> degradedCandidates(Purpose purpose) const;

    ModelCatalog m_catalog;
    std::shared_ptr<CircuitBreakers> m_breakers;
    RoutingPreferences m_preferences;
};

} // namespace safecell
