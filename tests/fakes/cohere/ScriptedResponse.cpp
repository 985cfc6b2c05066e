#include "cohere/ScriptedResponse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUuid>

namespace safecell::fake {

QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2); // strip [ ]
}

QByteArray newRequestId()
{
    return QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
}

namespace {

QByteArray usageJson(qint64 in, qint64 out)
{
    // billed_units is what is charged; tokens adds the (unbilled) template.
    return "{\"billed_units\":{\"input_tokens\":" + QByteArray::number(in) + ",\"output_tokens\":"
           + QByteArray::number(out) + "},\"tokens\":{\"input_tokens\":" + QByteArray::number(in + 66)
           + ",\"output_tokens\":" + QByteArray::number(out) + "}}";
}

QByteArray sseEvent(const QByteArray &type, const QByteArray &json)
{
    return "event: " + type + "\ndata: " + json + "\n\n";
}

QByteArray idOr(const QString &id)
{
    return id.isEmpty() ? newRequestId() : id.toUtf8();
}

} // namespace

ScriptedResponse ScriptedResponse::chat(const QString &text, qint64 inputTokens, qint64 outputTokens, const QString &id)
{
    QByteArray body = "{\"id\":\"" + idOr(id)
                      + "\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":"
                      + jsonString(text)
                      + "}]},\"finish_reason\":\"COMPLETE\",\"usage\":" + usageJson(inputTokens, outputTokens) + "}";
    return rawJson(body);
}

ScriptedResponse ScriptedResponse::rawJson(const QByteArray &body, int status)
{
    ScriptedResponse r;
    r.status = status;
    r.headers = {{"content-type", "application/json"}};
    r.steps = {{body, 0}};
    return r;
}

ScriptedResponse ScriptedResponse::stream(const QStringList &pieces, qint64 inputTokens, qint64 outputTokens,
                                          const QString &id)
{
    QByteArray sse = sseEvent("message-start", "{\"type\":\"message-start\",\"id\":\"" + idOr(id)
                                                   + "\",\"delta\":{\"message\":{\"role\":\"assistant\"}}}");
    sse += sseEvent("content-start", "{\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":{\"content\":"
                                     "{\"type\":\"text\",\"text\":\"\"}}}}");
    for (const QString &piece : pieces) {
        sse += sseEvent("content-delta", "{\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":"
                                         "{\"text\":"
                                             + jsonString(piece) + "}}}}");
    }
    sse += sseEvent("content-end", "{\"type\":\"content-end\",\"index\":0}");
    sse += sseEvent("message-end", "{\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":"
                                       + usageJson(inputTokens, outputTokens) + "}}");
    return rawStream(sse);
}

ScriptedResponse ScriptedResponse::rawStream(const QByteArray &sse)
{
    ScriptedResponse r;
    r.headers = {{"content-type", "text/event-stream"}, {"cache-control", "no-cache"}};
    r.chunked = true;
    r.steps = {{sse, 0}};
    return r;
}

ScriptedResponse ScriptedResponse::error(int status, const QString &message, const QByteArray &retryAfter)
{
    ScriptedResponse r = rawJson("{\"id\":\"" + newRequestId() + "\",\"message\":" + jsonString(message) + "}", status);
    if (!retryAfter.isEmpty())
        r.headers.append({"retry-after", retryAfter});
    return r;
}

QByteArray ScriptedResponse::body() const
{
    QByteArray all;
    for (const BodyStep &step : steps)
        all += step.bytes;
    return all;
}

ScriptedResponse &ScriptedResponse::splitEvery(int bytes, int delayMs)
{
    const QByteArray all = body();
    steps.clear();
    for (qsizetype i = 0; i < all.size(); i += bytes)
        steps.append({all.mid(i, bytes), steps.isEmpty() ? 0 : delayMs});
    return *this;
}

ScriptedResponse &ScriptedResponse::splitAt(const QList<int> &offsets, int delayMs)
{
    const QByteArray all = body();
    steps.clear();
    int from = 0;
    for (int offset : offsets) {
        steps.append({all.mid(from, offset - from), steps.isEmpty() ? 0 : delayMs});
        from = offset;
    }
    steps.append({all.mid(from), steps.isEmpty() ? 0 : delayMs});
    return *this;
}

ScriptedResponse &ScriptedResponse::withCrlf()
{
    for (BodyStep &step : steps)
        step.bytes.replace("\n", "\r\n");
    return *this;
}

ScriptedResponse &ScriptedResponse::withDone()
{
    steps.append({"data: [DONE]\n\n", 0});
    return *this;
}

ScriptedResponse &ScriptedResponse::withKeepAlives()
{
    QByteArray all = body();
    all.replace("event: ", ": keep-alive\n\nevent: ");
    steps = {{all, 0}};
    return *this;
}

ScriptedResponse &ScriptedResponse::truncateAt(int bytes, End how)
{
    QList<BodyStep> kept;
    int total = 0;
    for (const BodyStep &step : steps) {
        if (total >= bytes)
            break;
        kept.append({step.bytes.left(bytes - total), step.delayMs});
        total += int(kept.last().bytes.size());
    }
    steps = kept;
    end = how;
    return *this;
}

ScriptedResponse &ScriptedResponse::header(const QByteArray &name, const QByteArray &value)
{
    headers.append({name.toLower(), value});
    return *this;
}

ScriptedResponse ScriptedResponse::fromJson(const QJsonObject &spec)
{
    const QString kind = spec.value(QStringLiteral("kind")).toString(QStringLiteral("chat"));
    ScriptedResponse r;
    if (kind == QLatin1String("stream")) {
        QStringList pieces;
        for (const QJsonValue &v : spec.value(QStringLiteral("pieces")).toArray())
            pieces.append(v.toString());
        r = stream(pieces, spec.value(QStringLiteral("inputTokens")).toInteger(5),
                   spec.value(QStringLiteral("outputTokens")).toInteger(7));
        if (spec.value(QStringLiteral("done")).toBool())
            r.withDone();
        if (spec.value(QStringLiteral("crlf")).toBool())
            r.withCrlf();
    } else if (kind == QLatin1String("error")) {
        r = error(spec.value(QStringLiteral("status")).toInt(500), spec.value(QStringLiteral("message")).toString(),
                  spec.value(QStringLiteral("retryAfter")).toString().toLatin1());
    } else if (kind == QLatin1String("raw")) {
        r = rawJson(spec.value(QStringLiteral("body")).toString().toUtf8(),
                    spec.value(QStringLiteral("status")).toInt(200));
        if (spec.contains(QStringLiteral("contentType")))
            r.headers = {{"content-type", spec.value(QStringLiteral("contentType")).toString().toLatin1()}};
    } else {
        r = chat(spec.value(QStringLiteral("text")).toString(), spec.value(QStringLiteral("inputTokens")).toInteger(5),
                 spec.value(QStringLiteral("outputTokens")).toInteger(7));
    }
    if (const int bytes = spec.value(QStringLiteral("splitBytes")).toInt(); bytes > 0)
        r.splitEvery(bytes, spec.value(QStringLiteral("splitDelayMs")).toInt());
    r.headerDelayMs = spec.value(QStringLiteral("headerDelayMs")).toInt();
    r.dropBeforeHeaders = spec.value(QStringLiteral("dropBeforeHeaders")).toBool();
    if (spec.contains(QStringLiteral("truncateAt"))) {
        r.truncateAt(spec.value(QStringLiteral("truncateAt")).toInt(),
                     spec.value(QStringLiteral("end")).toString() == QLatin1String("stall") ? End::Stall : End::Drop);
    }
    return r;
}

} // namespace safecell::fake
