#pragma once

#include "sandbox/KernelProtocol.h"
#include "sandbox/SandboxCgroup.h"
#include "sandbox/SandboxLimits.h"
#include "sandbox/SharedData.h"

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

namespace safecell {

class SandboxWorkFolder;

// One bubblewrap-isolated python3 running the kernel driver
// (resources/kernel/driver.py, which runs the snippets in a worker process,
// resources/kernel/worker.py) and talking JSON lines with it, in a cgroup of
// its own where one can be had. It parses what the driver says and reports
// its end; what a run means is the LocalSandbox's business.
class KernelProcess : public QObject {
    Q_OBJECT
public:
    struct Setup {
        QString bwrap;
        const SandboxWorkFolder *work = nullptr; // mounted read-write at /work; outlives the process
        SandboxLimits limits;
        QStringList extraBubblewrapArguments; // more mounts (the SQL workspace)
        QList<SharedPath> shares = {};        // at /data/<name>, read-only
    };

    // A single line from the driver longer than this breaks the protocol
    // (the driver caps its own frames far below it): the kernel is killed.
    static constexpr qsizetype kMaxLineBytes = 64 << 20;

    explicit KernelProcess(QObject *parent = nullptr);
    ~KernelProcess() override;

    // The driver's and the worker's sources, from the resources.
    static QString driverSource();
    static QString workerSource();

    // The driver's exit code when the snippet wrote into the kernel's
    // private channel (see driver.py).
    static constexpr int kTamperedExitCode = 86;

    void start(const Setup &setup);
    void send(const QByteArray &line);
    void closeInput();
    // SIGKILL to the whole sandbox (its process group and its cgroup);
    // exited() follows.
    void kill();
    // Kills it and frees it once it is gone, without any more signals.
    void retire();

Q_SIGNALS:
    void messageReceived(const safecell::kernel::Message &message);
    // The process is gone (or never started). stderrTail holds what bwrap
    // or python said on the original stderr (the driver moves the user's
    // stderr into messages), for explaining a failure.
    void exited(int exitCode, bool crashed, const QString &stderrTail);

private:
    void readMessages();
    void onFinished(int exitCode, QProcess::ExitStatus status);

    QProcess *m_process = nullptr;
    std::unique_ptr<SandboxCgroup> m_cgroup; // removed after the destructor has reaped the process
    QByteArray m_buffer;
    QString m_stderrTail;
    bool m_exited = false;
};

} // namespace safecell
