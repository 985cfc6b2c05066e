#include "LocalSandbox.h"

#include "common/Logging.h"
#include "sandbox/Bubblewrap.h"

#include <QDir>
#include <QRegularExpression>

#include <csignal>
#include <unistd.h>

namespace safecell {

namespace {
constexpr qsizetype kStderrTailChars = 8192;
}

LocalSandbox::LocalSandbox(SandboxLimits limits, QObject *parent)
    : Sandbox(parent)
    , m_limits(std::move(limits))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        qCInfo(lcSandbox) << "time limit reached; killing the run";
        m_endReason = EndReason::TimedOut;
        killProcessGroup();
    });
}

LocalSandbox::~LocalSandbox()
{
    if (m_process) {
        m_process->disconnect(this);
        killProcessGroup();
        m_process->waitForFinished(1000);
    }
}

bool LocalSandbox::ensureWorkFolder(QString *error)
{
    if (m_workFolder && m_workFolder->isValid())
        return true;
    m_workFolder = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/safecell-work-XXXXXX"));
    if (!m_workFolder->isValid()) {
        *error = QStringLiteral("Could not create the sandbox's work folder: %1")
                     .arg(m_workFolder->errorString());
        return false;
    }
    if (geteuid() == 0) {
        // Sandboxed code runs as an unprivileged uid; it must own its folder.
        const QByteArray path = QFile::encodeName(m_workFolder->path());
        if (chown(path.constData(), kSandboxUid, kSandboxGid) != 0) {
            *error = QStringLiteral("Could not hand the work folder to the sandbox user.");
            return false;
        }
    }
    return true;
}

void LocalSandbox::execute(const ExecutionRequest &request)
{
    Q_ASSERT(!m_process);
    m_endReason = EndReason::None;
    m_stderrTail.clear();
    m_clock.start();

    if (request.language != Language::Python) {
        finish({ExecutionStatus::SandboxFailed, std::nullopt,
                QStringLiteral("SQL is not supported by the local sandbox yet."), 0});
        return;
    }
    const auto bwrap = findBubblewrap();
    if (!bwrap) {
        finish({ExecutionStatus::SandboxFailed, std::nullopt, bwrap.error(), 0});
        return;
    }
    QString error;
    if (!ensureWorkFolder(&error)) {
        finish({ExecutionStatus::SandboxFailed, std::nullopt, error, 0});
        return;
    }

    const BubblewrapCommand command = bubblewrapCommand(
        {*bwrap, m_workFolder->path()}, m_limits,
        {m_limits.python, QStringLiteral("-u"), QStringLiteral("-")});

    m_stdout.emplace(m_limits.outputCapBytes);
    m_stderr.emplace(m_limits.outputCapBytes);
    m_process = new QProcess(this);
    m_process->setProgram(command.program);
    m_process->setArguments(command.arguments);
    m_process->setProcessEnvironment(QProcessEnvironment()); // nothing of ours leaks in
    const SandboxLimits limits = m_limits;
    m_process->setChildProcessModifier([limits] { applySandboxChildLimits(limits); });

    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] {
        const QString text = m_stdout->feed(m_process->readAllStandardOutput());
        if (!text.isEmpty())
            Q_EMIT stdoutReceived(text);
    });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        const QString text = m_stderr->feed(m_process->readAllStandardError());
        if (text.isEmpty())
            return;
        m_stderrTail = QString(m_stderrTail + text).right(kStderrTailChars);
        Q_EMIT stderrReceived(text);
    });
    connect(m_process, &QProcess::finished, this, &LocalSandbox::onProcessFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError processError) {
        if (processError != QProcess::FailedToStart)
            return;
        finish({ExecutionStatus::SandboxFailed, std::nullopt,
                QStringLiteral("The sandbox could not start: %1").arg(m_process->errorString()), 0});
    });

    qCDebug(lcSandbox) << "starting" << command.program << "time limit" << request.timeLimitMs << "ms";
    m_process->start(QIODevice::ReadWrite);
    m_process->write(request.code.toUtf8());
    m_process->closeWriteChannel();
    m_deadline.start(static_cast<int>(qMin<qint64>(request.timeLimitMs, INT_MAX)));
}

