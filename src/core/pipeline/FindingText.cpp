#include "FindingText.h"

namespace safecell {

QString firstFindingText(const QList<Finding> &findings, SafetyLabel label)
{
    for (const Finding &f : findings) {
        if (f.label == label)
            return QStringLiteral("line %1: %2: %3").arg(f.line).arg(f.rule, f.reason);
    }
    return {};
}

QString llmLabelNote(const safety::LlmClassification &llm)
{
    return QStringLiteral("LLM (%1): %2 at %3: %4")
        .arg(llm.model, safetyLabelName(llm.label.label))
        .arg(llm.label.confidence, 0, 'f', 2)
        .arg(llm.label.reason);
}

} // namespace safecell
