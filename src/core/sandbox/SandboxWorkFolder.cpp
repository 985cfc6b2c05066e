#include "SandboxWorkFolder.h"

#include "common/Logging.h"
#include "sandbox/Bubblewrap.h"
#include "sandbox/SandboxLeftovers.h"

#include <QFile>
#include <QStandardPaths>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace safecell {

namespace {

// Async-signal-safe: runs in the forked holder.
bool writeFile(const char *path, const QByteArray &value)
{
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, value.constData(), size_t(value.size())) == value.size();
    ::close(fd);
    return ok;
}

// Async-signal-safe. The holder keeps nothing of SafeCell's open but its
// lifeline (`keep`): a copy of another holder's lifeline would keep that
// one alive after its session ended.
void closeAllBut(int keep)
{
    if (keep > 3)
        syscall(SYS_close_range, 3u, unsigned(keep - 1), 0u);
    syscall(SYS_close_range, unsigned(keep + 1), ~0u, 0u);
}

const char *stepName(char step)
{
    switch (step) {
    case 'u':
        return "create a namespace";
    case 'm':
        return "map the user namespace";
    case 'p':
        return "make the mounts private";
    case 't':
        return "mount the tmpfs";
    default:
        return "start";
    }
}

} // namespace

Expected<std::unique_ptr<SandboxWorkFolder>, QString> SandboxWorkFolder::create(const QString &tempDir, qint64 sizeMb)
{
    const bool root = geteuid() == 0;
    QByteArray path = QFile::encodeName(tempDir + QStringLiteral("/safecell-work-") + sandboxOwnerTag()
                                        + QStringLiteral("-XXXXXX"));
    if (!mkdtemp(path.data()))
        return unexpected(QStringLiteral("Could not create a folder for the sandbox in %1: %2")
                              .arg(tempDir, QString::fromLocal8Bit(strerror(errno))));
    std::unique_ptr<SandboxWorkFolder> folder(new SandboxWorkFolder);
    folder->m_path = QFile::decodeName(path);
    folder->m_ownUserNamespace = !root;

    // Everything the holder needs is made before the fork: after it, only
    // async-signal-safe calls.
    // The tmpfs's root belongs to the sandbox's uid (as root), or to us,
    // whom the sandbox's uid maps back to.
    const QByteArray options = "size=" + QByteArray::number(sizeMb) + "m,mode=0700"
                               + (root ? ",uid=" + QByteArray::number(kSandboxUid)
                                             + ",gid=" + QByteArray::number(kSandboxGid)
                                       : QByteArray());
    const QByteArray uidMap = "0 " + QByteArray::number(getuid()) + " 1\n";
    const QByteArray gidMap = "0 " + QByteArray::number(getgid()) + " 1\n";
    int ready[2];
    int lifeline[2];
    if (pipe2(ready, O_CLOEXEC) != 0)
        return unexpected(QStringLiteral("Could not start the work folder's holder: no pipe."));
    if (pipe2(lifeline, O_CLOEXEC) != 0) {
        ::close(ready[0]);
        ::close(ready[1]);
        return unexpected(QStringLiteral("Could not start the work folder's holder: no pipe."));
    }
    const pid_t pid = fork();
    if (pid == 0) {
        ::close(ready[0]);
        ::close(lifeline[1]);
        char step = 'u';
        bool ok = unshare(root ? CLONE_NEWNS : CLONE_NEWUSER | CLONE_NEWNS) == 0;
        if (ok && !root) {
            step = 'm';
            ok = writeFile("/proc/self/setgroups", "deny") && writeFile("/proc/self/uid_map", uidMap)
                 && writeFile("/proc/self/gid_map", gidMap);
        }
        // Slave: the host's later mounts still show (a data folder on a
        // drive plugged in later); ours never reach the host.
        if (ok) {
            step = 'p';
            ok = mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) == 0;
        }
        if (ok) {
            step = 't';
            ok = mount("safecell-work", path.constData(), "tmpfs", MS_NOSUID | MS_NODEV, options.constData()) == 0;
        }
        const char answer[2] = {ok ? '+' : step, static_cast<char>(errno)};
        (void)!::write(ready[1], answer, 2);
        if (!ok)
            _exit(1);
        ::close(ready[1]);
        closeAllBut(lifeline[0]);
        char byte = 0;
        while (::read(lifeline[0], &byte, 1) != 0) {
        }
        _exit(0);
    }
    ::close(ready[1]);
    ::close(lifeline[0]);
    folder->m_holder = pid;
    folder->m_lifeline = lifeline[1];
    char answer[2] = {0, 0};
    pollfd wait{ready[0], POLLIN, 0};
    const bool answered = pid > 0 && poll(&wait, 1, 10000) == 1 && ::read(ready[0], answer, 2) == 2;
    ::close(ready[0]);
    if (!answered || answer[0] != '+') {
        return unexpected(
            QStringLiteral("Could not make the sandbox's work folder (a private tmpfs): could not %1 (%2). "
                           "The local sandbox needs user namespaces, as bubblewrap does.")
                .arg(QString::fromLatin1(stepName(answer[0])),
                     QString::fromLocal8Bit(strerror(answered ? answer[1] : ETIMEDOUT))));
    }
    if (root) {
        const QByteArray ns = "/proc/" + QByteArray::number(pid) + "/ns/mnt";
        folder->m_mountNamespaceFd = ::open(ns.constData(), O_RDONLY | O_CLOEXEC);
        if (folder->m_mountNamespaceFd < 0)
            return unexpected(QStringLiteral("Could not open the work folder's namespace."));
    }
    qCDebug(lcSandbox) << "work folder" << folder->m_path << "of" << sizeMb << "MB, held by" << pid;
    return folder;
}

SandboxWorkFolder::~SandboxWorkFolder()
{
    if (m_mountNamespaceFd >= 0)
        ::close(m_mountNamespaceFd);
    if (m_lifeline >= 0)
        ::close(m_lifeline);
    if (m_holder > 0) {
        ::kill(m_holder, SIGKILL);
        ::waitpid(m_holder, nullptr, 0);
    }
    // On the host it was only ever an empty mount point.
    if (!m_path.isEmpty())
        ::rmdir(QFile::encodeName(m_path).constData());
}

QStringList SandboxWorkFolder::enterPrefix() const
{
    if (!m_ownUserNamespace)
        return {};
    static const QString nsenter = QStandardPaths::findExecutable(QStringLiteral("nsenter"));
    const QString ns = QStringLiteral("/proc/%1/ns/").arg(m_holder);
    return {nsenter.isEmpty() ? QStringLiteral("/usr/bin/nsenter") : nsenter,
            QStringLiteral("--user=") + ns + QStringLiteral("user"),
            QStringLiteral("--mount=") + ns + QStringLiteral("mnt"), QStringLiteral("--preserve-credentials"),
            QStringLiteral("--")};
}

} // namespace safecell
