#pragma once

#include "llm/LlmClassifier.h"
#include "safety/Verdict.h"

#include <QList>
#include <QString>

namespace safecell {

// How a run's record and its error name the finding behind a decision:
// "line N: rule: reason" for the first finding with `label`; empty when none.
QString firstFindingText(const QList<Finding> &findings, SafetyLabel label);

// The note a run keeps of the LLM's label when nothing else was noted:
// "LLM (model): label at 0.93: reason".
QString llmLabelNote(const safety::LlmClassification &llm);

} // namespace safecell
