#pragma once

#include "api/PooledWorker.h"

#include <QHash>
#include <QObject>

#include <optional>
#include <vector>

namespace safecell::api {

// The workers `serve` runs requests on: made on demand, up to a maximum,
// and reused, each request on a session of its own (RunWorker::
// renewSession), so a request no longer pays for a thread, a network
// manager, a ledger and a classifier. Each run is known by its ticket,
// which is what its client can cancel. A run that ends Unavailable (its
// sandbox failed, or the ledger) retires its worker: the next request
// gets a new one. Lives on the server's thread.
class RunPool : public QObject {
    Q_OBJECT
public:
    using Ticket = PooledWorker::Ticket;

    RunPool(int maxWorkers, RunWorkerConfig idleConfig, QObject *parent = nullptr);
    ~RunPool() override;

    int maxWorkers() const { return m_maxWorkers; }
    int workers() const { return int(m_workers.size()); }
    int busy() const { return int(m_running.size()); }

    // Starts `request` with `config` on an idle worker, or a new one while
    // there are fewer than maxWorkers(); nullopt when all of them are busy.
    std::optional<Ticket> submit(const RunWorkerConfig &config, const RunRequest &request);
    // Stops the run of `ticket`; nothing when it has ended.
    void cancel(Ticket ticket);
    // For tests: the worker running `ticket`, or nullptr.
    PooledWorker *workerFor(Ticket ticket) const { return m_running.value(ticket); }

Q_SIGNALS:
    // A run's events as PooledWorker sends them, finished() last.
    void stdoutReceived(quint64 ticket, const QString &text);
    void stderrReceived(quint64 ticket, const QString &text);
    void resultReceived(quint64 ticket, const safecell::RichResult &result);
    void finished(quint64 ticket, const safecell::RunReport &report);

private:
    void onFinished(PooledWorker *worker, Ticket ticket, const RunReport &report);
    void retire(PooledWorker *worker);

    int m_maxWorkers;
    RunWorkerConfig m_idleConfig;
    std::vector<PooledWorker *> m_workers; // children
    QHash<Ticket, PooledWorker *> m_running;
    Ticket m_lastTicket = 0;
};

} // namespace safecell::api
