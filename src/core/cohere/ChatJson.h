#pragma once

#include "cohere/CohereError.h"
#include "cohere/CohereTypes.h"
#include "common/Expected.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonValue>

namespace safecell {

// The JSON of POST /v2/chat (protocols.md §2.2), with "stream" set as asked.
QByteArray chatRequestBody(const ChatRequest &request, bool stream);

// Billed tokens from a "usage" value; zeros for anything absent, null or of
// the wrong type (a null body gives zeros, never a crash).
Usage usageFromJson(const QJsonValue &usage);

// The concatenation of the "text" items of message.content, skipping
// "thinking" and any other item types. A plain string is taken as is.
QString textFromContent(const QJsonValue &content);

// A 200 body of a non-streaming chat (§2.3).
Expected<ChatReply, CohereError> parseChatResponse(QByteArrayView body);

// An error status with its body (§2.5): the server's "message" when the body
// is the JSON error shape, else the start of the raw body.
CohereError errorFromHttpResponse(int status, QByteArrayView body);

} // namespace safecell
