#include "KernelProcess.h"
#include "common/DataPaths.h"

#include "common/Logging.h"
#include "sandbox/Bubblewrap.h"
#include "sandbox/SandboxChild.h"
#include "sandbox/SandboxWorkFolder.h"

#include <QFile>
#include <QStandardPaths>

#include <csignal>

namespace safecell {

namespace {
constexpr qsizetype kStderrTailChars = 8192;
// Runs the driver (passed as the next argument; the worker's source
// follows) under its own file name, which the worker drops from the user's
// tracebacks.
constexpr char kBootstrap[] = "import sys; exec(compile(sys.argv.pop(1), '<safecell-kernel>', 'exec'))";
} // namespace

KernelProcess::KernelProcess(QObject *parent)
    : QObject(parent)
{
}

KernelProcess::~KernelProcess()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        kill();
        // Killed with SIGKILL: this returns as soon as the process is reaped.
        m_process->waitForFinished(1000);
    }
}

namespace {
QString resourceText(const QString &name)
{
    QFile file(dataFile(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}
} // namespace

QString KernelProcess::driverSource()
{
    return resourceText(QStringLiteral("kernel/driver.py"));
}

QString KernelProcess::workerSource()
{
    // The variable listing is shared with E2B (E2bVariables.h), so it is a
    // file of its own, put first; so is the data viewer's paging.
    return resourceText(QStringLiteral("kernel/variables.py")) + QLatin1Char('\n')
           + resourceText(QStringLiteral("kernel/dataview.py")) + QLatin1Char('\n')
           + resourceText(QStringLiteral("kernel/worker.py"));
}

void KernelProcess::start(const Setup &setup)
{
    Q_ASSERT(!m_process);
    Q_ASSERT(setup.work);
    MemoryBound bound = memoryBoundFor(setup.limits);
    if (bound == MemoryBound::CgroupV1 || bound == MemoryBound::CgroupV2) {
        auto cgroup = SandboxCgroup::create(memoryBoundPlan(), setup.limits);
        if (cgroup) {
            m_cgroup = std::move(cgroup).value();
        } else {
            // Still bounded, by the fallback; said in the log.
            qCWarning(lcSandbox) << "no cgroup for this sandbox, using process limits:" << cgroup.error();
            bound = MemoryBound::ProcessLimits;
        }
    }
    QProcessEnvironment environment; // nothing of ours leaks in
    QStringList prefix;
    if (bound == MemoryBound::SystemdScope) {
        prefix = systemdScopePrefix(QStandardPaths::findExecutable(QStringLiteral("systemd-run")), setup.limits);
        // systemd-run finds the user's manager through these; bwrap clears
        // the environment for the sandbox.
        const QProcessEnvironment ours = QProcessEnvironment::systemEnvironment();
        for (const QString &name : {QStringLiteral("XDG_RUNTIME_DIR"), QStringLiteral("DBUS_SESSION_BUS_ADDRESS")}) {
            if (ours.contains(name))
                environment.insert(name, ours.value(name));
        }
    }
    prefix << setup.work->enterPrefix();
    const BubblewrapCommand command = bubblewrapCommand({setup.bwrap, setup.work->path(), prefix, bound}, setup.limits,
                                                        {setup.limits.python, QStringLiteral("-u"),
                                                         QStringLiteral("-c"), QString::fromLatin1(kBootstrap),
                                                         driverSource(), workerSource()},
                                                        setup.extraBubblewrapArguments, setup.shares);

    m_process = new QProcess(this);
    m_process->setProgram(command.program);
    m_process->setArguments(command.arguments);
    m_process->setProcessEnvironment(environment);
    const SandboxChildSetup child = sandboxChildSetup(setup.limits, bound, m_cgroup.get(), setup.work);
    m_process->setChildProcessModifier([child] { applySandboxChildSetup(child); });

    connect(m_process, &QProcess::readyReadStandardOutput, this, &KernelProcess::readMessages);
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        m_stderrTail = QString(m_stderrTail + QString::fromUtf8(m_process->readAllStandardError()))
                           .right(kStderrTailChars);
    });
    connect(m_process, &QProcess::finished, this, &KernelProcess::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || m_exited)
            return;
        m_exited = true;
        Q_EMIT exited(-1, true, QStringLiteral("The sandbox could not start: %1").arg(m_process->errorString()));
    });
    qCDebug(lcSandbox) << "starting a kernel";
    m_process->start(QIODevice::ReadWrite);
}

void KernelProcess::send(const QByteArray &line)
{
    if (m_process && m_process->state() != QProcess::NotRunning)
        m_process->write(line);
}

void KernelProcess::closeInput()
{
    if (m_process)
        m_process->closeWriteChannel();
}

void KernelProcess::kill()
{
    if (!m_process || m_process->processId() <= 0)
        return;
    // bwrap leads its own process group; --die-with-parent and the pid
    // namespace take everything the snippet started down with it, and the
    // cgroup anything that got out of both.
    ::kill(-static_cast<pid_t>(m_process->processId()), SIGKILL);
    if (m_cgroup)
        m_cgroup->killAll();
}

void KernelProcess::retire()
{
    disconnect(this, nullptr, nullptr, nullptr);
    if (!m_process || m_process->state() == QProcess::NotRunning || m_exited) {
        deleteLater();
        return;
    }
    m_process->disconnect(this);
    connect(m_process, &QProcess::finished, this, &QObject::deleteLater);
    connect(m_process, &QProcess::errorOccurred, this, &QObject::deleteLater);
    kill();
}

void KernelProcess::readMessages()
{
    m_buffer += m_process->readAllStandardOutput();
    qsizetype start = 0;
    for (;;) {
        const qsizetype end = m_buffer.indexOf('\n', start);
        if (end < 0)
            break;
        const QByteArray line = m_buffer.mid(start, end - start);
        start = end + 1;
        if (line.isEmpty())
            continue;
        if (const auto message = kernel::parseLine(line)) {
            Q_EMIT messageReceived(*message);
        } else {
            qCWarning(lcSandbox) << "ignoring a line the kernel driver should not have sent";
        }
    }
    m_buffer.remove(0, start);
    if (m_buffer.size() > kMaxLineBytes) {
        qCWarning(lcSandbox) << "the kernel sent an oversized line; killing it";
        m_buffer.clear();
        m_stderrTail += QStringLiteral("\nSafeCell: the kernel broke the protocol (an oversized message).");
        kill();
    }
}

void KernelProcess::onFinished(int exitCode, QProcess::ExitStatus status)
{
    readMessages();
    m_stderrTail = QString(m_stderrTail + QString::fromUtf8(m_process->readAllStandardError())).right(kStderrTailChars);
    if (m_exited)
        return;
    m_exited = true;
    qCDebug(lcSandbox) << "kernel exited" << exitCode << status;
    Q_EMIT exited(exitCode, status == QProcess::CrashExit, m_stderrTail);
}

} // namespace safecell
