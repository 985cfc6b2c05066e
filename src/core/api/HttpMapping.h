#pragma once

#include "pipeline/RunOutcome.h"
#include "pipeline/RunReport.h"
#include "request/RunRequest.h"

#include <QJsonObject>

namespace safecell::api {

// The HTTP status for a run's outcome, as the original recipe answers:
// 200 when the code ran (even if it raised: the error is in the body).
int httpStatusFor(RunOutcome outcome);

// The recipe's response body plus SafeCell's own fields.
QJsonObject responseBody(const RunReport &report);

// A 400 body that names every broken field.
QJsonObject invalidBody(const ValidationError &error);

// {"error": message} for the statuses that have no run behind them.
QJsonObject errorBody(const QString &message);

} // namespace safecell::api
