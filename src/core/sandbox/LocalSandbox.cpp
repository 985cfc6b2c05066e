#include "LocalSandbox.h"

#include "common/Logging.h"
#include "sandbox/Bubblewrap.h"
#include "sandbox/KernelProcess.h"
#include "sandbox/SandboxLeftovers.h"
#include "sandbox/SandboxWorkFolder.h"
#include "sandbox/ScratchDatabase.h"
#include "sandbox/SharedDataHint.h"
#include "sandbox/SharedDatabases.h"
#include "sandbox/WorkFiles.h"
#include "sandbox/WorkspaceDatabase.h"

#include <QDir>
#include <QFile>
#include <QUuid>

#include <unistd.h>

namespace safecell {

namespace {

QString signalName(int signal)
{
    switch (signal) {
    case 9:
        return QStringLiteral("SIGKILL");
    case 11:
        return QStringLiteral("SIGSEGV");
    case 24:
        return QStringLiteral("SIGXCPU: the CPU time limit was reached");
    case 25:
        return QStringLiteral("SIGXFSZ: the file size limit was reached");
    case 6:
        return QStringLiteral("SIGABRT");
    default:
        return QStringLiteral("signal %1").arg(signal);
    }
}

// Sandboxed code runs as an unprivileged uid when we are root: it must own
// what it may write.
bool handToSandboxUser(const QString &path)
{
    if (geteuid() != 0)
        return true;
    const QByteArray native = QFile::encodeName(path);
    return chown(native.constData(), kSandboxUid, kSandboxGid) == 0;
}

std::unique_ptr<QTemporaryDir> makeSandboxFolder(const QString &pattern, QString *error)
{
    auto folder = std::make_unique<QTemporaryDir>(QDir::tempPath() + pattern);
    if (!folder->isValid()) {
        *error = QStringLiteral("Could not create a folder for the sandbox: %1").arg(folder->errorString());
        return nullptr;
    }
    if (!handToSandboxUser(folder->path())) {
        *error = QStringLiteral("Could not hand a folder to the sandbox user.");
        return nullptr;
    }
    return folder;
}

} // namespace

LocalSandbox::LocalSandbox(SandboxLimits limits, QObject *parent)
    : Sandbox(parent)
    , m_limits(std::move(limits))
{
    // Never early: a coarse timer may fire 5% before the time limit.
    m_deadline.setTimerType(Qt::PreciseTimer);
    m_grace.setTimerType(Qt::PreciseTimer);
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        qCInfo(lcSandbox) << "time limit reached; interrupting the run";
        interrupt(EndReason::TimedOut);
    });
    m_grace.setSingleShot(true);
    connect(&m_grace, &QTimer::timeout, this, &LocalSandbox::onGraceOver);
    connect(&m_pages, &DataPageQueue::pageReady, this, &Sandbox::dataPageReady);
}

LocalSandbox::~LocalSandbox()
{
    // Their destructors kill the sandboxes (SIGKILL, then reap), before the
    // work folder they run in goes.
    delete m_kernel;
    delete m_sqlProcess;
}

bool LocalSandbox::prepare(QString *bwrap, QString *error)
{
    const auto found = findBubblewrap();
    if (!found) {
        *error = found.error();
        return false;
    }
    *bwrap = *found;
    if (!m_workFolder) {
        removeSandboxLeftovers(QDir::tempPath());
        auto work = SandboxWorkFolder::create(QDir::tempPath(), m_limits.workSizeMb);
        if (!work) {
            *error = work.error();
            return false;
        }
        m_workFolder = std::move(work).value();
    }
    return true;
}

void LocalSandbox::startKernel(const QString &bwrap)
{
    Q_ASSERT(!m_kernel);
    m_kernel = new KernelProcess(this);
    KernelProcess *kernel = m_kernel;
    connect(kernel, &KernelProcess::messageReceived, this,
            [this, kernel](const kernel::Message &message) { onMessage(kernel, message); });
    connect(kernel, &KernelProcess::exited, this,
            [this, kernel](int code, bool crashed, const QString &tail) { onExited(kernel, code, crashed, tail); });
    m_kernelShares = m_shares;
    m_kernelUsed = false;
    kernel->start({bwrap, m_workFolder.get(), m_limits, {}, m_shares});
}

void LocalSandbox::remountShares(const QList<SharedPath> &shares)
{
    m_shares = shares;
    if (!m_kernel || m_kernelShares == shares)
        return;
    // bwrap's mounts are fixed when the kernel starts: another set of
    // shares needs another kernel. Said with this run's outcome when the
    // old one may have held variables (/work is kept).
    const QString change = describeShareChange(m_kernelShares, shares);
    qCInfo(lcSandbox) << "shared data changed; restarting the kernel";
    m_kernel->retire();
    m_kernel = nullptr;
    // The data viewer's pages were for the old kernel's frames.
    m_pages.abandon(tr("The session was restarted for the new shared data."));
    if (m_kernelUsed && m_lostNote.isEmpty()) {
        m_lostNote = QStringLiteral("The shared data changed (%1), so the Python session was restarted to make it "
                                    "readable: the variables of earlier runs are gone.")
                         .arg(change);
    }
}

