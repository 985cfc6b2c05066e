#pragma once

#include "pipeline/RunReport.h"
#include "pipeline/RunWorkerConfig.h"

#include <QObject>

#include <memory>
#include <optional>

namespace safecell {

class KeyStore;
struct RunKeys;
class RunThread;
class Settings;

// The GUI's side of a run: owns the RunThread, whose worker is configured
// with the E2B key (keychain or E2B_API_KEY) once it is known. A run asked
// for before the key is read waits for it. When the key or the settings
// change (reload()), the next run uses them: the RunThread is recreated as
// soon as no run is in flight. The worker's signals are re-emitted here, so
// a window connects once whatever thread is current.
class RunController : public QObject {
    Q_OBJECT
public:
    enum class Sandbox { Unknown, Local, E2b };

    RunController(Settings &settings, KeyStore &keys, QObject *parent = nullptr);
    ~RunController() override;

    void start(const RunRequest &request);
    void cancel();
    void restartSession();
    bool isBusy() const { return m_busy; }
    // Where the next run goes; Unknown until the key has been read.
    Sandbox sandbox() const { return m_sandbox; }
    // Why the keychain could not be read (no Secret Service, locked), with
    // what to do; empty when it answered. Runs then go without stored keys.
    QString keychainProblem() const { return m_keychainProblem; }

public Q_SLOTS:
    // Reads the key again; the next run uses it and the current settings.
    void reload();

Q_SIGNALS:
    void stdoutReceived(const QString &text);
    void stderrReceived(const QString &text);
    void resultReceived(const safecell::RichResult &result);
    void stepChanged(safecell::RunStep step);
    void finished(const safecell::RunReport &report);
    // Where runs go, or whether the keychain could be read, changed.
    void sandboxChanged(safecell::RunController::Sandbox sandbox);
    // New settings or key took effect: a fresh worker, so the session's variables are gone.
    void sessionRenewed();
    // The warm E2B sandbox was closed between runs, and why (RunWorker::sessionEnded).
    void sessionEnded(const QString &message);

private:
    void onKeys(const RunKeys &keys);
    void replaceRunner();
    void onFinished(const RunReport &report);

    Settings &m_settings;
    KeyStore &m_keys;
    std::unique_ptr<RunThread> m_runner;
    std::optional<RunWorkerConfig> m_nextConfig; // waiting for the current run to end
    std::optional<RunRequest> m_pending;         // asked for before the key was known
    Sandbox m_sandbox = Sandbox::Unknown;
    QString m_keychainProblem;
    quint64 m_generation = 0; // a superseded key read is ignored
    bool m_busy = false;
};

} // namespace safecell
