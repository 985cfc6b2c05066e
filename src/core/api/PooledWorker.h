#pragma once

#include "pipeline/RunThread.h"

#include <QObject>

namespace safecell::api {

// One of RunPool's workers: a RunThread (the thread, its network manager,
// ledger, classifier) that serves one request after another, each on a
// session of its own, unless it was made a named session's (keepSession()),
// which keeps its kernel or E2B sandbox from run to run. Lives on the
// server's thread.
class PooledWorker : public QObject {
    Q_OBJECT
public:
    using Ticket = quint64;

    // `config`: the worker starts a session with it at once (a local kernel
    // started, warm for the first request), and renews it the same way after
    // each run; start() renews it again only when its config needs that.
    explicit PooledWorker(RunWorkerConfig config, QObject *parent = nullptr);

    bool isIdle() const { return m_ticket == 0; }
    Ticket ticket() const { return m_ticket; }
    int runsServed() const { return m_runsServed; }
    // Non-empty: the named session this worker serves.
    QString sessionId() const { return m_sessionId; }

    // From now on the worker keeps its session after a run, for `id`'s next
    // request; it is never handed to another request. For good: a session's
    // worker ends with its session.
    void keepSession(const QString &id) { m_sessionId = id; }

    // Starts `request` on a fresh session with `config`; the worker must
    // be idle. finished(ticket, ...) follows.
    void start(Ticket ticket, const RunWorkerConfig &config, const RunRequest &request);
    // Starts `request` on the session the last run left (a kept session's
    // later requests); the worker must be idle.
    void continueSession(Ticket ticket, const RunRequest &request);
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
    QString m_sessionId;
    Ticket m_ticket = 0; // the run in progress; 0: idle
    int m_runsServed = 0;
};

} // namespace safecell::api
