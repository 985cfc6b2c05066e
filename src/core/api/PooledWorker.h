#pragma once

#include "pipeline/RunThread.h"

#include <QObject>

namespace safecell::api {

// One of RunPool's workers: a RunThread (the thread, its network manager,
// ledger, classifier) that serves one request after another, each on a
// session of its own. Lives on the server's thread.
class PooledWorker : public QObject {
    Q_OBJECT
public:
    using Ticket = quint64;

    // `config`: the session each run ends on is renewed with it at once,
    // so an idle worker waits with its next session ready (a local kernel
    // started); start() renews it again only when its config needs that.
    explicit PooledWorker(RunWorkerConfig config, QObject *parent = nullptr);

    bool isIdle() const { return m_ticket == 0; }
    Ticket ticket() const { return m_ticket; }
    int runsServed() const { return m_runsServed; }

    // Starts `request` on a fresh session with `config`; the worker must
    // be idle. finished(ticket, ...) follows.
    void start(Ticket ticket, const RunWorkerConfig &config, const RunRequest &request);
    // Stops the run of `ticket`, if this worker is still on it.
    void cancel(Ticket ticket);
    // For tests: connect to its signals only, it lives on its own thread.
    RunWorker *worker() const { return m_thread.worker(); }

Q_SIGNALS:
    // The run of `ticket` as it happens (for a streamed answer): what the
    // sandbox sent, in order; finished() last.
    void stdoutReceived(quint64 ticket, const QString &text);
    void stderrReceived(quint64 ticket, const QString &text);
    void resultReceived(quint64 ticket, const safecell::RichResult &result);
    void finished(quint64 ticket, const safecell::RunReport &report);

private:
    RunWorkerConfig m_idleConfig;
    RunThread m_thread;
    Ticket m_ticket = 0; // the run in progress; 0: idle
    int m_runsServed = 0;
};

} // namespace safecell::api
