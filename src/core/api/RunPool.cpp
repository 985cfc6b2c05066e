#include "RunPool.h"

#include "common/Logging.h"

#include <QTimer>

#include <algorithm>
#include <chrono>

namespace safecell::api {

RunPool::RunPool(int maxWorkers, RunWorkerConfig idleConfig, QObject *parent)
    : QObject(parent)
    , m_maxWorkers(std::max(1, maxWorkers))
    , m_idleConfig(std::move(idleConfig))
{
}

RunPool::~RunPool()
{
    // Each worker's RunThread stops its run and ends its thread as it goes
    // (a session's E2B sandbox is killed on the way).
    for (PooledWorker *worker : std::exchange(m_workers, {}))
        delete worker;
    for (const Session &session : std::as_const(m_sessions))
        delete session.worker;
    qDeleteAll(std::exchange(m_ending, {}));
}

void RunPool::setWarm(int count)
{
    m_warm = std::clamp(count, 0, m_maxWorkers);
    refill();
}

int RunPool::idleWorkers() const
{
    return int(std::count_if(m_workers.begin(), m_workers.end(), [](PooledWorker *w) { return w->isIdle(); }));
}

PooledWorker *RunPool::makeWorker()
{
    auto *worker = new PooledWorker(m_idleConfig, this);
    connect(worker, &PooledWorker::finished, this,
            [this, worker](Ticket ticket, const RunReport &report) { onFinished(worker, ticket, report); });
    connect(worker, &PooledWorker::stdoutReceived, this, &RunPool::stdoutReceived);
    connect(worker, &PooledWorker::stderrReceived, this, &RunPool::stderrReceived);
    connect(worker, &PooledWorker::resultReceived, this, &RunPool::resultReceived);
    return worker;
}

PooledWorker *RunPool::longestIdle() const
{
    const auto idle = std::find_if(m_workers.begin(), m_workers.end(), [](PooledWorker *w) { return w->isIdle(); });
    return idle != m_workers.end() ? *idle : nullptr;
}

void RunPool::refill()
{
    while (idleWorkers() < m_warm && workers() < m_maxWorkers) {
        m_workers.push_back(makeWorker());
        qCInfo(lcApi) << "pool: worker" << workers() << "of" << m_maxWorkers << "started warm";
    }
}

RunPool::Ticket RunPool::run(PooledWorker *worker, const RunWorkerConfig *config, const RunRequest &request)
{
    const Ticket ticket = ++m_lastTicket;
    m_running.insert(ticket, worker);
    if (config)
        worker->start(ticket, *config, request);
    else
        worker->continueSession(ticket, request);
    return ticket;
}

std::optional<RunPool::Ticket> RunPool::submit(const RunWorkerConfig &config, const RunRequest &request)
{
    PooledWorker *worker = longestIdle();
    if (!worker) {
        if (workers() >= m_maxWorkers)
            return std::nullopt;
        worker = makeWorker();
        m_workers.push_back(worker);
        qCInfo(lcApi) << "pool: worker" << workers() << "of" << m_maxWorkers << "made";
    }
    const Ticket ticket = run(worker, &config, request);
    refill();
    return ticket;
}

Expected<RunPool::Ticket, RunPool::Refusal> RunPool::submitInSession(const QString &id, const RunWorkerConfig &config,
                                                                     const RunRequest &request)
{
    if (const auto found = m_sessions.find(id); found != m_sessions.end()) {
        if (!found->worker->isIdle())
            return unexpected(Refusal::SessionBusy);
        found->idle->stop();
        return run(found->worker, nullptr, request);
    }
    if (sessions() >= m_rules.maxSessions)
        return unexpected(Refusal::TooManySessions);
    // A warm worker's kernel is up already; the pool starts another.
    PooledWorker *worker = longestIdle();
    if (worker)
        m_workers.erase(std::find(m_workers.begin(), m_workers.end(), worker));
    else
        worker = makeWorker();
    worker->keepSession(id);
    auto *idle = new QTimer(this);
    idle->setSingleShot(true);
    idle->setInterval(std::chrono::milliseconds(std::max<qint64>(1, m_rules.idleTimeoutMs)));
    connect(idle, &QTimer::timeout, this,
            [this, id] { endSession(id, QStringLiteral("idle for %1 ms").arg(m_rules.idleTimeoutMs)); });
    m_sessions.insert(id, Session{worker, config, idle});
    qCInfo(lcApi) << "pool: session" << id << "started;" << sessions() << "of" << m_rules.maxSessions;
    const Ticket ticket = run(worker, &config, request);
    refill();
    return ticket;
}

const RunWorkerConfig *RunPool::sessionConfig(const QString &id) const
{
    const auto found = m_sessions.constFind(id);
    return found != m_sessions.cend() ? &found->config : nullptr;
}

PooledWorker *RunPool::sessionWorker(const QString &id) const
{
    return m_sessions.value(id).worker;
}

bool RunPool::endSession(const QString &id, const QString &why)
{
    const auto found = m_sessions.find(id);
    if (found == m_sessions.end())
        return false;
    const Session session = *found;
    m_sessions.erase(found);
    // Later: this may run in the timer's own timeout().
    session.idle->stop();
    session.idle->deleteLater();
    if (session.worker->isIdle()) {
        session.worker->deleteLater();
    } else {
        // Its client still gets an answer (the run, cancelled); the worker
        // goes once that is out.
        m_ending.insert(session.worker);
        session.worker->cancel(session.worker->ticket());
    }
    qCInfo(lcApi) << "pool: session" << id << "ended:" << why;
    Q_EMIT sessionEnded(id, why);
    return true;
}

void RunPool::cancel(Ticket ticket)
{
    if (PooledWorker *worker = m_running.value(ticket))
        worker->cancel(ticket);
}

void RunPool::onFinished(PooledWorker *worker, Ticket ticket, const RunReport &report)
{
    m_running.remove(ticket);
    const bool broken = report.outcome == RunOutcome::Unavailable;
    if (m_ending.remove(worker)) {
        worker->deleteLater();
    } else if (const QString id = worker->sessionId(); !id.isEmpty()) {
        // Unavailable: the sandbox or the ledger failed under this worker, which
        // may be left broken; the session cannot go on as it was.
        if (broken)
            endSession(id, QStringLiteral("its run ended unavailable"));
        else
            m_sessions.value(id).idle->start();
    } else if (broken) {
        // A new worker costs less than a second failure.
        retire(worker);
    } else {
        // To the back: it serves again once the longer idle ones have.
        m_workers.erase(std::find(m_workers.begin(), m_workers.end(), worker));
        m_workers.push_back(worker);
    }
    Q_EMIT finished(ticket, report);
}

void RunPool::retire(PooledWorker *worker)
{
    qCInfo(lcApi) << "pool: a worker whose run ended unavailable is replaced";
    m_workers.erase(std::remove(m_workers.begin(), m_workers.end(), worker), m_workers.end());
    worker->deleteLater();
    refill();
}

} // namespace safecell::api
