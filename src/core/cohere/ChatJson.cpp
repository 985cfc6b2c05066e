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

Usage usageFromJson(const QJsonValue &usage)
{
    const QJsonValue billed = usage.toObject().value(QStringLiteral("billed_units"));
    const QJsonObject units = billed.toObject();
    Usage u;
    u.inputTokens = qint64(units.value(QStringLiteral("input_tokens")).toDouble(0));
    u.outputTokens = qint64(units.value(QStringLiteral("output_tokens")).toDouble(0));
    if (u.inputTokens < 0)
        u.inputTokens = 0;
    if (u.outputTokens < 0)
        u.outputTokens = 0;
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
