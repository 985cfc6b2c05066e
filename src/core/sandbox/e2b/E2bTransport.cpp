#include "E2bTransport.h"

#include "common/Logging.h"
#include "common/Redact.h"

#include <QElapsedTimer>
#include <QHttpMultiPart>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace safecell {

namespace {
qint64 steadyMs()
{
    QElapsedTimer clock;
    clock.start();
    return clock.msecsSinceReference();
}
} // namespace

E2bTransport::E2bTransport(QNetworkAccessManager *network, const E2bConfig *config, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_config(config)
{
}

QStringList E2bTransport::secrets() const
{
    return QStringList{m_config->apiKey} + m_extraSecrets;
}

QNetworkRequest E2bTransport::controlRequest(const QString &path) const
{
    QUrl url = m_config->controlPlaneBase();
    url.setPath(QString(url.path().chopped(url.path().endsWith(QLatin1Char('/')) ? 1 : 0) + path));
    QNetworkRequest request(url);
    request.setRawHeader("X-API-Key", m_config->apiKey.toUtf8());
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("safecell/" SAFECELL_VERSION));
    return request;
}

void E2bTransport::send(const QByteArray &verb, const QNetworkRequest &request, const QByteArray &body, Done done)
{
    attempt(verb, request, body, std::move(done), m_config->maxRateLimitRetries);
}

void E2bTransport::attempt(const QByteArray &verb, const QNetworkRequest &request, const QByteArray &body, Done done,
                           int retriesLeft)
{
    QNetworkRequest timed = request;
    timed.setTransferTimeout(int(qMin<qint64>(m_config->requestTimeoutMs, INT_MAX)));
    QNetworkReply *reply = m_network->sendCustomRequest(timed, verb, body);
    reply->setProperty("safecellSentMs", steadyMs());
    track(reply);
    const quint64 generation = m_generation;
    const auto retry = [this, verb, request, body, done, retriesLeft, generation](qint64 delayS) {
        QTimer::singleShot(delayS * 1000, this, [=, this] {
            if (generation != m_generation) {
                const E2bError cancelled{E2bError::Kind::Cancelled, 0, QStringLiteral("E2B: request cancelled")};
                done(nullptr, &cancelled);
                return;
            }
            attempt(verb, request, body, done, retriesLeft - 1);
        });
    };
    connect(reply, &QNetworkReply::finished, this,
            [this, reply, done, retry, retriesLeft] { handle(reply, done, retry, retriesLeft); });
}

void E2bTransport::track(QNetworkReply *reply)
{
    m_replies.insert(reply);
    // The network manager deletes its replies when it goes first (its owner
    // may destroy it before us): never keep a dangling one.
    connect(reply, &QObject::destroyed, this, [this, reply] { m_replies.remove(reply); });
}

void E2bTransport::sendMultipart(const QNetworkRequest &request, QHttpMultiPart *multipart, Done done)
{
    QNetworkRequest timed = request;
    timed.setTransferTimeout(int(qMin<qint64>(m_config->requestTimeoutMs, INT_MAX)));
    QNetworkReply *reply = m_network->post(timed, multipart);
    multipart->setParent(reply);
    track(reply);
    connect(reply, &QNetworkReply::finished, this, [this, reply, done] { handle(reply, done, {}, 0); });
}

