#include "cohere/ChatStreamReader.h"

#include "cohere/ChatJson.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace safecell {

namespace {

QJsonObject deltaMessage(const QJsonObject &o)
{
    return o.value(QStringLiteral("delta")).toObject().value(QStringLiteral("message")).toObject();
}

} // namespace

std::optional<CohereError> ChatStreamReader::fail(CohereError::Kind kind, const QString &message)
{
    m_state = State::Failed;
    CohereError e;
    e.kind = kind;
    e.message = message;
    return e;
}

std::optional<CohereError> ChatStreamReader::handle(const SseEvent &event, QString *textDelta)
{
    if (m_state == State::Failed || m_state == State::Done)
        return std::nullopt;
    if (event.data == "[DONE]") {
        if (m_state != State::Ended)
            return fail(CohereError::Kind::StreamIncomplete,
                        QStringLiteral("the stream ended ([DONE]) before message-end"));
        m_state = State::Done;
        return std::nullopt;
    }
    if (m_state == State::Ended)
        return std::nullopt; // nothing after message-end changes the reply

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(event.data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return fail(CohereError::Kind::MalformedResponse,
                    QStringLiteral("invalid JSON in a stream event: ") + parseError.errorString());
    const QJsonObject o = doc.object();
    QString type = o.value(QStringLiteral("type")).toString();
    if (type.isEmpty())
        type = QString::fromUtf8(event.event);

    if (type == QLatin1String("message-start")) {
        m_reply.id = o.value(QStringLiteral("id")).toString();
    } else if (type == QLatin1String("content-start")) {
        const int index = o.value(QStringLiteral("index")).toInt();
        const QJsonObject content = deltaMessage(o).value(QStringLiteral("content")).toObject();
        const QString blockType = content.value(QStringLiteral("type")).toString();
        m_blockTypes.insert(index, blockType);
        if (blockType == QLatin1String("text")) {
            const QString text = content.value(QStringLiteral("text")).toString();
            m_blockText[index] += text;
            if (textDelta)
                *textDelta += text;
        }
    } else if (type == QLatin1String("content-delta")) {
        const int index = o.value(QStringLiteral("index")).toInt();
        // A delta for a block whose start we missed counts as text when it
        // carries text: dropping the user's answer would be worse.
        const QString blockType = m_blockTypes.value(index, QStringLiteral("text"));
        if (blockType == QLatin1String("text")) {
            const QJsonObject content = deltaMessage(o).value(QStringLiteral("content")).toObject();
            const QString text = content.value(QStringLiteral("text")).toString();
            m_blockTypes.insert(index, blockType);
            m_blockText[index] += text;
            if (textDelta)
                *textDelta += text;
        }
    } else if (type == QLatin1String("message-end")) {
        const QJsonObject delta = o.value(QStringLiteral("delta")).toObject();
        m_reply.finishReason = delta.value(QStringLiteral("finish_reason")).toString();
        m_reply.usage = usageFromJson(delta.value(QStringLiteral("usage")));
        if (m_reply.finishReason == QLatin1String("ERROR") || m_reply.finishReason == QLatin1String("TIMEOUT")) {
            QString why = delta.value(QStringLiteral("error")).toString();
            if (why.isEmpty())
                why = QStringLiteral("finish_reason ") + m_reply.finishReason;
            return fail(CohereError::Kind::GenerationFailed, why);
        }
        m_state = State::Ended;
    }
    // content-end, tool-*, citation-*, debug and unknown types: ignored.
    return std::nullopt;
}

std::optional<CohereError> ChatStreamReader::finish()
{
    if (m_state == State::Streaming)
        return fail(CohereError::Kind::StreamIncomplete, QStringLiteral("the stream ended before message-end"));
    return std::nullopt;
}

ChatReply ChatStreamReader::reply() const
{
    ChatReply r = m_reply;
    r.text.clear();
    for (auto it = m_blockText.cbegin(); it != m_blockText.cend(); ++it)
        r.text += it.value();
    return r;
}

} // namespace safecell
