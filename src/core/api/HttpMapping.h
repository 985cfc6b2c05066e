#pragma once

#include "common/Expected.h"
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

// A session id as a client may choose it: 1 to 64 of A-Z a-z 0-9 _ . -
// (it travels in a URL path and in logs, so nothing that needs escaping).
bool isValidSessionId(QStringView id);
// The body's optional `sessionId`: empty when absent (or the body is no
// JSON object, which parseRunRequestJson reports), else the id, or the
// field's error.
Expected<QString, FieldError> sessionIdOf(const QByteArray &body);

} // namespace safecell::api
