#include "ConfidenceRouter.h"

#include <algorithm>
#include <cmath>

namespace safecell::safety {

ConfidenceRouter::ConfidenceRouter(double acceptThreshold, double fallbackThreshold)
    : m_accept(std::clamp(acceptThreshold, 0.0, 1.0))
    , m_fallback(std::clamp(fallbackThreshold, 0.0, 1.0))
{
    if (m_fallback > m_accept)
        std::swap(m_fallback, m_accept);
}

ConfidenceRouter::Decision ConfidenceRouter::route(const QList<Prediction> &predictions) const
{
    const Prediction *best = nullptr;
    for (const Prediction &p : predictions) {
        if (std::isnan(p.confidence))
            continue;
        if (!best || p.confidence > best->confidence)
            best = &p;
    }
    if (!best)
        return Decision{Route::Fallback, SafetyLabel::Ambiguous, 0};
    if (best->confidence >= m_accept)
        return Decision{Route::Accept, best->label, best->confidence};
    if (best->confidence < m_fallback)
        return Decision{Route::Fallback, SafetyLabel::Ambiguous, best->confidence};
    return Decision{Route::Escalate, best->label, best->confidence};
}

ConfidenceRouter::Decision ConfidenceRouter::route(const Verdict &verdict) const
{
    return route(QList<Prediction>{Prediction{verdict.label, verdict.confidence}});
}

} // namespace safecell::safety
