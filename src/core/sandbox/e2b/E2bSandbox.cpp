#include "E2bSandbox.h"

#include "common/Logging.h"
#include "common/Redact.h"
#include "sandbox/e2b/E2bLifetime.h"
#include "sandbox/e2b/E2bSqlScript.h"
#include "sandbox/e2b/E2bTransport.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace safecell {

// Here: a run from execute() to finished(), and the object's own life. The
// sandbox's other jobs have a file each: E2bSessionSetup.cpp (create the
// sandbox and its context, prove the context free), E2bWorkspaceUpload.cpp,
// E2bExecuteStream.cpp (/execute and its NDJSON stream), E2bKeepWarm.cpp,
// E2bKills.cpp and E2bSandboxRequests.cpp (requests into the sandbox).

namespace {
// The run's time limit must fit in what is left of the lifetime, with this
// much to spare for the abort and the next keep-warm step's call.
constexpr double kRunEndSlackS = 0.5;

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
        if (m_phase == Phase::Fetching) {
            qCInfo(lcE2b) << "copying the session's files took too long; the rest waits for the next run";
            m_phase = Phase::Listing; // onWorkFileFetched() stops there
            if (m_fetch)
                m_fetch->abort();
            return;
        }
        qCInfo(lcE2b) << "time limit reached; aborting the stream";
        m_timedOut = m_phase != Phase::Listing; // a slow listing costs the run nothing
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
    m_pageDeadline.setSingleShot(true);
    connect(&m_pageDeadline, &QTimer::timeout, this, [this] {
        if (m_page && m_page->reply) {
            qCInfo(lcE2b) << "a data viewer page took too long; aborting it";
            m_page->timedOut = true;
            m_page->reply->abort();
        }
    });
}

E2bSandbox::~E2bSandbox()
{
    m_deadline.stop();
    m_idle.stop();
    m_warmStep.stop();
    m_pageDeadline.stop();
    if (m_page && m_page->reply) {
        m_page->reply->disconnect(this);
        m_page->reply->abort();
        m_page->reply->deleteLater();
    }
    if (m_fetch) {
        m_fetch->disconnect(this);
        m_fetch->abort();
        m_fetch->deleteLater();
    }
    if (m_stream) {
        m_stream->disconnect(this);
        m_stream->abort();
        m_stream->deleteLater();
    }
    m_lifecycle->reapPendingCreates();
    if (m_session) {
        // Last words: the kill outlives us, owned by the network manager (its
        // life ends at its bound: nobody will hear the answer).
        qCInfo(lcE2b) << "closing sandbox" << m_session->id << "on destruction";
        QNetworkReply *reply = m_network->deleteResource(
            m_lifecycle->controlRequest(QStringLiteral("/sandboxes/") + m_session->id));
        QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    }
    // The open lives are settled through the meter now, while it is sure to
    // exist: ~QObject drops our connections (which may hold the meter, see
    // RetiredSandboxes) before it deletes our children.
    delete m_lifetime;
    m_lifetime = nullptr;
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

void E2bSandbox::execute(const ExecutionRequest &request)
{
    Q_ASSERT(!m_running);
    m_running = true;
    ++m_generation;
    m_request = request;
    m_clock.start();
    m_timedOut = m_cancelled = m_recreated = false;
    m_ranOutcome.reset();
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
    if (!resolveDatabase())
        return;
    if (needsUploadConsent()) {
        refuseUpload();
        return;
    }
    if (m_session) {
        m_lifetime->checkpoint(m_session->life); // the warm time so far is the session's
        if (!extendForRun())
            return;
    }
    if (m_page) { // the context is busy with it: onPageFinished() starts the run
        m_runAfterPage = true;
        return;
    }
    startRun();
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
    if (needsUploadConsent()) { // also for a sandbox that replaces a lost one
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
    if (needsUpload()) {
        uploadWorkspace();
        return;
    }
    // Setting up may have used the margin: the whole time limit must fit.
    if (m_lifetime->secondsLeft(m_session->life) < double(m_request.timeLimitMs) / 1000.0 + kRunEndSlackS
        && !extendForRun())
        return;
    sendExecute();
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
                                       "variables from earlier runs are gone.")
                            .arg(error.message);
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
    if (outcome.durationMs == 0) // a run whose variables were listed has its code's time already
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
    sendNextPage(); // the pages that waited for the run
}

void E2bSandbox::cancel()
{
    if (!m_running || m_cancelled)
        return;
    m_cancelled = true;
    if (m_runAfterPage) { // nothing of the run has started: the page goes on, for its viewer
        m_runAfterPage = false;
        finishRun({ExecutionStatus::Cancelled, std::nullopt, QStringLiteral("The run was stopped."), 0});
        return;
    }
    switch (m_phase) {
    case Phase::Executing:
    case Phase::Listing:
        abortStream();
        break;
    case Phase::Fetching:
        if (m_fetch)
            m_fetch->abort(); // onWorkFileFetched() sees m_cancelled and stops
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

} // namespace safecell
