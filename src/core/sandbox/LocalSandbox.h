#pragma once

#include "sandbox/OutputLimiter.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxLimits.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>
#include <optional>

namespace safecell {

// Runs Python in bubblewrap on this machine: no keys, no network, no cost.
// Each run is a fresh `python3` reading the snippet from stdin, so
// tracebacks carry the user's own line numbers.
class LocalSandbox : public Sandbox {
    Q_OBJECT
public:
    explicit LocalSandbox(SandboxLimits limits, QObject *parent = nullptr);
    ~LocalSandbox() override;

    QString name() const override { return QStringLiteral("local"); }
    void execute(const ExecutionRequest &request) override;
    void cancel() override;
    void restartSession() override;

private:
    enum class EndReason { None, TimedOut, Cancelled };

    void finish(ExecutionOutcome outcome);
    void onProcessFinished(int exitCode, QProcess::ExitStatus status);
    void killProcessGroup();
    ExecutionError parseError() const;
    bool ensureWorkFolder(QString *error);

    SandboxLimits m_limits;
    std::unique_ptr<QTemporaryDir> m_workFolder;
    QProcess *m_process = nullptr;
    QTimer m_deadline;
    QElapsedTimer m_clock;
    EndReason m_endReason = EndReason::None;
    std::optional<OutputLimiter> m_stdout;
    std::optional<OutputLimiter> m_stderr;
    QString m_stderrTail; // the end of stderr, for the error's name and value
};

} // namespace safecell
