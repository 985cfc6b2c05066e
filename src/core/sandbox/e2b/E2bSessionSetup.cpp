#include "E2bSandbox.h"

#include "common/Logging.h"
#include "sandbox/e2b/E2bLifetime.h"
#include "sandbox/e2b/E2bSandboxRequests.h"
#include "sandbox/e2b/E2bTransport.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace safecell {

namespace {
// protocols.md 1.2.3. allow_internet_access is always sent: leaving it out
// means E2B's default, which is internet on.
QJsonObject e2bCreateBody(const E2bConfig &config, qint64 timeoutS, bool legacyEndpoint)
{
    QJsonObject body{{QStringLiteral("templateID"), config.templateId},
                     {QStringLiteral("timeout"), timeoutS},
                     {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("app"), QStringLiteral("safecell")}}},
                     {QStringLiteral("allow_internet_access"), config.allowInternet}};
    if (legacyEndpoint)
        body.insert(QStringLiteral("secure"), true); // else no envdAccessToken, and a 15 s default
    return body;
}
} // namespace

void E2bSandbox::createSession()
{
    m_phase = Phase::Creating;
    const auto life = m_lifetime->begin(runLifetimeSeconds(), LifetimeUse::Run);
    if (!life) {
        refuseRun();
        return;
    }
    createSandbox(*life, false);
}

void E2bSandbox::createSandbox(quint64 life, bool legacyEndpoint)
{
    const QJsonObject body = e2bCreateBody(m_config, runLifetimeSeconds(), legacyEndpoint);
    if (m_config.allowInternet)
        qCInfo(lcE2b) << "creating a sandbox with internet access: allowed for this session";
    const QString path = legacyEndpoint ? QStringLiteral("/sandboxes") : QStringLiteral("/v2/sandboxes");
    m_lifecycle->send("POST", m_lifecycle->controlRequest(path), compactJson(body),
                      [this, life, legacyEndpoint](const E2bResponse *response, const E2bError *error) {
        if (error) {
            if (!legacyEndpoint && (error->status == 404 || error->status == 405)) {
                qCInfo(lcE2b) << "POST /v2/sandboxes answered" << error->status << "; trying POST /sandboxes";
                createSandbox(life, true);
                return;
            }
            m_lifetime->createFailed(life, error->mayHaveTakenEffect);
            failRun(*error, false);
            return;
        }
        const QJsonObject sandbox = QJsonDocument::fromJson(response->body).object();
        Session session;
        session.id = sandbox.value(QLatin1String("sandboxID")).toString();
        if (session.id.isEmpty()) {
            m_lifetime->createFailed(life, true); // created (2xx), but which one is unknown
            failRun({E2bError::Kind::Protocol, response->status,
                     QStringLiteral("E2B: the create answer has no sandboxID.")},
                    false);
            return;
        }
        session.envdAccessToken = sandbox.value(QLatin1String("envdAccessToken")).toString();
        session.trafficAccessToken = sandbox.value(QLatin1String("trafficAccessToken")).toString();
        session.domain = sandbox.value(QLatin1String("domain")).toString();
        session.envdVersion = sandbox.value(QLatin1String("envdVersion")).toString();
        m_transport->addSecret(session.envdAccessToken);
        m_transport->addSecret(session.trafficAccessToken);
        session.life = life;
        m_lifetime->created(life, response->attemptMs);
        m_session = session;
        qCInfo(lcE2b) << "sandbox" << session.id << "created, lifetime" << runLifetimeSeconds() << "s";
        createContext();
    });
}

void E2bSandbox::createContext()
{
    const QJsonObject body{{QStringLiteral("language"), QStringLiteral("python")}};
    m_transport->send("POST", sandboxRequest(QStringLiteral("/contexts"), kJupyterPort), compactJson(body),
                      [this](const E2bResponse *response, const E2bError *error) {
        if (error) {
            failRun(*error, true);
            return;
        }
        const QString id = QJsonDocument::fromJson(response->body).object().value(QLatin1String("id")).toString();
        if (id.isEmpty()) {
            failRun({E2bError::Kind::Protocol, response->status, QStringLiteral("E2B: the new context has no id.")},
                    true);
            return;
        }
        m_session->contextId = id;
        m_phase = Phase::Preparing;
        startRun();
    });
}

void E2bSandbox::probeContext()
{
    // An aborted run makes E2B interrupt the kernel when it notices the
    // closed connection (at its next keepalive, within ~5 s). A trivial run
    // that completes proves the context free; one that does not in time
    // means a stuck kernel, which only a restart frees.
    m_phase = Phase::Probing;
    m_probeTimedOut = false;
    QNetworkRequest request = tokenRequest(QStringLiteral("/execute"), kJupyterPort);
    const QJsonObject body{{QStringLiteral("code"), QStringLiteral("pass")},
                           {QStringLiteral("context_id"), m_session->contextId}};
    m_probeTimer.start(int(qMin<qint64>(m_config.contextProbeTimeoutMs, INT_MAX)));
    m_transport->send("POST", request, compactJson(body), [this](const E2bResponse *response, const E2bError *error) {
        m_probeTimer.stop();
        if (error && error->kind == E2bError::Kind::Cancelled && m_probeTimedOut && !m_cancelled) {
            qCInfo(lcE2b) << "context still busy after" << m_config.contextProbeTimeoutMs << "ms; restarting it";
            restartContext();
            return;
        }
        if (error) {
            handleRequestError(*error);
            return;
        }
        NdjsonParser parser;
        parser.feed(response->body);
        parser.finish();
        m_session->contextSuspect = false;
        startRun();
    });
}

void E2bSandbox::restartContext()
{
    m_transport->send("POST",
                      sandboxRequest(QStringLiteral("/contexts/%1/restart").arg(m_session->contextId), kJupyterPort),
                      QByteArray(),
                      [this](const E2bResponse *, const E2bError *error) {
        if (error) {
            handleRequestError(*error);
            return;
        }
        m_session->contextSuspect = false;
        m_sessionNote = QStringLiteral("The previous run was still busy in the E2B sandbox, so its Python session "
                                       "was restarted: variables from earlier runs are gone.");
        startRun();
    });
}

} // namespace safecell
