#include "RunController.h"

#include "common/Logging.h"
#include "pipeline/RunThread.h"
#include "sandbox/ScratchDatabase.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QDir>

namespace safecell {

RunController::RunController(Settings &settings, KeyStore &keys, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_keys(keys)
{
    if (auto scratch = ScratchFolder::create(QDir::tempPath()))
        m_scratch = std::move(scratch).value();
    else
        qCWarning(lcSandbox).noquote() << scratch.error();
    reload();
}

QString RunController::scratchDatabasePath() const
{
    return m_scratch ? m_scratch->databasePath() : QString();
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

RunController::Sandbox RunController::sandboxOf(const RunWorkerConfig &config)
{
    return config.e2b ? Sandbox::E2b : Sandbox::Local;
}

RunController::Sandbox RunController::pendingSandbox() const
{
    return m_fresh ? sandboxOf(*m_fresh) : m_sandbox;
}

bool RunController::sessionHasInternet() const
{
    return m_config && m_config->e2b && m_config->e2b->allowInternet;
}

QList<E2bUpload> RunController::plannedUploads(Language language) const
{
    if (!m_config || !m_config->e2b)
        return {};
    return e2bUploadsFor(language, *m_config->e2b);
}

void RunController::onKeys(const RunKeys &keys)
{
    RunWorkerConfig next = RunWorkerConfig::fromSettings(m_settings, keys);
    Q_EMIT teamPasswordRead(keys.team.value);
    if (next.e2b)
        next.e2b->allowInternet = m_allowInternet;
    next.listVariables = true; // for the Variables pane
    next.shares = m_shares;
    if (m_scratch) // the same for every session of the window: the schema browser shows it
        next.sandboxLimits.scratchFolder = m_scratch->path();
    const auto problem = keys.keychainProblem();
    if (const QString text = problem ? problem->message : QString(); text != m_keychainProblem) {
        m_keychainProblem = text;
        Q_EMIT sandboxChanged(m_sandbox); // the label says whether the keychain could be read
    }
    if (!m_runner) {
        replaceRunner(next);
        if (m_pending) {
            const RunRequest request = *std::exchange(m_pending, std::nullopt);
            m_runner->start(request);
        }
        return;
    }
    if (!needsFreshSession(*m_config, next)) {
        // Budget, models, policy...: the session and its variables stay.
        m_fresh.reset();
        m_config = next;
        if (m_busy)
            m_reconfigureAfterRun = true;
        else
            m_runner->reconfigure(next);
        return;
    }
    m_fresh = next;
    if (sessionHoldsState())
        Q_EMIT freshSessionPending();
    else
        applyFreshSession(); // nothing to lose
}

void RunController::applyFreshSession()
{
    if (!m_fresh)
        return;
    if (m_busy) {
        m_freshAfterRun = true; // the old worker delivers its last signal first
        return;
    }
    replaceRunner(*std::exchange(m_fresh, std::nullopt));
}

void RunController::replaceRunner(const RunWorkerConfig &config)
{
    const bool renewed = m_runner != nullptr;
    m_config = config;
    m_runner = std::make_unique<RunThread>(config);
    m_sessionUsed = false;
    m_workFilesHeld = false;
    m_freshAfterRun = false;
    m_reconfigureAfterRun = false;
    RunWorker *worker = m_runner->worker();
    connect(worker, &RunWorker::stdoutReceived, this, &RunController::stdoutReceived);
    connect(worker, &RunWorker::stderrReceived, this, &RunController::stderrReceived);
    connect(worker, &RunWorker::resultReceived, this, &RunController::resultReceived);
    connect(worker, &RunWorker::stepChanged, this, [this](RunStep step) {
        if (step == RunStep::Executing)
            m_sessionUsed = true;
        Q_EMIT stepChanged(step);
    });
    connect(worker, &RunWorker::finished, this, &RunController::onFinished);
    connect(worker, &RunWorker::sessionEnded, this, &RunController::sessionEnded);
    connect(worker, &RunWorker::dataPageReady, this, &RunController::dataPageReady);
    const Sandbox sandbox = sandboxOf(config);
    if (sandbox != m_sandbox) {
        m_sandbox = sandbox;
        Q_EMIT sandboxChanged(sandbox);
    }
    if (renewed) {
        Q_EMIT sessionRenewed();
        Q_EMIT sessionCleared();
    }
}

void RunController::setShares(const QList<SharedPath> &shares)
{
    m_shares = shares;
    if (m_fresh)
        m_fresh->shares = shares;
    if (!m_config)
        return; // onKeys() passes them on
    m_config->shares = shares;
    if (m_busy)
        m_reconfigureAfterRun = true;
    else if (m_runner)
        m_runner->reconfigure(*m_config);
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
    if (m_fresh && !m_busy) {
        replaceRunner(*std::exchange(m_fresh, std::nullopt)); // the waiting settings, in the fresh session
        return;
    }
    if (m_runner) {
        m_runner->restartSession();
        m_sessionUsed = false;
        Q_EMIT sessionCleared();
    }
}

void RunController::requestDataPage(const DataPageRequest &request)
{
    if (m_runner) {
        m_runner->requestDataPage(request);
        return;
    }
    DataPage page;
    page.request = request;
    page.error = tr("The session has not started yet.");
    Q_EMIT dataPageReady(page);
}

void RunController::onFinished(const RunReport &report)
{
    m_busy = false;
    if (report.workFiles)
        m_workFilesHeld = !report.workFiles->files.isEmpty();
    // The old worker has delivered its last signal, so it can go now.
    if (m_freshAfterRun)
        applyFreshSession();
    else if (std::exchange(m_reconfigureAfterRun, false) && m_runner && m_config)
        m_runner->reconfigure(*m_config);
    Q_EMIT finished(report);
}

} // namespace safecell
