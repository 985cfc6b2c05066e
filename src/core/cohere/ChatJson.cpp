#include "cohere/ChatJson.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace safecell {

namespace {

QString roleName(ChatMessage::Role role)
{
    switch (role) {
    case ChatMessage::Role::System:
        return QStringLiteral("system");
    case ChatMessage::Role::User:
        return QStringLiteral("user");
    case ChatMessage::Role::Assistant:
        return QStringLiteral("assistant");
    }
    return QStringLiteral("user");
}

CohereError malformed(const QString &why)
{
    CohereError e;
    e.kind = CohereError::Kind::MalformedResponse;
    e.message = why;
    return e;
}

} // namespace

QByteArray chatRequestBody(const ChatRequest &request, bool stream)
{
    QJsonArray messages;
    for (const ChatMessage &m : request.messages) {
        messages.append(
            QJsonObject{{QStringLiteral("role"), roleName(m.role)}, {QStringLiteral("content"), m.content}});
    }
    QJsonObject body{{QStringLiteral("model"), request.model},
                     {QStringLiteral("messages"), messages},
                     {QStringLiteral("stream"), stream}};
    if (request.maxTokens)
        body.insert(QStringLiteral("max_tokens"), *request.maxTokens);
    if (request.temperature)
        body.insert(QStringLiteral("temperature"), *request.temperature);
    if (request.jsonObject) {
        QJsonObject format{{QStringLiteral("type"), QStringLiteral("json_object")}};
        if (!request.jsonSchema.isEmpty())
            format.insert(QStringLiteral("json_schema"), request.jsonSchema);
        body.insert(QStringLiteral("response_format"), format);
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

namespace {

// A token count as billed: a double in JSON, so it can be anything. Out of
// qint64's range the conversion is undefined (the SSE fuzzer sent 2.2e100):
// it is capped, which still charges far past any limit, never wraps.
qint64 tokenCount(const QJsonValue &value)
{
    constexpr double kMaxTokens = 1e15;
    const double count = value.toDouble(0);
    if (!(count > 0)) // negative, zero or NaN
        return 0;
    return count >= kMaxTokens ? qint64(kMaxTokens) : qint64(count);
}

} // namespace

Usage usageFromJson(const QJsonValue &usage)
{
    const QJsonValue billed = usage.toObject().value(QStringLiteral("billed_units"));
    const QJsonObject units = billed.toObject();
    Usage u;
    u.inputTokens = tokenCount(units.value(QStringLiteral("input_tokens")));
    u.outputTokens = tokenCount(units.value(QStringLiteral("output_tokens")));
    return u;
}

QString textFromContent(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    const QJsonArray items = content.toArray();
    for (const QJsonValue &item : items) {
        const QJsonObject o = item.toObject();
        if (o.value(QStringLiteral("type")).toString() == QLatin1String("text"))
            text += o.value(QStringLiteral("text")).toString();
    }
    return text;
}

Expected<ChatReply, CohereError> parseChatResponse(QByteArrayView body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return unexpected(malformed(QStringLiteral("invalid JSON: ") + parseError.errorString()));
    if (!doc.isObject())
        return unexpected(malformed(QStringLiteral("the chat response is not a JSON object")));
    const QJsonObject o = doc.object();
    const QJsonValue message = o.value(QStringLiteral("message"));
    if (!message.isObject())
        return unexpected(malformed(QStringLiteral("the chat response has no message")));
    ChatReply reply;
    reply.id = o.value(QStringLiteral("id")).toString();
    reply.finishReason = o.value(QStringLiteral("finish_reason")).toString();
    reply.text = textFromContent(message.toObject().value(QStringLiteral("content")));
    reply.usage = usageFromJson(o.value(QStringLiteral("usage")));
    return reply;
}

CohereError errorFromHttpResponse(int status, QByteArrayView body)
{
    CohereError e;
    e.kind = cohereErrorKindForStatus(status);
    e.httpStatus = status;
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray());
    if (doc.isObject()) {
        const QJsonObject o = doc.object();
        e.message = o.value(QStringLiteral("message")).toString();
        e.requestId = o.value(QStringLiteral("id")).toString();
    }
    if (e.message.isEmpty() && !body.isEmpty())
        e.message = QString::fromUtf8(body.first(std::min<qsizetype>(body.size(), 500))).trimmed();
    return e;
}

} // namespace safecell
