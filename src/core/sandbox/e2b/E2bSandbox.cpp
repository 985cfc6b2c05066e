#include "E2bSandbox.h"

#include "common/Logging.h"
#include "common/Redact.h"
#include "sandbox/e2b/E2bLifetime.h"
#include "sandbox/e2b/E2bSqlScript.h"
#include "sandbox/e2b/E2bTransport.h"
#include "sandbox/e2b/E2bUploads.h"

#include <QFile>
#include <QFileInfo>
#include <QHttpMultiPart>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace safecell {

namespace {
constexpr int kJupyterPort = 49999; // the code interpreter (protocols.md 1.1)
constexpr int kEnvdPort = 49983;    // envd: files
// The run's time limit must fit in what is left of the lifetime, with this
// much to spare for the abort and the next keep-warm step's call.
constexpr double kRunEndSlackS = 0.5;

QByteArray compactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

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

QString joinMessages(const QString &first, const QString &second)
{
    if (first.isEmpty())
        return second;
    if (second.isEmpty())
        return first;
    return first + QLatin1Char(' ') + second;
}
} // namespace

E2bSandbox::E2bSandbox(QNetworkAccessManager *network, E2bConfig config, QObject *parent)
    : Sandbox(parent)
    , m_network(network)
    , m_config(std::move(config))
    , m_transport(new E2bTransport(network, &m_config, this))
    , m_lifecycle(new E2bTransport(network, &m_config, this))
    , m_lifetime(new E2bLifetime(m_lifecycle, this))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        qCInfo(lcE2b) << "time limit reached; aborting the stream";
        m_timedOut = true;
        abortStream();
    });
    m_idle.setSingleShot(true);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        qCInfo(lcE2b) << "idle timeout; killing the warm sandbox";
        letGo(WarmEnd::IdleTimeout);
    });
    m_warmStep.setSingleShot(true);
    connect(&m_warmStep, &QTimer::timeout, this, [this] {
        if (!m_session || m_running)
            return;
        m_lifetime->checkpoint(m_session->life); // the warm time so far
        // The last step's margin outlasts an idle time shorter than it.
        if (m_idle.remainingTime() > qMax<qint64>(m_config.lifetimeMarginS, 1) * 1000)
            keepWarm();
    });
    connect(m_lifetime, &E2bLifetime::mustEnd, this, [this](quint64 life) {
        // A run in progress then meets the proxy's 502, like any lost sandbox.
        if (m_session && m_session->life == life)
            letGo(WarmEnd::Budget);
    });
    m_probeTimer.setSingleShot(true);
    connect(&m_probeTimer, &QTimer::timeout, this, [this] {
        m_probeTimedOut = true;
        m_transport->cancelAll();
    });
}

E2bSandbox::~E2bSandbox()
{
    m_deadline.stop();
    m_idle.stop();
    m_warmStep.stop();
    if (m_stream) {
        m_stream->disconnect(this);
        m_stream->abort();
        m_stream->deleteLater();
    }
    m_lifecycle->reapPendingCreates();
    if (!m_session)
        return;
    // Last words: the kill outlives us, owned by the network manager (its
    // life ends at its bound: nobody will hear the answer).
    qCInfo(lcE2b) << "closing sandbox" << m_session->id << "on destruction";
    QNetworkReply *reply = m_network->deleteResource(
        m_lifecycle->controlRequest(QStringLiteral("/sandboxes/") + m_session->id));
    QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
}

QString E2bSandbox::redacted(const QString &text) const
{
    return redactSecrets(text, m_transport->secrets() + m_lifecycle->secrets());
}

void E2bSandbox::setMeter(E2bLifetimeMeter *meter)
{
    m_lifetime->setMeter(meter);
}

