#pragma once

#include "pipeline/RunOutcome.h"
#include "request/RunRequest.h"
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
};

} // namespace safecell

Q_DECLARE_METATYPE(safecell::RunReport)
