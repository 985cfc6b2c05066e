#pragma once

#include "budget/BudgetSnapshot.h"
#include "budget/Money.h"
#include "pipeline/RunOutcome.h"
#include "request/RunRequest.h"
#include "request/RunResult.h"
#include "safety/Verdict.h"
#include "sandbox/Execution.h"
#include "sandbox/WorkFiles.h"

#include <QList>
#include <QMetaType>
#include <QStringList>

namespace safecell {

// Everything a front end needs once a run has ended.
struct RunReport {
    QString runId;
    RunOutcome outcome = RunOutcome::Ok;
    RunResult result;                    // the recipe's response fields
    QList<FieldError> invalidFields;     // for Invalid
    std::optional<ExecutionError> error; // for Failed
    QList<RichResult> richResults;
    std::optional<VariableListing> variables;    // the session's, when the sandbox listed them after the code
    std::optional<WorkFileListing> workFiles;    // the session's /work after the run (local sandbox)
    QString message;                             // for the user, when something went wrong
    QString sandbox;                             // which sandbox ran it
    bool classified = false;                     // the safety check ran
    SafetyLabel safetyLabel = SafetyLabel::Safe; // the classifier's label, once classified
    QList<Finding> findings;                     // why: for Blocked and NeedsConfirmation, and warnings
    QString decidedBy;                           // "local rules", "llm" or "analyst"
    QString model;                               // the LLM consulted, if any (empty: no LLM call)
    QString modelReason;                         // why the router chose it
    Money llmCost;
    Money sandboxCost;
    std::optional<Money> remaining; // for OverBudget: what the deciding scope had left
    QString budgetStateBefore;      // "active", "warned", ...; empty without a ledger
    QString budgetStateAfter;
    std::optional<BudgetSnapshot> budget; // after the run, for the gauge and the API's `budget`
    qint64 durationMs = 0;
    qint64 executionMs = 0;           // of which inside the sandbox
    qint64 timeLimitMs = 0;           // the limit the run had (0: it never reached the sandbox)
    bool timeLimitFromBudget = false; // shortened from the asked limit: the budget is nearly spent
    QString classificationNote;       // why the analyst must confirm, or what the LLM said
    qint64 llmInputTokens = 0;
    qint64 llmOutputTokens = 0;
    QByteArray llmRequest; // exactly what was sent to Cohere ("what was sent" view)
    // A provider billed this run more than was reserved for it: recorded as
    // billed, the budget's scopes are Stopped (the message says so).
    bool budgetBreach = false;
    // What left the machine: local files this run uploaded to E2B, and
    // whether its E2B sandbox could reach the internet.
    QStringList uploadedFiles = {};
    bool internetAllowed = false;
    // For NeedsConfirmation: the run needed these files uploaded to E2B and
    // the request did not allow it (RunRequest::uploadData).
    QStringList skippedUploads = {};
};

} // namespace safecell

Q_DECLARE_METATYPE(safecell::RunReport)