qint64 E2bSandbox::runLifetimeSeconds() const
{
    // The run's time limit and a margin for setting up (create, context,
    // upload) and ending it. Keeping it warm afterwards is asked for, and
    // paid for, step by step (keepWarm()); the lifetime is also the
    // backstop that ends a sandbox SafeCell lost sight of.
    return (qMax<qint64>(m_request.timeLimitMs, 0) + 999) / 1000 + qMax<qint64>(m_config.lifetimeMarginS, 1);
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

void E2bSandbox::execute(const ExecutionRequest &request)
{
    Q_ASSERT(!m_running);
    m_running = true;
    m_request = request;
    m_clock.start();
    m_timedOut = m_cancelled = m_recreated = false;
    m_sessionNote.clear();
    m_uploaded.clear();
    m_error.reset();
    m_idle.stop();
    m_warmStep.stop();

    if (m_config.apiKey.isEmpty()) {
        failRun({E2bError::Kind::Unauthorized, 0, QStringLiteral("E2B: no API key is set.")}, false);
        return;
    }
    QString error;
    m_code = e2bCodeToRun(m_request, m_config, &error);
    if (!error.isEmpty()) {
        failRun({E2bError::Kind::Protocol, 0, error}, false);
        return;
    }
    if (needsUpload() && !m_request.uploadAllowed) {
        refuseUpload();
        return;
    }
    if (m_session) {
        m_lifetime->checkpoint(m_session->life); // the warm time so far is the session's
        if (!extendForRun())
            return;
    }
    startRun();
}

bool E2bSandbox::needsUpload() const
{
    if (m_request.language != Language::Sql)
        return false;
    return !m_session || m_session->uploadedStamp != workspaceStamp(m_config.workspaceDatabase);
}

void E2bSandbox::refuseUpload()
{
    // Before anything is created or paid: the data never leaves the machine.
    const QList<E2bUpload> uploads = e2bUploadsFor(m_request.language, m_config);
    QStringList lines;
    for (const E2bUpload &upload : uploads)
        lines << describeUpload(upload);
    ExecutionOutcome outcome;
    outcome.status = ExecutionStatus::SandboxFailed;
    outcome.skippedUploads = uploadPaths(uploads);
    outcome.message = QStringLiteral("Not run: this run needs %1 in E2B's cloud, and sending data to E2B is not "
                                     "allowed for this session. Not uploaded: %2.")
                          .arg(uploads.size() == 1 ? QStringLiteral("a local file") : QStringLiteral("local files"),
                               lines.join(QStringLiteral("; ")));
    qCInfo(lcE2b) << "run refused: it needs an upload that this session does not allow";
    finishRun(std::move(outcome));
}

bool E2bSandbox::extendForRun()
{
    if (m_lifetime->extend(m_session->life, m_session->id, runLifetimeSeconds(), LifetimeUse::Run))
        return true;
    refuseRun();
    return false;
}

void E2bSandbox::refuseRun()
{
    ExecutionOutcome outcome;
    outcome.status = ExecutionStatus::SandboxFailed;
    outcome.budgetRefused = true;
    outcome.message = QStringLiteral("The budget cannot cover the E2B sandbox's lifetime for this run.");
    finishRun(std::move(outcome));
}

void E2bSandbox::startRun()
{
    if (m_cancelled) {
        finishRun({ExecutionStatus::Cancelled, std::nullopt, QStringLiteral("The run was stopped."), 0});
        return;
    }
    if (needsUpload() && !m_request.uploadAllowed) { // also for a sandbox that replaces a lost one
        refuseUpload();
        return;
    }
    if (!m_session) {
        createSession();
        return;
    }
    if (m_session->contextSuspect) {
        probeContext();
        return;
    }
    if (m_request.language == Language::Sql && m_session->uploadedStamp != workspaceStamp(m_config.workspaceDatabase)) {
        uploadWorkspace();
        return;
    }
    // Setting up may have used the margin: the whole time limit must fit.
    if (m_lifetime->secondsLeft(m_session->life) < double(m_request.timeLimitMs) / 1000.0 + kRunEndSlackS
        && !extendForRun())
        return;
    sendExecute();
}

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
                     QStringLiteral("E2B: the create answer has no sandboxID.")}, false);
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
            failRun({E2bError::Kind::Protocol, response->status,
                     QStringLiteral("E2B: the new context has no id.")}, true);
            return;
        }
        m_session->contextId = id;
        m_phase = Phase::Preparing;
        startRun();
    });
}

void E2bSandbox::noteActivity()
{
    if (!m_session || m_running)
        return;
    // The keep-warm steps go on until the idle timeout fires.
    m_idle.start(int(qMin<qint64>(m_config.idleTimeoutMs, INT_MAX)));
}

void E2bSandbox::keepWarm()
{
    if (!m_session || m_running)
        return;
    const qint64 idleLeftMs = m_idle.isActive() ? m_idle.remainingTime() : 0;
    if (idleLeftMs <= 0)
        return; // the idle timeout kills it now
    // One step at a time: its lifetime is covered before it is asked, and a
    // sandbox whose next step the budget cannot cover is let go.
    const qint64 stepMs = qMin(idleLeftMs, qMax<qint64>(m_config.keepWarmStepMs, 1000));
    const qint64 lifetimeS = (stepMs + 999) / 1000 + qMax<qint64>(m_config.lifetimeMarginS, 1);
    if (!m_lifetime->extend(m_session->life, m_session->id, lifetimeS, LifetimeUse::KeepWarm)) {
        qCInfo(lcE2b) << "the budget cannot keep the sandbox warm; killing it";
        letGo(WarmEnd::Budget);
        return;
    }
    m_warmStep.start(int(stepMs));
}

