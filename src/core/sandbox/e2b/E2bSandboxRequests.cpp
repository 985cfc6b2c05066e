#include "E2bSandbox.h"

#include "sandbox/e2b/E2bSandboxRequests.h"

#include <QJsonDocument>

namespace safecell {

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QNetworkRequest E2bSandbox::sandboxRequest(const QString &path, int port) const
{
    QUrl url = m_config.sandboxBase(m_session->id, m_session->domain, port);
    QString base = url.path();
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + path);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("E2b-Sandbox-Id", m_session->id.toUtf8());
    request.setRawHeader("E2b-Sandbox-Port", QByteArray::number(port));
    if (!m_session->trafficAccessToken.isEmpty())
        request.setRawHeader("E2B-Traffic-Access-Token", m_session->trafficAccessToken.toUtf8());
    return request;
}

QNetworkRequest E2bSandbox::tokenRequest(const QString &path, int port) const
{
    QNetworkRequest request = sandboxRequest(path, port);
    if (!m_session->envdAccessToken.isEmpty())
        request.setRawHeader("X-Access-Token", m_session->envdAccessToken.toUtf8());
    return request;
}

} // namespace safecell
