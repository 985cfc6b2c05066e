#pragma once

#include "pipeline/RunOutcome.h"
#include "request/RunRequest.h"
#include "budget/Money.h"
#include "request/RunResult.h"
#include "safety/Verdict.h"
#include "sandbox/Execution.h"

#include <QList>
#include <QMetaType>

namespace safecell {

// Everything a front end needs once a run has ended.
struct RunReport {
    QString runId;
    RunOutcome outcome = RunOutcome::Ok;
    RunResult result;                   // the recipe's response fields
    QList<FieldError> invalidFields;    // for Invalid
    std::optional<ExecutionError> error; // for Failed
    QList<RichResult> richResults;
    QString message;                    // for the user, when something went wrong
    QString sandbox;                    // which sandbox ran it
    SafetyLabel safetyLabel = SafetyLabel::Safe; // the classifier's label, once classified
    QList<Finding> findings;            // why: for Blocked and NeedsConfirmation, and warnings
    qint64 durationMs = 0;

    // The Classifying step's deciding signal and its LLM second opinion.
    QString decidedBy;          // "local rules", "llm" or "analyst" (a confirmed run)
    QString classificationNote; // why the analyst must confirm, or what the LLM said
    QString llmModel;           // empty when no LLM call was made
    QString llmRouteReason;     // why that model
    Money llmCost;              // settled in the ledger
    qint64 llmInputTokens = 0;
    qint64 llmOutputTokens = 0;
    QByteArray llmRequest;      // exactly what was sent to Cohere ("what was sent" view)
};

} // namespace safecell

Q_DECLARE_METATYPE(safecell::RunReport)