Expected<QString, QString> LocalSandbox::workspaceDatabase()
{
    if (!m_limits.workspaceDatabase.isEmpty()) {
        if (!QFileInfo(m_limits.workspaceDatabase).isFile()) {
            return unexpected(QStringLiteral("The workspace database %1 does not exist. Pick another one "
                                             "in the settings (sandbox/workspaceDatabase).")
                                  .arg(m_limits.workspaceDatabase));
        }
        return QFileInfo(m_limits.workspaceDatabase).absoluteFilePath();
    }
    if (!m_exampleFolder || !m_exampleFolder->isValid()) {
        QString error;
        m_exampleFolder = makeSandboxFolder(QStringLiteral("/safecell-workspace-%1-XXXXXX").arg(sandboxOwnerTag()),
                                            &error);
        if (!m_exampleFolder)
            return unexpected(error);
    }
    const auto path = materialiseExampleDatabase(m_exampleFolder->filePath(QStringLiteral("example.sqlite")));
    if (path && !handToSandboxUser(*path))
        return unexpected(QStringLiteral("Could not hand the example database to the sandbox user."));
    return path;
}

void LocalSandbox::startSql(const ExecutionRequest &request, const QString &bwrap)
{
    const auto database = workspaceDatabase();
    if (!database) {
        finish({ExecutionStatus::SandboxFailed, std::nullopt, database.error(), 0});
        return;
    }
    // The workspace is always read-only; a confirmed write goes to the
    // session's scratch database (ScratchDatabase.h).
    const QString scratch = scratchFolder();
    if (scratch.isEmpty()) {
        finish({ExecutionStatus::SandboxFailed, std::nullopt, m_scratchError, 0});
        return;
    }
    m_sqlProcess = new KernelProcess(this);
    KernelProcess *process = m_sqlProcess;
    connect(process, &KernelProcess::messageReceived, this,
            [this, process](const kernel::Message &message) { onMessage(process, message); });
    connect(process, &KernelProcess::exited, this,
            [this, process](int code, bool crashed, const QString &tail) { onExited(process, code, crashed, tail); });
    process->start({bwrap, m_workFolder.get(), m_limits,
                    workspaceMountArguments(*database, false) + scratchMountArguments(scratch, request.allowWrites)
                        + sqliteLogMountArguments(sharedDatabases(request.shares), request.shares),
                    request.shares});
}

QString LocalSandbox::scratchFolder()
{
    if (!m_limits.scratchFolder.isEmpty())
        return m_limits.scratchFolder; // the session's owner keeps it (the window)
    if (!m_scratch) {
        auto created = ScratchFolder::create(QDir::tempPath());
        if (!created) {
            m_scratchError = created.error();
            return {};
        }
        m_scratch = std::move(created).value();
    }
    return m_scratch->path();
}

KernelProcess *LocalSandbox::runProcess() const
{
    if (!m_run)
        return nullptr;
    return m_run->language == Language::Sql ? m_sqlProcess : m_kernel;
}

void LocalSandbox::execute(const ExecutionRequest &request)
{
    m_clock.start();
    if (m_run) {
        Q_EMIT finished({ExecutionStatus::SandboxFailed, std::nullopt,
                         QStringLiteral("A run is already in progress in this sandbox."), 0});
        return;
    }
    m_run.emplace(QUuid::createUuid().toString(QUuid::WithoutBraces), request.language, m_limits.outputCapBytes);

    QString bwrap;
    QString error;
    if (!prepare(&bwrap, &error)) {
        finish({ExecutionStatus::SandboxFailed, std::nullopt, error, 0});
        return;
    }
    kernel::Request line;
    line.runId = m_run->id;
    line.language = request.language;
    line.code = request.code;
    line.outputCapBytes = m_limits.outputCapBytes;
    line.rowCap = m_limits.resultRowCap;
    line.cpuSeconds = m_limits.cpuSeconds;
    line.listVariables = request.listVariables;
    if (request.language == Language::Sql) {
        startSql(request, bwrap);
        if (!m_sqlProcess)
            return; // finished already
        line.database = QString::fromLatin1(kSandboxDatabasePath);
        line.allowWrites = request.allowWrites;
        line.scratchDatabase = QString::fromLatin1(kSandboxScratchPath);
        int left = 0;
        line.attached = sharedDatabases(request.shares, &left);
        if (left > 0) {
            Q_EMIT stderrReceived(QStringLiteral("SafeCell: SQLite attaches at most %1 shared databases; %2 more "
                                                 "shared are not attached to this run.\n")
                                      .arg(kMaxSharedDatabases)
                                      .arg(left));
        }
        m_sqlProcess->send(kernel::executeLine(line));
        m_sqlProcess->closeInput(); // one request: the driver ends after it
    } else {
        remountShares(request.shares);
        if (!m_kernel)
            startKernel(bwrap);
        m_kernelUsed = true;
        m_pages.yieldToRun();
        m_kernel->send(kernel::executeLine(line));
    }
    qCDebug(lcSandbox) << "run" << m_run->id << "sent; time limit" << request.timeLimitMs << "ms";
    m_deadline.start(static_cast<int>(qBound(qint64(1), request.timeLimitMs, qint64(INT_MAX))));
}

