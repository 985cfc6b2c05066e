#pragma once

#include "api/PooledWorker.h"
#include "common/Expected.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <optional>
#include <vector>

class QTimer;

namespace safecell::api {

// The workers `serve` runs requests on. A request without a session runs
// on an idle worker, up to a maximum of them, each request on a session of
// its own (RunWorker::renewSession), so a request no longer pays for a
// thread, a network manager, a ledger and a classifier, and finds a local
// kernel started: a worker renews its session (a new kernel) as soon as
// its run ends, and `warm` workers are started before any request, the
// idle one that has waited longest serving next. A named session takes a
// worker of its own (an idle warm one when there is one; the pool makes
// another in the background) and keeps it, with its kernel or E2B sandbox,
// until it is ended, idles out, or its run ends Unavailable. Each run is
// known by its ticket, which is what its client can cancel. A run that
// ends Unavailable (its sandbox failed, or the ledger) retires its worker.
// Lives on the server's thread.
class RunPool : public QObject {
    Q_OBJECT
public:
    using Ticket = PooledWorker::Ticket;

    struct SessionRules {
        int maxSessions = 8;           // sessions alive at once
        qint64 idleTimeoutMs = 600000; // a session with no run this long ends
    };
    enum class Refusal {
        SessionBusy,     // the session's worker is on another run
        TooManySessions, // a new session past SessionRules::maxSessions
    };

    RunPool(int maxWorkers, RunWorkerConfig idleConfig, QObject *parent = nullptr);
    ~RunPool() override;

    // Keeps up to `count` (at most maxWorkers()) idle workers started, and
    // starts them now.
    void setWarm(int count);
    void setSessionRules(SessionRules rules) { m_rules = rules; }
    const SessionRules &sessionRules() const { return m_rules; }

    int maxWorkers() const { return m_maxWorkers; }
    // Workers for requests without a session, idle or busy.
    int workers() const { return int(m_workers.size()); }
    int idleWorkers() const;
    // Runs in flight, in sessions too.
    int busy() const { return int(m_running.size()); }
    int sessions() const { return int(m_sessions.size()); }

    // Starts `request` with `config` on an idle worker, or a new one while
    // there are fewer than maxWorkers(); nullopt when all of them are busy.
    std::optional<Ticket> submit(const RunWorkerConfig &config, const RunRequest &request);
    // Starts `request` in session `id`: on its worker, as the last run left
    // it; a new id starts a session with `config`.
    Expected<Ticket, Refusal> submitInSession(const QString &id, const RunWorkerConfig &config,
                                              const RunRequest &request);
    // The config session `id` was started with, or nullptr for none.
    const RunWorkerConfig *sessionConfig(const QString &id) const;
    // Ends session `id`: its kernel or sandbox goes with its worker, at once
    // when idle, else once its run (cancelled now) has answered. false: no
    // such session.
    bool endSession(const QString &id, const QString &why);
    // Stops the run of `ticket`; nothing when it has ended.
    void cancel(Ticket ticket);
    // For tests: the worker running `ticket`, or nullptr.
    PooledWorker *workerFor(Ticket ticket) const { return m_running.value(ticket); }
    PooledWorker *sessionWorker(const QString &id) const;

Q_SIGNALS:
    // A run's events as PooledWorker sends them, finished() last.
    void stdoutReceived(quint64 ticket, const QString &text);
    void stderrReceived(quint64 ticket, const QString &text);
    void resultReceived(quint64 ticket, const safecell::RichResult &result);
    void finished(quint64 ticket, const safecell::RunReport &report);
    void sessionEnded(const QString &id, const QString &why);

private:
    struct Session {
        PooledWorker *worker = nullptr;
        RunWorkerConfig config;
        QTimer *idle = nullptr;
    };

    PooledWorker *makeWorker();
    // The idle worker that has waited longest (its kernel most likely up), or nullptr.
    PooledWorker *longestIdle() const;
    void refill();
    Ticket run(PooledWorker *worker, const RunWorkerConfig *config, const RunRequest &request);
    void onFinished(PooledWorker *worker, Ticket ticket, const RunReport &report);
    void retire(PooledWorker *worker);

    int m_maxWorkers;
    int m_warm = 0;
    SessionRules m_rules;
    RunWorkerConfig m_idleConfig;
    std::vector<PooledWorker *> m_workers; // children, the longest idle first
    QHash<QString, Session> m_sessions;
    QSet<PooledWorker *> m_ending; // ended sessions' workers, until their run has answered
    QHash<Ticket, PooledWorker *> m_running;
    Ticket m_lastTicket = 0;
};

} // namespace safecell::api
