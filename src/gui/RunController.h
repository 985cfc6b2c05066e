#pragma once

#include "pipeline/RunReport.h"
#include "pipeline/RunWorkerConfig.h"
#include "sandbox/DataPage.h"
#include "sandbox/e2b/E2bUploads.h"

#include <QObject>

#include <memory>
#include <optional>

namespace safecell {

class KeyStore;
struct RunKeys;
class RunThread;
class ScratchFolder;
class Settings;

// The GUI's side of a run: owns the RunThread, whose worker is configured
// with the E2B key (keychain or E2B_API_KEY) once it is known. A run asked
// for before the key is read waits for it. When the key or the settings
// change (reload()), the next run uses them; a change only renews the
// session (and so drops its variables) when it needs to (needsFreshSession:
// a new E2B key does, a Cohere key or a budget limit does not), and then
// only once the window agrees when the session holds state. The worker's
// signals are re-emitted here, so a window connects once whatever thread
// is current.
class RunController : public QObject {
    Q_OBJECT
public:
    enum class Sandbox { Unknown, Local, E2b };

    RunController(Settings &settings, KeyStore &keys, QObject *parent = nullptr);
    ~RunController() override;

    void start(const RunRequest &request);
    // The analyst's shared data, for the next run (and every later one,
    // whichever worker runs it): another set restarts the local kernel at
    // that run (see LocalSandbox), never the session's key or budget.
    void setShares(const QList<SharedPath> &shares);
    const QList<SharedPath> &shares() const { return m_shares; }
    void cancel();
    // A fresh session: the kernel and its variables are dropped. Settings
    // waiting for a fresh session apply now.
    void restartSession();
    // A page of a session DataFrame for the data viewer, answered by
    // dataPageReady() from the session's sandbox (between runs, as no run).
    void requestDataPage(const DataPageRequest &request);
    bool isBusy() const { return m_busy; }
    // Where the next run goes; Unknown until the key has been read.
    Sandbox sandbox() const { return m_sandbox; }
    // Why the keychain could not be read (no Secret Service, locked), with
    // what to do; empty when it answered. Runs then go without stored keys.
    QString keychainProblem() const { return m_keychainProblem; }
    // Code ran in this session since it started: it may hold variables.
    // Variables, or files in /work (which outlive a kernel restart, not a
    // fresh session).
    bool sessionHoldsState() const { return m_sessionUsed || m_workFilesHeld; }
    // New settings wait for a fresh session (freshSessionPending()).
    bool hasPendingFreshSession() const { return m_fresh.has_value(); }
    // Where runs go once the waiting settings apply.
    Sandbox pendingSandbox() const;
    // Applies the waiting settings: a fresh session now, or when the run in flight ends.
    void applyFreshSession();
    // "Allow internet for this session" (E2B only): kept here, never in the
    // settings, so it ends when SafeCell quits. It takes effect through
    // reload(), in a fresh session, as any change of the E2B config.
    void setInternetAllowed(bool allowed) { m_allowInternet = allowed; }
    bool internetAllowed() const { return m_allowInternet; }
    // The current session's E2B sandbox may reach the internet.
    bool sessionHasInternet() const;
    // What a run in `language` would upload to E2B in this session; empty
    // for the local sandbox.
    QList<E2bUpload> plannedUploads(Language language) const;
    // The window's SQL scratch database (ScratchDatabase.h), where the
    // local sandbox's confirmed writes go; it may not exist yet. Empty when
    // its folder could not be made (the sandbox then makes its own).
    QString scratchDatabasePath() const;

public Q_SLOTS:
    // Reads the key again; the next run uses it and the current settings.
    void reload();

Q_SIGNALS:
    void stdoutReceived(const QString &text);
    void stderrReceived(const QString &text);
    void resultReceived(const safecell::RichResult &result);
    void stepChanged(safecell::RunStep step);
    void finished(const safecell::RunReport &report);
    void sandboxChanged(safecell::RunController::Sandbox sandbox);
    // The team server's password as the keychain has it (empty: none), for
    // the budget gauge's reads of the team's figures.
    void teamPasswordRead(const QString &password);
    // New settings need a fresh session and this one holds state: the
    // window asks, then calls applyFreshSession() (or leaves them waiting
    // for the next restart).
    void freshSessionPending();
    // A fresh worker took over: the session's variables are gone.
    void sessionRenewed();
    // The session's state is gone, by a fresh worker or a restart of this
    // one's session: whatever shows its variables must forget them.
    void sessionCleared();
    // The warm E2B sandbox was closed between runs, and why (RunWorker::sessionEnded).
    void sessionEnded(const QString &message);
    void dataPageReady(const safecell::DataPage &page);

private:
    void onKeys(const RunKeys &keys);
    void replaceRunner(const RunWorkerConfig &config);
    void onFinished(const RunReport &report);
    static Sandbox sandboxOf(const RunWorkerConfig &config);

    Settings &m_settings;
    KeyStore &m_keys;
    std::unique_ptr<ScratchFolder> m_scratch; // outlives every runner that uses it
    std::unique_ptr<RunThread> m_runner;
    std::optional<RunWorkerConfig> m_config; // the runner's
    std::optional<RunWorkerConfig> m_fresh;  // waiting for a fresh session
    std::optional<RunRequest> m_pending;     // asked for before the key was known
    Sandbox m_sandbox = Sandbox::Unknown;
    QString m_keychainProblem;
    quint64 m_generation = 0; // a superseded key read is ignored
    bool m_busy = false;
    bool m_reconfigureAfterRun = false;
    bool m_freshAfterRun = false;
    bool m_sessionUsed = false;
    bool m_workFilesHeld = false; // the session's /work holds files a run wrote
    bool m_allowInternet = false;
    QList<SharedPath> m_shares;
};

} // namespace safecell
