#pragma once

#include "sandbox/Execution.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace safecell::api {

// `POST /api/code` with `Accept: application/x-ndjson`: the run's events
// as they happen, one JSON object per line, in the order the sandbox sent
// them:
//   {"type": "stdout", "text": ...}   {"type": "stderr", "text": ...}
//   {"type": "result", "data": {...}, "isMainResult": ...} (a mime bundle)
//   {"type": "end", "status": <the status the JSON answer would have>,
//    "response": <the JSON answer's body>}, always last.
// The head (200) goes out with the first event, which only a running
// snippet sends; from then on the run's own ending (a sandbox lost
// mid-run: 503) is the `end` line's status. A run that sent nothing, such
// as one refused by its checks (402, 403, 409, 503), answers with its own
// status and the single `end` line; a request that never became a run
// (400, 401, 413, 429) gets the usual JSON error.
bool wantsStream(const QByteArray &acceptHeader);

QByteArray stdoutEvent(const QString &text);
QByteArray stderrEvent(const QString &text);
QByteArray resultEvent(const RichResult &result);
QByteArray endEvent(int status, const QJsonObject &response);

// One chunk of HTTP/1.1 chunked transfer coding (RFC 9112 7.1), and the
// last one, which ends the body.
QByteArray httpChunk(const QByteArray &data);
QByteArray lastHttpChunk();

inline constexpr char kNdjsonType[] = "application/x-ndjson";

} // namespace safecell::api
