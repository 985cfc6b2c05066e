#include "ModelRouter.h"

#include "common/Logging.h"

#include <algorithm>
#include <limits>

namespace safecell {

RoutingPreferences RoutingPreferences::defaults()
{
    RoutingPreferences p;
    // Classification is a short JSON verdict: a small model does it well.
    p.chains.insert(Purpose::Classify, {QStringLiteral("command-r7b-12-2024"), QStringLiteral("command-r-08-2024"),
                                        QStringLiteral("command-a-03-2025")});
    p.chains.insert(Purpose::Generate, {QStringLiteral("command-a-03-2025"), QStringLiteral("command-r-plus-08-2024"),
                                        QStringLiteral("command-r-08-2024")});
    p.chains.insert(Purpose::Explain, {QStringLiteral("command-r-08-2024"), QStringLiteral("command-a-03-2025"),
                                       QStringLiteral("command-r7b-12-2024")});
    return p;
}

ModelRouter::ModelRouter(ModelCatalog catalog, std::shared_ptr<CircuitBreakers> breakers,
                         RoutingPreferences preferences)
    : m_catalog(std::move(catalog))
    , m_breakers(std::move(breakers))
    , m_preferences(std::move(preferences))
{
    if (!m_breakers)
        m_breakers = std::make_shared<CircuitBreakers>();
}

Money ModelRouter::nominalCost(const ModelInfo &model, Purpose purpose) const
{
    // Classify: a snippet in, a short verdict out. Generate and explain:
    // as much out as in.
    const qint64 output = purpose == Purpose::Classify ? 50 : 1000;
    return model.price ? cost::llm(*model.price, 1000, output) : Money::fromNanos(std::numeric_limits<qint64>::max());
}

QList<ModelInfo> ModelRouter::degradedCandidates(Purpose purpose) const
{
    QList<ModelInfo> candidates;
    for (const ModelInfo &m : m_catalog.models()) {
        if (m.isUsable() && m.can(purpose))
            candidates << m;
    }
    std::stable_sort(candidates.begin(), candidates.end(), [&](const ModelInfo &a, const ModelInfo &b) {
        const Money ca = nominalCost(a, purpose), cb = nominalCost(b, purpose);
        return ca != cb ? ca < cb : a.id < b.id;
    });
    return candidates;
}

Expected<RouteDecision, RouteRefusal> ModelRouter::route(Purpose purpose, BudgetState budget)
{
    const QString what = purposeName(purpose);
    if (budget == BudgetState::Stopped)
        return unexpected(RouteRefusal{RouteRefusal::Kind::BudgetStopped,
                                       QStringLiteral("%1: budget stopped, paid model calls are blocked").arg(what)});

    QList<ModelInfo> candidates;
    QStringList skipped;
    const bool degraded = budget == BudgetState::Degraded;
    if (degraded) {
        candidates = degradedCandidates(purpose);
    } else {
        for (const QString &id : m_preferences.chains.value(purpose)) {
            const auto m = m_catalog.model(id);
            if (!m)
                skipped << QStringLiteral("%1 not in the catalogue").arg(id);
            else if (!m->price)
                skipped << QStringLiteral("%1 has no known price").arg(id);
            else if (!m->isUsable())
                skipped << QStringLiteral("%1 is %2").arg(id, m->status);
            else if (!m->can(purpose))
                skipped << QStringLiteral("%1 cannot %2").arg(id, what);
            else
                candidates << *m;
        }
    }
    if (candidates.isEmpty()) {
        QString reason = QStringLiteral("%1: no usable model").arg(what);
        if (!skipped.isEmpty())
            reason += QStringLiteral(" (%1)").arg(skipped.join(QStringLiteral("; ")));
        return unexpected(RouteRefusal{RouteRefusal::Kind::NoCapableModel, reason});
    }

    for (qsizetype i = 0; i < candidates.size(); ++i) {
        const ModelInfo &m = candidates.at(i);
        CircuitBreaker &breaker = m_breakers->forModel(m.id);
        const BreakerState before = breaker.state();
        if (!breaker.tryAcquire()) {
            skipped << QStringLiteral("%1 circuit %2").arg(m.id, breakerStateName(before));
            continue;
        }
        RouteDecision decision;
        decision.purpose = purpose;
        decision.modelId = m.id;
        decision.trial = before == BreakerState::HalfOpen;
        QString why;
        if (degraded)
            why = i == 0 ? QStringLiteral("budget degraded: cheapest capable model")
                         : QStringLiteral("budget degraded: cheapest available capable model");
        else
            why = i == 0 && skipped.isEmpty() ? QStringLiteral("first choice") : QStringLiteral("fallback");
        if (!skipped.isEmpty())
            why += QStringLiteral(" after: %1").arg(skipped.join(QStringLiteral("; ")));
        if (decision.trial)
            why += QStringLiteral("; half-open trial call");
        decision.reason = QStringLiteral("%1: %2 (%3)").arg(what, m.id, why);
        qCDebug(lcRouting).noquote() << decision.reason;
        return decision;
    }
    return unexpected(
        RouteRefusal{RouteRefusal::Kind::AllUnavailable, QStringLiteral("%1: every capable model is unavailable (%2)")
                                                             .arg(what, skipped.join(QStringLiteral("; ")))});
}

void ModelRouter::reportSuccess(const QString &modelId)
{
    m_breakers->forModel(modelId).recordSuccess();
}

void ModelRouter::reportFailure(const QString &modelId)
{
    CircuitBreaker &breaker = m_breakers->forModel(modelId);
    breaker.recordFailure();
    if (breaker.state() == BreakerState::Open)
        qCWarning(lcRouting).noquote() << "circuit for" << modelId << "is open";
}

void ModelRouter::reportAbandoned(const QString &modelId)
{
    m_breakers->forModel(modelId).recordAbandoned();
}

} // namespace safecell
