#pragma once

#include "safety/Verdict.h"

#include <QJsonObject>
#include <QString>

namespace safecell::safety {

// What the LLM classifier asks and how its answer is read: plain functions,
// so the safety part stays free of network and budget (the paid call is
// llm/LlmClassifier's).

// The model's answer, checked: anything unparsable, with an unknown label
// or a confidence outside [0, 1] is ambiguous with confidence 0.
struct LlmLabel {
    SafetyLabel label = SafetyLabel::Ambiguous;
    double confidence = 0;
    QString reason;
    bool valid = false; // false: the answer was unusable (reason says why)
};
LlmLabel parseLlmLabel(const QString &replyText);

// What the classifier sends besides the snippet.
QString llmClassifierSystemPrompt();
QJsonObject llmClassifierSchema();

} // namespace safecell::safety