void LocalSandbox::interrupt(EndReason reason)
{
    KernelProcess *process = runProcess();
    if (!process || m_run->reason != EndReason::None)
        return;
    m_run->reason = reason;
    m_deadline.stop();
    // SIGINT first (the driver raises KeyboardInterrupt in the user's code,
    // or interrupts SQLite); the kernel and its state survive that.
    process->send(kernel::interruptLine(m_run->id));
    m_grace.start(static_cast<int>(reason == EndReason::TimedOut ? m_limits.interruptGraceMs : m_limits.cancelGraceMs));
}

void LocalSandbox::onGraceOver()
{
    KernelProcess *process = runProcess();
    if (!process)
        return;
    qCInfo(lcSandbox) << "the run ignored the interrupt; killing its sandbox";
    m_run->killed = true;
    process->kill(); // onExited() finishes the run
}

void LocalSandbox::cancel()
{
    if (m_run)
        interrupt(EndReason::Cancelled);
}

void LocalSandbox::restartSession()
{
    m_pages.abandon(tr("The session was restarted."));
    if (m_run) {
        ExecutionOutcome outcome;
        outcome.status = ExecutionStatus::Cancelled;
        outcome.sessionLost = m_run->language == Language::Python;
        outcome.message = QStringLiteral("The run was stopped because the session was restarted.");
        if (m_sqlProcess) {
            m_sqlProcess->retire();
            m_sqlProcess = nullptr;
        }
        if (m_kernel) {
            m_kernel->retire();
            m_kernel = nullptr;
        }
        finish(std::move(outcome));
    }
    if (m_kernel) {
        m_kernel->retire();
        m_kernel = nullptr;
    }
    m_lostNote.clear();
    QString bwrap;
    QString error;
    if (prepare(&bwrap, &error))
        startKernel(bwrap); // warm for the next run
    qCInfo(lcSandbox) << "session restarted";
}

void LocalSandbox::requestDataPage(const DataPageRequest &request)
{
    m_pages.enqueue(request);
    if (!m_run)
        m_pages.sendNext(m_kernel);
}

void LocalSandbox::onMessage(KernelProcess *process, const kernel::Message &message)
{
    if (m_pages.take(process, message)) {
        if (!m_run)
            m_pages.sendNext(m_kernel);
        return;
    }
    if (!m_run || process != runProcess())
        return; // output of a background process between runs
    switch (message.type) {
    case kernel::MessageType::Stdout:
        if (const QString text = m_run->out.feed(message.text.toUtf8()); !text.isEmpty())
            Q_EMIT stdoutReceived(text);
        break;
    case kernel::MessageType::Stderr:
        if (const QString text = m_run->err.feed(message.text.toUtf8()); !text.isEmpty())
            Q_EMIT stderrReceived(text);
        break;
    case kernel::MessageType::Result:
        Q_EMIT resultReceived(*message.result);
        break;
    case kernel::MessageType::Error:
        m_run->error = message.error;
        break;
    case kernel::MessageType::Variables:
        Q_EMIT variablesListed(*message.variables);
        break;
    case kernel::MessageType::End:
        if (message.runId == m_run->id)
            completeRun();
        break;
    case kernel::MessageType::DataPage: // of a page no longer in flight
    case kernel::MessageType::Other:
        break;
    }
}

void LocalSandbox::completeRun()
{
    ExecutionOutcome outcome;
    outcome.error = m_run->error;
    if (m_run->reason != EndReason::None && m_run->error) {
        const bool timedOut = m_run->reason == EndReason::TimedOut;
        outcome.status = timedOut ? ExecutionStatus::TimedOut : ExecutionStatus::Cancelled;
        outcome.message = timedOut ? QStringLiteral(
                              "The run was interrupted at its time limit; the session's variables are kept.")
                                   : QStringLiteral("The run was stopped; the session's variables are kept.");
    } else {
        outcome.status = m_run->error ? ExecutionStatus::Raised : ExecutionStatus::Completed;
    }
    if (!m_lostNote.isEmpty() && m_run->language == Language::Python) {
        outcome.sessionLost = true;
        outcome.message = m_lostNote;
        m_lostNote.clear();
    }
    if (outcome.error && m_run->language == Language::Python) {
        if (const QString hint = sharedPathHint(*outcome.error, m_shares); !hint.isEmpty())
            outcome.message = outcome.message.isEmpty() ? hint : outcome.message + QLatin1Char(' ') + hint;
    }
    finish(std::move(outcome));
}