void E2bSandbox::letGo(WarmEnd why)
{
    if (!m_session)
        return;
    killSession(why == WarmEnd::Budget ? QStringLiteral("budget") : QStringLiteral("idle"));
    // Without keep-warm (no idle time) closing after the run is expected.
    if (why == WarmEnd::Budget || m_config.idleTimeoutMs > 0)
        Q_EMIT warmSessionEnded(why);
}

void E2bSandbox::probeContext()
{
    // An aborted run makes E2B interrupt the kernel when it notices the
    // closed connection (at its next keepalive, within ~5 s). A trivial run
    // that completes proves the context free; one that does not in time
    // means a stuck kernel, which only a restart frees.
    m_phase = Phase::Probing;
    m_probeTimedOut = false;
    QNetworkRequest request = sandboxRequest(QStringLiteral("/execute"), kJupyterPort);
    if (!m_session->envdAccessToken.isEmpty())
        request.setRawHeader("X-Access-Token", m_session->envdAccessToken.toUtf8());
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
    m_transport->send("POST", sandboxRequest(QStringLiteral("/contexts/%1/restart").arg(m_session->contextId), kJupyterPort),
                      QByteArray(), [this](const E2bResponse *, const E2bError *error) {
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

void E2bSandbox::uploadWorkspace()
{
    // envd's file upload, as the official SDK sends it (e2b 2.51.0
    // Filesystem.write): POST /files?path=... on port 49983, multipart
    // form-data with one part named "file", X-Access-Token for auth.
    m_phase = Phase::Uploading;
    auto file = std::make_unique<QFile>(m_config.workspaceDatabase);
    if (!file->open(QIODevice::ReadOnly)) {
        failRun({E2bError::Kind::Protocol, 0, QStringLiteral("Could not read the workspace database %1: %2")
                                                  .arg(m_config.workspaceDatabase, file->errorString())}, false);
        return;
    }
    auto *multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart part;
    part.setHeader(QNetworkRequest::ContentDispositionHeader,
                   QStringLiteral("form-data; name=\"file\"; filename=\"%1\"").arg(m_config.remoteWorkspacePath));
    part.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/octet-stream"));
    part.setBodyDevice(file.get());
    file.release()->setParent(multipart);
    multipart->append(part);

    QNetworkRequest request = sandboxRequest(QStringLiteral("/files"), kEnvdPort);
    QUrl url = request.url();
    url.setQuery(QStringLiteral("path=") + QString::fromLatin1(QUrl::toPercentEncoding(m_config.remoteWorkspacePath)));
    request.setUrl(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QVariant()); // multipart sets its own, with the boundary
    if (!m_session->envdAccessToken.isEmpty())
        request.setRawHeader("X-Access-Token", m_session->envdAccessToken.toUtf8());
    const QString stamp = workspaceStamp(m_config.workspaceDatabase);
    m_transport->sendMultipart(request, multipart, [this, stamp](const E2bResponse *, const E2bError *error) {
        if (error) {
            handleRequestError(*error);
            return;
        }
        m_session->uploadedStamp = stamp;
        m_uploaded << QFileInfo(m_config.workspaceDatabase).absoluteFilePath();
        startRun();
    });
}

void E2bSandbox::sendExecute()
{
    m_phase = Phase::Executing;
    m_parser = NdjsonParser();
    m_stdout.emplace(m_config.outputCapBytes);
    m_stderr.emplace(m_config.outputCapBytes);
    m_sawEnd = false;
    m_error.reset();
    QNetworkRequest request = sandboxRequest(QStringLiteral("/execute"), kJupyterPort);
    if (!m_session->envdAccessToken.isEmpty())
        request.setRawHeader("X-Access-Token", m_session->envdAccessToken.toUtf8());
    // An inactivity bound: E2B sends a keepalive every ~5 s while a run is quiet.
    request.setTransferTimeout(int(qMin<qint64>(m_config.requestTimeoutMs, INT_MAX)));
    const QJsonObject body{{QStringLiteral("code"), m_code}, {QStringLiteral("context_id"), m_session->contextId}};
    m_stream = m_network->post(request, compactJson(body));
    connect(m_stream, &QNetworkReply::readyRead, this, &E2bSandbox::onStreamData);
    connect(m_stream, &QNetworkReply::finished, this, &E2bSandbox::onStreamFinished);
    m_deadline.start(int(qMin<qint64>(qMax<qint64>(m_request.timeLimitMs, 1), INT_MAX)));
}

void E2bSandbox::onStreamData()
{
    if (!m_stream)
        return;
    if (m_stream->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return; // an error body: read whole at the end
    handleEvents(m_parser.feed(m_stream->readAll()));
}

void E2bSandbox::handleEvents(const QList<NdjsonEvent> &events)
{
    for (const NdjsonEvent &event : events) {
        switch (event.kind) {
        case NdjsonEvent::Kind::Stdout:
            if (const QString text = m_stdout->feed(event.text.toUtf8()); !text.isEmpty())
                Q_EMIT stdoutReceived(text);
            break;
        case NdjsonEvent::Kind::Stderr:
            if (const QString text = m_stderr->feed(event.text.toUtf8()); !text.isEmpty())
                Q_EMIT stderrReceived(text);
            break;
        case NdjsonEvent::Kind::Result:
            Q_EMIT resultReceived(event.result);
            break;
        case NdjsonEvent::Kind::Error:
            m_error = event.error;
            m_error->traceback = redacted(m_error->traceback);
            break;
        case NdjsonEvent::Kind::End:
            m_sawEnd = true;
            break;
        case NdjsonEvent::Kind::Malformed:
            qCWarning(lcE2b) << "ignoring a malformed line from /execute:" << redacted(event.text);
            break;
        case NdjsonEvent::Kind::ExecutionCount:
            break;
        }
    }
}

void E2bSandbox::abortStream()
{
    if (m_stream)
        m_stream->abort(); // finished() follows at once: onStreamFinished decides
}

void E2bSandbox::onStreamFinished()
{
    QNetworkReply *reply = m_stream;
    if (!reply)
        return;
    m_stream = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    m_deadline.stop();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();

    if (m_timedOut || m_cancelled) {
        if (m_session && !m_sawEnd)
            m_session->contextSuspect = true; // checked before the next run
        if (m_timedOut)
            finishRun({ExecutionStatus::TimedOut, std::nullopt,
                       QStringLiteral("The run was stopped at its time limit (%1 s).").arg(m_request.timeLimitMs / 1000.0), 0});
        else
            finishRun({ExecutionStatus::Cancelled, std::nullopt, QStringLiteral("The run was stopped."), 0});
        return;
    }
    if (status == 200) {
        if (!m_sawEnd)
            handleEvents(m_parser.feed(reply->readAll()));
        if (!m_sawEnd && reply->error() != QNetworkReply::NoError) {
            // Not our abort (that was handled above): the transfer timeout, or a dropped connection.
            const bool silent = reply->error() == QNetworkReply::OperationCanceledError
                                || reply->error() == QNetworkReply::TimeoutError;
            failRun({silent ? E2bError::Kind::Timeout : E2bError::Kind::Network, 0,
                     silent ? QStringLiteral("E2B: the sandbox sent nothing for %1 s, not even a keepalive.")
                                  .arg(m_config.requestTimeoutMs / 1000.0)
                            : redacted(QStringLiteral("E2B: the connection to the sandbox was lost mid-run: %1")
                                           .arg(reply->errorString()))}, true);
            return;
        }
        if (!m_sawEnd)
            handleEvents(m_parser.finish()); // EOF ends the stream too
        if (!m_sawEnd) {
            // E2B always ends with end_of_execution: without it the stream
            // was cut (Qt may report a reset mid-chunk as a clean end), so
            // the run's output and outcome are unknown.
            failRun({E2bError::Kind::Network, 0,
                     QStringLiteral("E2B: the connection to the sandbox was lost mid-run (the stream ended "
                                    "before the end of the execution); its output may be incomplete.")}, true);
            return;
        }
        ExecutionOutcome outcome;
        outcome.status = m_error ? ExecutionStatus::Raised : ExecutionStatus::Completed;
        outcome.error = m_error;
        if (m_parser.malformedLines() > 0)
            outcome.message = QStringLiteral("%1 malformed line(s) from E2B were ignored.").arg(m_parser.malformedLines());
        finishRun(std::move(outcome));
        return;
    }
    if (status == 0) {
        const bool timeout = reply->error() == QNetworkReply::OperationCanceledError
                             || reply->error() == QNetworkReply::TimeoutError;
        handleRequestError({timeout ? E2bError::Kind::Timeout : E2bError::Kind::Network, 0,
                            redacted(timeout ? QStringLiteral("E2B: the sandbox sent nothing for %1 s.")
                                                   .arg(m_config.requestTimeoutMs / 1000.0)
                                             : QStringLiteral("E2B: could not reach the sandbox: %1")
                                                   .arg(reply->errorString()))});
        return;
    }
    E2bError error = E2bError::fromHttp(status, reply->readAll(),
                                        reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    error.message = redacted(error.message);
    handleRequestError(error);
}

void E2bSandbox::handleRequestError(const E2bError &error)
{
    if (error.kind == E2bError::Kind::Cancelled && m_cancelled) {
        finishRun({ExecutionStatus::Cancelled, std::nullopt, QStringLiteral("The run was stopped."), 0});
        return;
    }
    if (error.kind == E2bError::Kind::SandboxGone && !m_recreated) {
        // Killed or expired under us: one fresh sandbox, and the analyst is told.
        qCInfo(lcE2b) << "sandbox gone (502); starting a new one";
        m_recreated = true;
        killSession(QStringLiteral("gone"));
        m_sessionNote = QStringLiteral("The E2B sandbox had ended (%1), so a new one was started for this run: "
                                       "variables from earlier runs are gone.").arg(error.message);
        startRun();
        return;
    }
    failRun(error, true);
}

void E2bSandbox::failRun(const E2bError &error, bool killSandbox)
{
    if (killSandbox && m_session) {
        killSession(QStringLiteral("error"));
        m_sessionNote = joinMessages(m_sessionNote, QStringLiteral("The sandbox was closed after this error; "
                                                                   "the next run starts a fresh session."));
    }
    ExecutionOutcome outcome;
    outcome.status = ExecutionStatus::SandboxFailed;
    outcome.message = redacted(error.message);
    finishRun(std::move(outcome));
}

void E2bSandbox::finishRun(ExecutionOutcome outcome)
{
    if (!m_running)
        return;
    m_deadline.stop();
    m_probeTimer.stop();
    outcome.durationMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (!m_sessionNote.isEmpty()) {
        outcome.sessionLost = true;
        outcome.message = joinMessages(outcome.message, m_sessionNote);
    }
    outcome.uploadedFiles = m_uploaded;
    m_running = false;
    m_phase = Phase::Idle;
    if (m_session) {
        m_lifetime->checkpoint(m_session->life); // the run's time
        m_idle.start(int(qBound(qint64(0), m_config.idleTimeoutMs, qint64(INT_MAX))));
        keepWarm();
    }
    qCInfo(lcE2b) << "run ended:" << static_cast<int>(outcome.status) << "after" << outcome.durationMs << "ms";
    Q_EMIT finished(outcome);
}

void E2bSandbox::cancel()
{
    if (!m_running || m_cancelled)
        return;
    m_cancelled = true;
    switch (m_phase) {
    case Phase::Executing:
        abortStream();
        break;
    case Phase::Preparing:
    case Phase::Uploading:
    case Phase::Probing:
        m_transport->cancelAll();
        break;
    case Phase::Creating: // never abort a create: the sandbox would exist unseen; startRun() stops after it
    case Phase::Idle:
        break;
    }
}

void E2bSandbox::restartSession()
{
    cancel();
    killSession(QStringLiteral("restart"));
}

void E2bSandbox::shutdown()
{
    cancel();
    killSession(QStringLiteral("shutdown"));
}

void E2bSandbox::killSession(const QString &why)
{
    if (!m_session)
        return;
    m_idle.stop();
    m_warmStep.stop();
    const QString id = m_session->id;
    const quint64 life = m_session->life;
    m_session.reset();
    qCInfo(lcE2b) << "killing sandbox" << id << "(" << why << ")";
    ++m_killsInFlight;
    m_lifecycle->send("DELETE", m_lifecycle->controlRequest(QStringLiteral("/sandboxes/") + id), QByteArray(),
                      [this, id, life](const E2bResponse *, const E2bError *error) {
        // Billed until E2B took the kill (or had ended it already: 404);
        // a sandbox the kill did not reach bills until its lifetime ends.
        const bool gone = !error || error->kind == E2bError::Kind::NotFound;
        if (!gone)
            qCWarning(lcE2b) << "could not kill sandbox" << id << ":" << error->message
                             << "(its lifetime will end it)";
        m_lifetime->ended(life, gone);
        Q_EMIT sessionClosed(id);
        if (--m_killsInFlight == 0)
            Q_EMIT killsEnded();
    });
}

} // namespace safecell
