#include "Classifier.h"

#include "safety/PyAnalyzer.h"
#include "safety/SqlAnalyzer.h"

namespace safecell::safety {

Classifier::Classifier(std::shared_ptr<const Policy> policy)
    : m_policy(policy ? std::move(policy) : defaultPolicy())
{
}

Verdict Classifier::classify(QStringView code, Language language) const
{
    QList<Finding> findings = language == Language::Sql ? analyzeSql(code, *m_policy) : analyzePython(code, *m_policy);
    return verdictFrom(std::move(findings), m_policy->safeConfidence);
}

Verdict verdictFrom(QList<Finding> findings, double safeConfidence)
{
    Verdict verdict;
    verdict.confidence = safeConfidence;
    for (const Finding &f : std::as_const(findings)) {
        if (f.label > verdict.label) {
            verdict.label = f.label;
            verdict.confidence = f.confidence;
        } else if (f.label == verdict.label && verdict.label != SafetyLabel::Safe) {
            verdict.confidence = std::max(verdict.confidence, f.confidence);
        }
    }
    verdict.findings = std::move(findings);
    return verdict;
}

} // namespace safecell::safety