void E2bTransport::handle(QNetworkReply *reply, const Done &done, const std::function<void(qint64)> &retry,
                          int retriesLeft)
{
    reply->deleteLater();
    m_replies.remove(reply);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QString what = QString(
        QString::fromLatin1(reply->operation() == QNetworkAccessManager::CustomOperation
                                ? reply->request().attribute(QNetworkRequest::CustomVerbAttribute).toByteArray()
                                : QByteArrayLiteral("POST"))
        + QLatin1Char(' ') + reply->url().path());
    if (status == 0) {
        E2bError error;
        if (reply->error() == QNetworkReply::OperationCanceledError && reply->property("safecellCancelled").toBool()) {
            error = {E2bError::Kind::Cancelled, 0, QStringLiteral("E2B: request cancelled")};
        } else if (reply->error() == QNetworkReply::OperationCanceledError
                   || reply->error() == QNetworkReply::TimeoutError) {
            error =
                {E2bError::Kind::Timeout, 0,
                 QStringLiteral("E2B: no answer to %1 within %2 s").arg(what).arg(m_config->requestTimeoutMs / 1000.0)};
            error.mayHaveTakenEffect = true;
        } else if (reply->error() == QNetworkReply::SslHandshakeFailedError) {
            // Never ignored: say it is the certificate, not the network.
            error = {E2bError::Kind::Network, 0,
                     redactSecrets(QStringLiteral("E2B: refused the TLS certificate of %1 (%2); SafeCell never "
                                                  "ignores certificate errors")
                                       .arg(reply->url().host(), reply->errorString()),
                                   secrets())};
        } else {
            error = {E2bError::Kind::Network, 0,
                     redactSecrets(QStringLiteral("E2B: could not reach %1: %2")
                                       .arg(reply->url().host(), reply->errorString()),
                                   secrets())};
            error.mayHaveTakenEffect = reply->error() != QNetworkReply::ConnectionRefusedError
                                       && reply->error() != QNetworkReply::HostNotFoundError;
        }
        qCWarning(lcE2b) << what << "failed:" << error.message;
        done(nullptr, &error);
        return;
    }
    if (status >= 200 && status < 300) {
        // Rounded up: the attempt began no later than this.
        const qint64 sentMs = reply->property("safecellSentMs").toLongLong();
        const E2bResponse response{status, body, sentMs > 0 ? steadyMs() - sentMs + 1 : 0};
        done(&response, nullptr);
        return;
    }
    if (status == 429 && retry && retriesLeft > 0) {
        // Only an integer Retry-After is honoured, and only when short: the
        // SDK's rule, bounded so a run never waits minutes on a rate limit.
        bool ok = false;
        const qint64 seconds = reply->rawHeader("Retry-After").trimmed().toLongLong(&ok);
        if (ok && seconds >= 0 && seconds <= m_config->maxRetryAfterS) {
            qCInfo(lcE2b) << what << "rate limited; retrying in" << seconds << "s";
            retry(seconds);
            return;
        }
    }
    E2bError error = E2bError::fromHttp(status, body,
                                        reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    error.message = redactSecrets(error.message, secrets());
    qCWarning(lcE2b) << what << "answered" << status << error.message;
    done(nullptr, &error);
}

void E2bTransport::reapPendingCreates()
{
    const QNetworkRequest killTemplate = controlRequest(QString());
    for (QNetworkReply *reply : std::as_const(m_replies)) {
        const QString path = reply->url().path();
        if (!path.endsWith(QLatin1String("/sandboxes")) || reply->operation() != QNetworkAccessManager::CustomOperation)
            continue;
        reply->disconnect(this);
        QObject::connect(reply, &QNetworkReply::finished, reply, [reply, killTemplate] {
            reply->deleteLater();
            const QString id =
                QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("sandboxID")).toString();
            if (id.isEmpty())
                return;
            QNetworkRequest kill = killTemplate;
            QUrl url = kill.url();
            url.setPath(QString(url.path() + QStringLiteral("/sandboxes/") + id));
            kill.setUrl(url);
            qCInfo(lcE2b) << "killing sandbox" << id << "created after its session ended";
            QNetworkReply *killReply = reply->manager()->deleteResource(kill);
            QObject::connect(killReply, &QNetworkReply::finished, killReply, &QObject::deleteLater);
        });
    }
    m_replies.clear();
}

void E2bTransport::cancelAll()
{
    ++m_generation;
    const QSet<QNetworkReply *> replies = m_replies;
    for (QNetworkReply *reply : replies) {
        reply->setProperty("safecellCancelled", true);
        reply->abort(); // finished() follows synchronously and reports Cancelled
    }
}

} // namespace safecell
