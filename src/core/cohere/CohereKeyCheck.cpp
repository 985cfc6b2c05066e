#include "CohereKeyCheck.h"

#include "cohere/ChatJson.h"
#include "cohere/CohereConfig.h"
#include "common/Redact.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace safecell {

CohereKeyCheck::CohereKeyCheck(QNetworkAccessManager *network, QUrl baseUrl, QString apiKey, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_baseUrl(std::move(baseUrl))
    , m_apiKey(std::move(apiKey))
{
}

CohereKeyCheck::~CohereKeyCheck()
{
    cancel();
}

void CohereKeyCheck::start()
{
    QNetworkRequest request(cohereEndpointUrl(m_baseUrl, QStringLiteral("/v1/check-api-key")));
    request.setRawHeader("Authorization", "Bearer " + m_apiKey.toUtf8());
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("X-Client-Name", "safecell");
    request.setTransferTimeout(kTimeoutMs);
    m_reply = m_network->post(request, QByteArray());
    connect(m_reply, &QNetworkReply::finished, this, &CohereKeyCheck::onFinished);
}

void CohereKeyCheck::cancel()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr); // the normal path must not run as well
    reply->abort();
    reply->deleteLater();
}

void CohereKeyCheck::onFinished()
{
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    if (!reply)
        return;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QStringList secrets{m_apiKey};
    if (status == 0) {
        const QString why = reply->error() == QNetworkReply::OperationCanceledError
                                ? QStringLiteral("no answer within %1 s").arg(kTimeoutMs / 1000)
                                : reply->errorString();
        Q_EMIT finished(false, redactSecrets(QStringLiteral("Cohere could not be reached: %1").arg(why), secrets));
        return;
    }
    if (status != 200) {
        Q_EMIT finished(false, redactSecrets(errorFromHttpResponse(status, body).describe(), secrets));
        return;
    }
    const QJsonObject answer = QJsonDocument::fromJson(body).object();
    if (!answer.value(QStringLiteral("valid")).isBool()) {
        Q_EMIT finished(false, QStringLiteral("Cohere answered the key check with something unexpected"));
        return;
    }
    if (!answer.value(QStringLiteral("valid")).toBool()) {
        Q_EMIT finished(false, QStringLiteral("Cohere says the key is not valid"));
        return;
    }
    const QString organisation = answer.value(QStringLiteral("organization_id")).toString();
    Q_EMIT finished(true, organisation.isEmpty() ? QStringLiteral("Cohere accepted the key")
                                                 : QStringLiteral("Cohere accepted the key (organisation %1)")
                                                       .arg(redactSecrets(organisation, secrets)));
}

} // namespace safecell
