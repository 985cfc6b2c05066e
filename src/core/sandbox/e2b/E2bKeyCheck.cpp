#include "E2bKeyCheck.h"

#include "sandbox/e2b/E2bTransport.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace safecell {

namespace {
constexpr qint64 kCheckTimeoutMs = 15000;
}

E2bKeyCheck::E2bKeyCheck(QNetworkAccessManager *network, E2bConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_config.requestTimeoutMs = kCheckTimeoutMs;
    m_config.maxRateLimitRetries = 0; // one answer is enough to judge the key
    m_transport = new E2bTransport(network, &m_config, this);
}

void E2bKeyCheck::start()
{
    m_transport->send("GET", m_transport->controlRequest(QStringLiteral("/v2/sandboxes")), QByteArray(),
                      [this](const E2bResponse *response, const E2bError *error) {
        if (error) {
            Q_EMIT finished(false, error->message);
            return;
        }
        const QJsonDocument list = QJsonDocument::fromJson(response->body);
        if (!list.isArray()) {
            Q_EMIT finished(false, QStringLiteral("E2B answered with something other than a sandbox list"));
            return;
        }
        Q_EMIT finished(true, QStringLiteral("%1 sandbox(es) running").arg(list.array().size()));
    });
}

void E2bKeyCheck::cancel()
{
    m_transport->cancelAll();
}

} // namespace safecell
