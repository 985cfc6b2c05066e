#pragma once

#include "sandbox/OutputLimiter.h"
#include "sandbox/Sandbox.h"
#include "sandbox/e2b/E2bConfig.h"
#include "sandbox/e2b/E2bError.h"
#include "sandbox/e2b/E2bLifetimeMeter.h"
#include "sandbox/e2b/E2bWorkFiles.h"
#include "sandbox/e2b/NdjsonParser.h"

#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QPointer>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace safecell {

class E2bLifetime;
class E2bTransport;

// Runs code in an E2B cloud sandbox (protocols.md Part 1). One sandbox per
// session, created on the first run and kept warm so variables survive
// between runs: its lifetime covers the run, then the idle wait in steps
// (keepWarmStepMs), and it is killed on idle timeout, restartSession(),
// destruction and every error path. Money is not handled here: every
// lifetime is first covered by the meter (setMeter()), and a sandbox whose
// next step cannot be covered is let go.
class E2bSandbox : public Sandbox {
    Q_OBJECT
public:
    enum class WarmEnd {
        IdleTimeout, // no run for the idle timeout
        Budget,      // the budget cannot cover keeping it longer
    };
    Q_ENUM(WarmEnd)

    // `network` must outlive this object (it carries the final kill).
    E2bSandbox(QNetworkAccessManager *network, E2bConfig config, QObject *parent = nullptr);
    ~E2bSandbox() override;

    QString name() const override { return QStringLiteral("e2b"); }
    void execute(const ExecutionRequest &request) override;
    void cancel() override;
    void restartSession() override;
    // Between runs, one page at a time in the session's context (a run
    // asked meanwhile starts when the page in flight ends); a sandbox
    // that has ended answers with an error.
    void requestDataPage(const DataPageRequest &request) override;

    // The analyst is active (typing, running): keep the sandbox alive and
    // push the idle deadline back. Cheap to call often.
    void noteActivity();
    // Kills the sandbox, if any; sessionClosed() follows.
    void shutdown();
    // Covers every lifetime before it is asked; nullptr (the default): none
    // is refused. Must outlive this object.
    void setMeter(E2bLifetimeMeter *meter);

    bool hasSession() const { return m_session.has_value(); }
    QString sandboxId() const { return m_session ? m_session->id : QString(); }
    bool isRunning() const { return m_running; }
    // Kill requests sent and not yet answered (killsEnded() follows the last).
    int killsInFlight() const { return m_killsInFlight; }

Q_SIGNALS:
    // The kill request ended (killed, or already gone, or it failed: see log).
    void sessionClosed(const QString &sandboxId);
    // Every kill request sent so far has ended.
    void killsEnded();
    // The warm sandbox was let go between runs, not at anyone's request.
    void warmSessionEnded(safecell::E2bSandbox::WarmEnd why);

private:
    struct Session {
        QString id;
        QString envdAccessToken;
        QString trafficAccessToken;
        QString domain;
        QString envdVersion;
        QString contextId;
        bool contextSuspect = false; // a run was aborted: the kernel may still be busy
        QString uploadedStamp;       // workspace copy already in the sandbox
        quint64 life = 0;            // its billable life (E2bLifetime)
    };
    // Listing: the run's code has ended; SafeCell's variable listing runs
    // in its context (E2bVariables.h) before finished().
    // Fetching: the files it lists are copied to this machine (E2bWorkFiles.h).
    enum class Phase { Idle, Creating, Preparing, Uploading, Probing, Executing, Listing, Fetching };