ExecutionOutcome LocalSandbox::diedOutcome(int exitCode, bool crashed, const QString &stderrTail) const
{
    ExecutionOutcome outcome;
    const bool python = m_run->language == Language::Python;
    outcome.sessionLost = python;
    const QString lost = python ? QStringLiteral(" The Python kernel was restarted: the session's variables are gone.")
                                : QString();
    if (m_run->killed) {
        const bool timedOut = m_run->reason == EndReason::TimedOut;
        outcome.status = timedOut ? ExecutionStatus::TimedOut : ExecutionStatus::Cancelled;
        outcome.message = (timedOut ? QStringLiteral(
                               "The run did not stop when interrupted at its time limit, so it was killed.")
                                    : QStringLiteral("The run did not stop when interrupted, so it was killed."))
                          + lost;
        return outcome;
    }
    if (exitCode == KernelProcess::kTamperedExitCode) {
        outcome.status = ExecutionStatus::Raised;
        outcome.error = ExecutionError{QStringLiteral("KernelTampered"),
                                       QStringLiteral("the snippet wrote into the kernel's private channel"),
                                       QString()};
        outcome.message = QStringLiteral("The snippet wrote into the kernel's private channel, so the kernel was "
                                         "stopped.")
                          + lost;
        return outcome;
    }
    if (stderrTail.startsWith(QLatin1String("bwrap:")) || exitCode == -1) {
        outcome.status = ExecutionStatus::SandboxFailed;
        outcome.sessionLost = false;
        outcome.message = explainBubblewrapFailure(stderrTail);
        if (outcome.message.isEmpty())
            outcome.message = QStringLiteral("The sandbox failed: %1").arg(stderrTail.trimmed());
        return outcome;
    }
    const QString how = exitCode > 128 ? QStringLiteral("was killed (%1)").arg(signalName(exitCode - 128))
                        : crashed      ? QStringLiteral("crashed")
                                       : QStringLiteral("exited with code %1").arg(exitCode);
    outcome.status = ExecutionStatus::Raised;
    outcome.error = ExecutionError{QStringLiteral("KernelDied"),
                                   QStringLiteral("the sandboxed process %1, for example at a resource limit").arg(how),
                                   stderrTail.trimmed().right(2000)};
    outcome.message = QStringLiteral("The sandboxed process %1.").arg(how) + lost;
    return outcome;
}

void LocalSandbox::onExited(KernelProcess *process, int exitCode, bool crashed, const QString &stderrTail)
{
    const bool wasRunning = m_run && process == runProcess();
    const bool isKernel = process == m_kernel;
    if (isKernel) {
        m_kernel = nullptr;
        m_pages.abandon(tr("The Python session ended."));
    } else if (process == m_sqlProcess)
        m_sqlProcess = nullptr;
    process->retire();

    if (!wasRunning) {
        if (isKernel) {
            qCWarning(lcSandbox) << "the kernel stopped between runs, code" << exitCode;
            m_lostNote = QStringLiteral("The Python kernel had stopped since the last run; this run started a "
                                        "fresh session without the earlier variables.");
        }
        return;
    }
    ExecutionOutcome outcome = diedOutcome(exitCode, crashed, stderrTail);
    const bool restart = isKernel && outcome.status != ExecutionStatus::SandboxFailed;
    finish(std::move(outcome));
    QString bwrap;
    QString error;
    if (restart && !m_kernel && !m_run && prepare(&bwrap, &error))
        startKernel(bwrap); // a fresh session, warm for the next run
}

void LocalSandbox::finish(ExecutionOutcome outcome)
{
    outcome.durationMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    m_deadline.stop();
    m_grace.stop();
    m_run.reset();
    if (m_workFolder) {
        if (auto listing = workfiles::list(m_workFolder->hostView())) {
            listing->maxFileBytes = m_limits.workSizeMb << 20;
            Q_EMIT workFilesListed(*listing);
        } else
            qCWarning(lcSandbox) << listing.error();
    }
    qCInfo(lcSandbox) << "run ended:" << static_cast<int>(outcome.status) << "after" << outcome.durationMs << "ms"
                      << (outcome.sessionLost ? "(session lost)" : "");
    Q_EMIT finished(outcome);
    if (!m_run)
        m_pages.sendNext(m_kernel); // the pages that waited for the run
}

} // namespace safecell
