#include "E2bError.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace safecell {

namespace {
constexpr qsizetype kMaxBodyEcho = 500;
}

QString e2bBodyMessage(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (document.isObject()) {
        const QJsonObject object = document.object();
        for (const char *key : {"message", "error", "detail"}) {
            const QJsonValue value = object.value(QLatin1String(key));
            if (value.isString() && !value.toString().isEmpty())
                return value.toString();
        }
    }
    return QString::fromUtf8(body.trimmed().left(kMaxBodyEcho));
}

E2bError E2bError::fromHttp(int status, const QByteArray &body, const QString &reason)
{
    E2bError error;
    error.status = status;
    QString message = e2bBodyMessage(body);
    if (message.isEmpty())
        message = reason;
    // The prefixes are the official SDK's, so E2B's docs and forums match.
    switch (status) {
    case 401:
        error.kind = Kind::Unauthorized;
        error.message = QStringLiteral("E2B: Unauthorized, please check your credentials. - ") + message;
        break;
    case 429:
        error.kind = Kind::RateLimited;
        error.message = QStringLiteral("E2B: Rate limit exceeded, please try again later - ") + message;
        break;
    case 503:
        error.kind = Kind::Server;
        error.message = QStringLiteral("E2B: Service temporarily unavailable, please retry - ") + message;
        break;
    case 502:
        error.kind = Kind::SandboxGone;
        error.message = QStringLiteral("E2B: 502: ") + message;
        break;
    case 404:
        error.kind = Kind::NotFound;
        error.message = QStringLiteral("E2B: 404: ") + message;
        break;
    default:
        error.kind = status >= 500 ? Kind::Server : Kind::Http;
        error.message = QStringLiteral("E2B: %1: %2").arg(status).arg(message);
        break;
    }
    return error;
}

} // namespace safecell