    void startRun();
    bool resolveDatabase();
    bool needsUpload() const;
    bool needsUploadConsent() const;
    void refuseUpload();
    void createSession();
    void createSandbox(quint64 life, bool legacyEndpoint);
    void createContext();
    bool extendForRun();
    void keepWarm();
    void refuseRun();
    void probeContext();
    void restartContext();
    void uploadWorkspace();
    void sendExecute();
    void handleRequestError(const E2bError &error);
    void onStreamData();
    void onStreamFinished();
    void abortStream();
    void handleEvents(const QList<NdjsonEvent> &events);
    void failRun(const E2bError &error, bool killSandbox);
    void finishRun(ExecutionOutcome outcome);
    // A Python run that ended in its sandbox: lists the variables, then finishRun().
    void listVariablesThenFinish(ExecutionOutcome outcome);
    void onListingFinished(QNetworkReply *reply);
    // Copies the files the listing named to m_mirror, one at a time, then
    // lists the mirror (workFilesListed()) and finishes the run.
    void fetchWorkFiles();
    void fetchNextWorkFile();
    void onWorkFileFetched();
    void finishFetching();
    void killSession(const QString &why);
    void letGo(WarmEnd why);
    qint64 runLifetimeSeconds() const;
    QNetworkRequest sandboxRequest(const QString &path, int port) const;
    // sandboxRequest() with the envd access token, when there is one: for
    // /execute and envd's /files, never /contexts (protocols.md 1.3).
    QNetworkRequest tokenRequest(const QString &path, int port) const;
    QString redacted(const QString &text) const;
    // The table viewer's pages (E2bDataPages.cpp).
    void sendNextPage();
    void onPageData();
    void onPageFinished();
    void abandonPages(const QString &why);

    QNetworkAccessManager *m_network;
    E2bConfig m_config;
    E2bTransport *m_transport; // sandbox traffic: aborted by cancel()
    E2bTransport *m_lifecycle; // create, timeout, kill: never aborted, or a sandbox could leak
    E2bLifetime *m_lifetime;   // every lifetime asked, and what it may cost
    std::optional<Session> m_session;

    // The current run.
    bool m_running = false;
    Phase m_phase = Phase::Idle;
    ExecutionRequest m_request;
    QString m_code; // what goes to /execute (the snippet, or the SQL runner)
    int m_killsInFlight = 0;
    QTimer m_probeTimer;
    bool m_probeTimedOut = false;
    QElapsedTimer m_clock;
    QTimer m_deadline;
    bool m_timedOut = false;
    bool m_cancelled = false;
    bool m_recreated = false; // a 502 already cost this run its sandbox once
    QString m_sessionNote;    // why the session's state is gone, for the analyst
    QStringList m_uploaded;   // local files this run sent to E2B
    // The SQLite file SQL runs against: the analyst's workspace database,
    // or the bundled example built in m_exampleFolder, as the local sandbox
    // does. Only the analyst's own needs consent to leave the machine.
    QString m_database;
    bool m_databaseIsExample = false;
    std::unique_ptr<QTemporaryDir> m_exampleFolder;
    std::optional<ExecutionError> m_error;
    QPointer<QNetworkReply> m_stream;
    NdjsonParser m_parser;
    std::optional<OutputLimiter> m_stdout;
    std::optional<OutputLimiter> m_stderr;
    bool m_sawEnd = false;
    std::optional<ExecutionOutcome> m_ranOutcome; // Listing: how the run's code ended
    std::optional<RemoteWorkFiles> m_remoteFiles; // Listing: the session's files, as listed
    std::unique_ptr<E2bWorkMirror> m_mirror;      // what runs wrote, copied here
    QList<WorkFile> m_toFetch;
    QPointer<QNetworkReply> m_fetch;
    QByteArray m_fetched;
    bool m_fetchOversize = false;

    // The table viewer's pages.
    struct PageInFlight {
        DataPageRequest request;
        QPointer<QNetworkReply> reply;
        NdjsonParser parser;
        std::optional<DataPage> answer;
        bool sawEnd = false;
        bool timedOut = false;
    };
    QList<DataPageRequest> m_pagesWaiting;
    std::optional<PageInFlight> m_page;
    QTimer m_pageDeadline;
    bool m_runAfterPage = false; // execute() waits for the page in flight
    quint64 m_generation = 0;    // runs begun: a page after a run drops the pager's cache

    // Between runs.
    QTimer m_idle;     // the idle timeout: the warm sandbox is killed
    QTimer m_warmStep; // the next keep-warm step is due
};

} // namespace safecell