void LocalSandbox::cancel()
{
    if (!m_process)
        return;
    m_endReason = EndReason::Cancelled;
    killProcessGroup();
}

void LocalSandbox::restartSession()
{
    // Each run is its own process; a fresh work folder is a fresh session.
    cancel();
    if (!m_process)
        m_workFolder.reset();
}

void LocalSandbox::killProcessGroup()
{
    if (!m_process || m_process->processId() <= 0)
        return;
    // bwrap leads its own process group; --die-with-parent and the pid
    // namespace take everything the snippet started down with it.
    ::kill(-static_cast<pid_t>(m_process->processId()), SIGKILL);
}

ExecutionError LocalSandbox::parseError() const
{
    // Python's last stderr line names the exception: "NameError: name 'x' ...".
    static const QRegularExpression lastLine(
        QStringLiteral("(?:^|\\n)([A-Za-z_][\\w.]*)(?:: ([^\\n]*))?\\n?$"));
    ExecutionError error;
    error.traceback = m_stderrTail.trimmed();
    const auto match = lastLine.match(m_stderrTail);
    if (match.hasMatch()) {
        error.name = match.captured(1);
        error.value = match.captured(2);
    } else {
        error.name = QStringLiteral("Error");
    }
    return error;
}

void LocalSandbox::onProcessFinished(int exitCode, QProcess::ExitStatus status)
{
    m_deadline.stop();
    // Drain what is left before deciding.
    if (const QString out = m_stdout->feed(m_process->readAllStandardOutput()); !out.isEmpty())
        Q_EMIT stdoutReceived(out);
    if (const QString err = m_stderr->feed(m_process->readAllStandardError()); !err.isEmpty()) {
        m_stderrTail = QString(m_stderrTail + err).right(kStderrTailChars);
        Q_EMIT stderrReceived(err);
    }

    ExecutionOutcome outcome;
    switch (m_endReason) {
    case EndReason::TimedOut:
        outcome.status = ExecutionStatus::TimedOut;
        outcome.message = QStringLiteral("The run was stopped at its time limit.");
        break;
    case EndReason::Cancelled:
        outcome.status = ExecutionStatus::Cancelled;
        outcome.message = QStringLiteral("The run was stopped.");
        break;
    case EndReason::None:
        if (status == QProcess::NormalExit && exitCode == 0) {
            outcome.status = ExecutionStatus::Completed;
        } else if (m_stderrTail.startsWith(QLatin1String("bwrap:"))) {
            outcome.status = ExecutionStatus::SandboxFailed;
            outcome.message = explainBubblewrapFailure(m_stderrTail);
            if (outcome.message.isEmpty())
                outcome.message = QStringLiteral("The sandbox failed: %1").arg(m_stderrTail.trimmed());
        } else if (status == QProcess::CrashExit || exitCode > 128 || exitCode == 126) {
            outcome.status = ExecutionStatus::Raised;
            outcome.error = ExecutionError{QStringLiteral("KilledBySandbox"),
                                           QStringLiteral("the process was killed (a resource limit was reached)"),
                                           m_stderrTail.trimmed()};
        } else {
            outcome.status = ExecutionStatus::Raised;
            outcome.error = parseError();
        }
        break;
    }
    finish(std::move(outcome));
}

void LocalSandbox::finish(ExecutionOutcome outcome)
{
    outcome.durationMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_deadline.stop();
    qCInfo(lcSandbox) << "run ended:" << static_cast<int>(outcome.status) << "after" << outcome.durationMs << "ms";
    Q_EMIT finished(outcome);
}

} // namespace safecell
