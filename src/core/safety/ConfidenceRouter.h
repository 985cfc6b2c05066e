#pragma once

#include "safety/Verdict.h"

#include <QList>

namespace safecell::safety {

struct Prediction {
    SafetyLabel label = SafetyLabel::Ambiguous;
    double confidence = 0;
};

// The recipe's router: the most confident prediction is accepted at
// >= acceptThreshold, treated as ambiguous below fallbackThreshold, and sent
// to a second opinion (the LLM classifier) in between. An empty list is a
// fallback, never an error.
class ConfidenceRouter {
public:
    enum class Route { Accept, Escalate, Fallback };
    struct Decision {
        Route route = Route::Fallback;
        SafetyLabel label = SafetyLabel::Ambiguous; // Accept: the label; Fallback: ambiguous
        double confidence = 0;
    };

    static constexpr double kDefaultAccept = 0.8;
    static constexpr double kDefaultFallback = 0.3;

    explicit ConfidenceRouter(double acceptThreshold = kDefaultAccept, double fallbackThreshold = kDefaultFallback);

    double acceptThreshold() const { return m_accept; }
    double fallbackThreshold() const { return m_fallback; }

    Decision route(const QList<Prediction> &predictions) const;
    Decision route(const Verdict &verdict) const;

private:
    double m_accept;
    double m_fallback;
};

} // namespace safecell::safety
