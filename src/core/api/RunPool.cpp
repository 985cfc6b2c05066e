#include "RunPool.h"

#include "common/Logging.h"

#include <algorithm>

namespace safecell::api {

RunPool::RunPool(int maxWorkers, RunWorkerConfig idleConfig, QObject *parent)
    : QObject(parent)
    , m_maxWorkers(std::max(1, maxWorkers))
    , m_idleConfig(std::move(idleConfig))
{
}

RunPool::~RunPool()
{
    // Each worker's RunThread stops its run and ends its thread as it goes.
    for (PooledWorker *worker : std::exchange(m_workers, {}))
        delete worker;
}

std::optional<RunPool::Ticket> RunPool::submit(const RunWorkerConfig &config, const RunRequest &request)
{
    auto idle = std::find_if(m_workers.begin(), m_workers.end(), [](PooledWorker *w) { return w->isIdle(); });
    PooledWorker *worker = idle != m_workers.end() ? *idle : nullptr;
    if (!worker) {
        if (workers() >= m_maxWorkers)
            return std::nullopt;
        worker = new PooledWorker(m_idleConfig, this);
        connect(worker, &PooledWorker::finished, this,
                [this, worker](Ticket ticket, const RunReport &report) { onFinished(worker, ticket, report); });
        connect(worker, &PooledWorker::stdoutReceived, this, &RunPool::stdoutReceived);
        connect(worker, &PooledWorker::stderrReceived, this, &RunPool::stderrReceived);
        connect(worker, &PooledWorker::resultReceived, this, &RunPool::resultReceived);
        m_workers.push_back(worker);
        qCInfo(lcApi) << "pool: worker" << workers() << "of" << m_maxWorkers << "made";
    }
    const Ticket ticket = ++m_lastTicket;
    m_running.insert(ticket, worker);
    worker->start(ticket, config, request);
    return ticket;
}

void RunPool::cancel(Ticket ticket)
{
    if (PooledWorker *worker = m_running.value(ticket))
        worker->cancel(ticket);
}

void RunPool::onFinished(PooledWorker *worker, Ticket ticket, const RunReport &report)
{
    m_running.remove(ticket);
    // Unavailable: the sandbox or the ledger failed under this worker, which
    // may be left broken; a new one costs less than a second failure.
    if (report.outcome == RunOutcome::Unavailable)
        retire(worker);
    Q_EMIT finished(ticket, report);
}

void RunPool::retire(PooledWorker *worker)
{
    qCInfo(lcApi) << "pool: a worker whose run ended unavailable is replaced";
    m_workers.erase(std::remove(m_workers.begin(), m_workers.end(), worker), m_workers.end());
    worker->deleteLater();
}

} // namespace safecell::api
