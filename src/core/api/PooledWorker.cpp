#include "PooledWorker.h"

#include <utility>

namespace safecell::api {

PooledWorker::PooledWorker(RunWorkerConfig config, QObject *parent)
    : QObject(parent)
    , m_idleConfig(config)
    , m_thread(std::move(config))
{
    // Queued from the worker's thread, so they arrive in the order they
    // were sent, all of a run's before its finished(); m_ticket is still
    // that run's.
    RunWorker *worker = m_thread.worker();
    connect(worker, &RunWorker::stdoutReceived, this, [this](const QString &text) {
        if (m_ticket != 0)
            Q_EMIT stdoutReceived(m_ticket, text);
    });
    connect(worker, &RunWorker::stderrReceived, this, [this](const QString &text) {
        if (m_ticket != 0)
            Q_EMIT stderrReceived(m_ticket, text);
    });
    connect(worker, &RunWorker::resultReceived, this, [this](const RichResult &result) {
        if (m_ticket != 0)
            Q_EMIT resultReceived(m_ticket, result);
    });
    connect(worker, &RunWorker::finished, this, [this](const RunReport &report) {
        // A second start() while busy would answer at once; the pool never
        // sends one, and its answer is not this ticket's.
        if (m_ticket == 0)
            return;
        ++m_runsServed;
        if (m_sessionId.isEmpty())
            m_thread.renewSession(m_idleConfig); // nothing of this run is left for the next
        Q_EMIT finished(std::exchange(m_ticket, 0), report);
    });
    // Warm before the first request: the kernel starts on the worker's
    // thread while this one goes on.
    m_thread.renewSession(m_idleConfig);
}

void PooledWorker::start(Ticket ticket, const RunWorkerConfig &config, const RunRequest &request)
{
    Q_ASSERT(isIdle() && ticket != 0);
    m_ticket = ticket;
    // Queued one after the other to the worker's thread, so the run starts
    // on the renewed session.
    m_thread.renewSession(config);
    m_thread.start(request);
}

void PooledWorker::continueSession(Ticket ticket, const RunRequest &request)
{
    Q_ASSERT(isIdle() && ticket != 0);
    m_ticket = ticket;
    m_thread.start(request);
}

void PooledWorker::cancel(Ticket ticket)
{
    // The ticket is checked here, on the server's thread: a cancel sent for
    // this run reaches the worker before any start() of the next one, which
    // is only sent after this run's finished() arrived here.
    if (ticket != 0 && ticket == m_ticket)
        m_thread.cancel();
}

} // namespace safecell::api
