#pragma once

#include "request/Language.h"
#include "safety/Policy.h"
#include "safety/Verdict.h"

#include <QStringView>

#include <memory>

namespace safecell::safety {

// Labels a snippet by the policy: the worst finding decides the label, and
// the confidence is that of the most confident finding with that label (the
// policy's safeConfidence when nothing was found).
class Classifier {
public:
    explicit Classifier(std::shared_ptr<const Policy> policy = defaultPolicy());

    Verdict classify(QStringView code, Language language) const;
    const Policy &policy() const { return *m_policy; }

private:
    std::shared_ptr<const Policy> m_policy;
};

// Combines findings into a verdict (exposed for tests).
Verdict verdictFrom(QList<Finding> findings, double safeConfidence);

} // namespace safecell::safety
