#pragma once

#include "sandbox/OutputLimiter.h"
#include "sandbox/Sandbox.h"
#include "sandbox/e2b/E2bConfig.h"
#include "sandbox/e2b/E2bError.h"
#include "sandbox/e2b/NdjsonParser.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace safecell {

class E2bTransport;

// Runs code in an E2B cloud sandbox (protocols.md Part 1). One sandbox per
// session, created on the first run and kept warm so variables survive
// between runs; its lifetime is extended while the analyst is active, and
// it is killed on idle timeout, restartSession(), destruction and every
// error path. Money is not handled here: the sandbox's measured seconds are
// reported by runSecondsMeasured() and keepWarmSecondsMeasured().
class E2bSandbox : public Sandbox {
    Q_OBJECT
public:
    // `network` must outlive this object (it carries the final kill).
    E2bSandbox(QNetworkAccessManager *network, E2bConfig config, QObject *parent = nullptr);
    ~E2bSandbox() override;

    QString name() const override { return QStringLiteral("e2b"); }
    void execute(const ExecutionRequest &request) override;
    void cancel() override;
    void restartSession() override;

    // The analyst is active (typing, running): keep the sandbox alive and
    // push the idle deadline back. Cheap to call often.
    void noteActivity();
    // Kills the sandbox, if any; sessionClosed() follows.
    void shutdown();

    bool hasSession() const { return m_session.has_value(); }
    QString sandboxId() const { return m_session ? m_session->id : QString(); }
    bool isRunning() const { return m_running; }
    // Kill requests sent and not yet answered (killsEnded() follows the last).
    int killsInFlight() const { return m_killsInFlight; }

Q_SIGNALS:
    void sessionStarted(const QString &sandboxId);
    // The kill request ended (killed, or already gone, or it failed: see log).
    void sessionClosed(const QString &sandboxId);
    // Every kill request sent so far has ended.
    void killsEnded();
    // Sandbox time to charge: a run (while a sandbox of ours existed, from
    // execute() or its creation to finished(), plus the whole lifetime of
    // one a lost create answer may have started) ...
    void runSecondsMeasured(double seconds);
    // ... and the warm time between runs (up to the next run, or until E2B
    // took the kill; to the lifetime's end when the kill failed).
    void keepWarmSecondsMeasured(double seconds);

private:
    struct Session {
        QString id;
        QString envdAccessToken;
        QString trafficAccessToken;
        QString domain;
        QString envdVersion;
        QString contextId;
        bool contextSuspect = false; // a run was aborted: the kernel may still be busy
        QString uploadedStamp;        // workspace copy already in the sandbox
        QDateTime lifetimeSetAt;
        qint64 lifetimeS = 0;         // the lifetime last asked for, from m_lastExtension
    };
    enum class Phase { Idle, Creating, Preparing, Uploading, Probing, Executing };

    void startRun();
    void createSession();
    void createSandbox(bool legacyEndpoint);
    void createContext();
    void extendLifetime();
    void probeContext();
    void restartContext();
    void uploadWorkspace();
    QString workspaceStamp() const;
    void sendExecute();
    void handleRequestError(const E2bError &error);
    void onStreamData();
    void onStreamFinished();
    void abortStream();
    void handleEvents(const QList<NdjsonEvent> &events);
    void failRun(const E2bError &error, bool killSandbox);
    void finishRun(ExecutionOutcome outcome);
    void killSession(const QString &why);
    void endKeepWarm();
    void noteUnseenSandbox();
    qint64 lifetimeSeconds() const;
    QNetworkRequest sandboxRequest(const QString &path, int port) const;
    QString codeToRun(QString *error) const;
    QString redacted(const QString &text) const;

    QNetworkAccessManager *m_network;
    E2bConfig m_config;
    E2bTransport *m_transport; // sandbox traffic: aborted by cancel()
    E2bTransport *m_lifecycle; // create, timeout, kill: never aborted, or a sandbox could leak
    std::optional<Session> m_session;

    // The current run.
    bool m_running = false;
    Phase m_phase = Phase::Idle;
    ExecutionRequest m_request;
    QString m_code; // what goes to /execute (the snippet, or the SQL runner)
    bool m_billable = false; // a sandbox existed during this run
    QElapsedTimer m_billClock; // since a sandbox existed during this run
    // A create whose answer was lost may have started a sandbox we cannot
    // see (nor kill): E2B bills it until its lifetime ends, and so do we.
    double m_unseenSandboxSeconds = 0;
    int m_killsInFlight = 0;
    QTimer m_probeTimer;
    bool m_probeTimedOut = false;
    QElapsedTimer m_clock;
    QTimer m_deadline;
    bool m_timedOut = false;
    bool m_cancelled = false;
    bool m_recreated = false;    // a 502 already cost this run its sandbox once
    QString m_sessionNote;       // why the session's state is gone, for the analyst
    std::optional<ExecutionError> m_error;
    QPointer<QNetworkReply> m_stream;
    NdjsonParser m_parser;
    std::optional<OutputLimiter> m_stdout;
    std::optional<OutputLimiter> m_stderr;
    bool m_sawEnd = false;

    // Between runs.
    QTimer m_idle;
    QElapsedTimer m_warmClock;
    QElapsedTimer m_lastExtension;
};

} // namespace safecell
