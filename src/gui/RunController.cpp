#include "RunController.h"

#include "pipeline/RunThread.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

namespace safecell {

RunController::RunController(Settings &settings, KeyStore &keys, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_keys(keys)
{
    reload();
}

RunController::~RunController() = default;

void RunController::reload()
{
    const quint64 generation = ++m_generation;
    // Both keys are read here, on the window's thread, before the run's
    // thread exists: nothing on a run's thread ever talks to the keychain.
    lookupRunKeys(m_keys, this, [this, generation](const RunKeys &keys) {
        if (generation == m_generation)
            onKeys(keys);
    });
}

void RunController::onKeys(const RunKeys &keys)
{
    m_nextConfig = RunWorkerConfig::fromSettings(m_settings, keys);
    const Sandbox sandbox = m_nextConfig->e2b ? Sandbox::E2b : Sandbox::Local;
    const auto problem = keys.keychainProblem();
    const QString problemText = problem ? problem->message : QString();
    if (sandbox != m_sandbox || problemText != m_keychainProblem) {
        m_sandbox = sandbox;
        m_keychainProblem = problemText;
        Q_EMIT sandboxChanged(sandbox);
    }
    const bool inFlight = m_busy && !m_pending;
    if (!inFlight)
        replaceRunner();
    if (m_pending) {
        const RunRequest request = *m_pending;
        m_pending.reset();
        m_runner->start(request);
    }
}

void RunController::replaceRunner()
{
    if (!m_nextConfig)
        return;
    const bool renewed = m_runner != nullptr;
    m_runner = std::make_unique<RunThread>(*std::exchange(m_nextConfig, std::nullopt));
    RunWorker *worker = m_runner->worker();
    connect(worker, &RunWorker::stdoutReceived, this, &RunController::stdoutReceived);
    connect(worker, &RunWorker::stderrReceived, this, &RunController::stderrReceived);
    connect(worker, &RunWorker::resultReceived, this, &RunController::resultReceived);
    connect(worker, &RunWorker::stepChanged, this, &RunController::stepChanged);
    connect(worker, &RunWorker::finished, this, &RunController::onFinished);
    connect(worker, &RunWorker::sessionEnded, this, &RunController::sessionEnded);
    if (renewed)
        Q_EMIT sessionRenewed();
}

void RunController::start(const RunRequest &request)
{
    if (m_busy)
        return;
    m_busy = true;
    if (!m_runner) {
        m_pending = request; // the key is being read: the run starts once it is known
        return;
    }
    m_runner->start(request);
}

void RunController::cancel()
{
    if (!m_busy)
        return;
    if (m_pending) {
        m_pending.reset();
        RunReport report;
        report.outcome = RunOutcome::Cancelled;
        report.message = tr("Stopped before the run started");
        onFinished(report);
        return;
    }
    if (m_runner)
        m_runner->cancel();
}

void RunController::restartSession()
{
    if (m_runner)
        m_runner->restartSession();
}

void RunController::onFinished(const RunReport &report)
{
    m_busy = false;
    // The new key or settings apply from the next run; the old worker has
    // delivered its last signal, so it can go now.
    if (m_nextConfig)
        replaceRunner();
    Q_EMIT finished(report);
}

} // namespace safecell
