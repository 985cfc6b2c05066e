#pragma once

#include "common/Expected.h"
#include "sandbox/DataPageQueue.h"
#include "sandbox/KernelProtocol.h"
#include "sandbox/OutputLimiter.h"
#include "sandbox/Sandbox.h"
#include "sandbox/SandboxLimits.h"
#include "sandbox/SharedData.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>
#include <optional>

namespace safecell {

class KernelProcess;
class SandboxWorkFolder;
class ScratchFolder;

// Runs code in bubblewrap on this machine: no keys, no network, no cost.
//
// Python runs in one persistent kernel per session (a bwrap'd python3
// running resources/kernel/driver.py), so variables survive between runs
// like in a notebook. SQL runs in a one-shot sandbox that sees only the
// workspace database, always read-only, and the session's scratch
// database, writable when the run's writes were confirmed.
//
// A run that outlives its time limit, or is stopped, is interrupted with
// SIGINT first: the session keeps its state. If it is still running after
// the grace period, the kernel is killed and a fresh one started, and the
// outcome says the session was lost. Between runs nothing of a snippet
// runs: the kernel's driver stops the snippet's process and kills any
// other at the end of each run.
class LocalSandbox : public Sandbox {
    Q_OBJECT
public:
    explicit LocalSandbox(SandboxLimits limits, QObject *parent = nullptr);
    ~LocalSandbox() override;

    QString name() const override { return QStringLiteral("local"); }
    void execute(const ExecutionRequest &request) override;
    void cancel() override;
    void restartSession() override;
    void requestDataPage(const DataPageRequest &request) override;

private:
    enum class EndReason { None, TimedOut, Cancelled };
    struct Run {
        Run(QString runId, Language runLanguage, qint64 outputCap)
            : id(std::move(runId))
            , language(runLanguage)
            , out(outputCap)
            , err(outputCap)
        {
        }
        QString id;
        Language language = Language::Python;
        EndReason reason = EndReason::None;
        std::optional<ExecutionError> error;
        bool killed = false; // did not stop when interrupted
        OutputLimiter out;
        OutputLimiter err;
    };

    bool prepare(QString *bwrap, QString *error);
    void startKernel(const QString &bwrap);
    void remountShares(const QList<SharedPath> &shares);
    void startSql(const ExecutionRequest &request, const QString &bwrap);
    Expected<QString, QString> workspaceDatabase();
    QString scratchFolder(); // empty on failure, see m_scratchError
    KernelProcess *runProcess() const;
    void interrupt(EndReason reason);
    void onGraceOver();
    void onMessage(KernelProcess *process, const kernel::Message &message);
    void onExited(KernelProcess *process, int exitCode, bool crashed, const QString &stderrTail);
    void completeRun();
    ExecutionOutcome diedOutcome(int exitCode, bool crashed, const QString &stderrTail) const;
    void finish(ExecutionOutcome outcome);

    SandboxLimits m_limits;
    QString m_bwrap;
    std::unique_ptr<SandboxWorkFolder> m_workFolder; // /work, survives restarts
    std::unique_ptr<QTemporaryDir> m_exampleFolder;  // the example database
    std::unique_ptr<ScratchFolder> m_scratch;        // when the limits name none
    QString m_scratchError;
    KernelProcess *m_kernel = nullptr;     // the session's Python kernel
    KernelProcess *m_sqlProcess = nullptr; // the current SQL run's sandbox
    std::optional<Run> m_run;
    QString m_lostNote;               // the kernel died between runs: said with the next outcome
    QList<SharedPath> m_shares;       // the latest run's shared data: what a new kernel mounts
    QList<SharedPath> m_kernelShares; // what m_kernel mounted at its start
    bool m_kernelUsed = false;        // code ran in m_kernel: it may hold variables
    DataPageQueue m_pages;            // the data viewer's, sent between runs
    QTimer m_deadline;
    QTimer m_grace;
    QElapsedTimer m_clock;
};

} // namespace safecell
