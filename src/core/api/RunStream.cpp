#include "RunStream.h"

#include "api/ResultBundles.h"

#include <QJsonDocument>
#include <QList>

namespace safecell::api {

namespace {

QByteArray line(const QJsonObject &event)
{
    return QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

bool wantsStream(const QByteArray &acceptHeader)
{
    // A media range list; parameters (";q=...") follow a type. Only an
    // explicit application/x-ndjson asks for a stream: */* keeps the
    // recipe's single JSON answer.
    const QList<QByteArray> ranges = acceptHeader.split(',');
    for (const QByteArray &range : ranges) {
        const QByteArray type = range.split(';').constFirst().trimmed().toLower();
        if (type == kNdjsonType)
            return true;
    }
    return false;
}

QByteArray stdoutEvent(const QString &text)
{
    return line({{QStringLiteral("type"), QStringLiteral("stdout")}, {QStringLiteral("text"), text}});
}

QByteArray stderrEvent(const QString &text)
{
    return line({{QStringLiteral("type"), QStringLiteral("stderr")}, {QStringLiteral("text"), text}});
}

QByteArray resultEvent(const RichResult &result)
{
    QJsonObject event = resultBundle(result);
    event.insert(QStringLiteral("type"), QStringLiteral("result"));
    return line(event);
}

QByteArray endEvent(int status, const QJsonObject &response)
{
    return line({{QStringLiteral("type"), QStringLiteral("end")},
                 {QStringLiteral("status"), status},
                 {QStringLiteral("response"), response}});
}

QByteArray httpChunk(const QByteArray &data)
{
    if (data.isEmpty())
        return {}; // an empty chunk would end the body
    return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
}

QByteArray lastHttpChunk()
{
    return QByteArrayLiteral("0\r\n\r\n");
}

} // namespace safecell::api
