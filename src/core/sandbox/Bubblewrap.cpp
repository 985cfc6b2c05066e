#include "Bubblewrap.h"

#include <QFileInfo>
#include <QStandardPaths>

#include "sandbox/SandboxChild.h"

namespace safecell {

namespace {

// Host files the Python runtime needs that live outside /usr. Nothing that
// holds a secret (no /etc/shadow, no home folders) is ever mounted.
const char *const kEtcFiles[] = {
    "/etc/alternatives", "/etc/ld.so.cache",  "/etc/ld.so.conf", "/etc/ld.so.conf.d",
    "/etc/fonts",        "/etc/matplotlibrc", "/etc/localtime",  "/etc/mime.types",
    "/etc/ssl/certs",    "/etc/python3",      "/etc/python3.11",
};

} // namespace

Expected<QString, QString> findBubblewrap()
{
    const QString bwrap = QStandardPaths::findExecutable(QStringLiteral("bwrap"));
    if (bwrap.isEmpty()) {
        return unexpected(
            QStringLiteral("The local sandbox needs bubblewrap, which is not installed. Install it with "
                           "`sudo apt-get install bubblewrap` (package: bubblewrap). SafeCell never runs code "
                           "outside a sandbox."));
    }
    return bwrap;
}

QString explainBubblewrapFailure(const QString &bwrapStderr)
{
    if (bwrapStderr.contains(QLatin1String("namespace"), Qt::CaseInsensitive)
        || bwrapStderr.contains(QLatin1String("Operation not permitted"))) {
        return QStringLiteral("The local sandbox cannot start: this system does not allow unprivileged user "
                              "namespaces (bubblewrap said: %1). Allow them with `sudo sysctl -w "
                              "kernel.unprivileged_userns_clone=1` (Debian) or `sudo sysctl -w "
                              "kernel.apparmor_restrict_unprivileged_userns=0` (Ubuntu 24.04 and later).")
            .arg(bwrapStderr.trimmed().left(200));
    }
    return {};
}

BubblewrapCommand bubblewrapCommand(const BubblewrapPaths &paths, const SandboxLimits &limits,
                                    const QStringList &command, const QStringList &extraMounts,
                                    const QList<SharedPath> &shares)
{
    QStringList args = paths.prefix;
    args << paths.bwrap;
    args << QStringList{
        QStringLiteral("--unshare-all"), // user, pid, net, ipc, uts, cgroup: no network
        // No namespaces of its own inside: no mounting, no rearranging the view.
        QStringLiteral("--unshare-user"),
        QStringLiteral("--disable-userns"),
        QStringLiteral("--seccomp"),
        QString::number(kSeccompFd),
        QStringLiteral("--uid"),
        QString::number(kSandboxUid),
        QStringLiteral("--gid"),
        QString::number(kSandboxGid),
        QStringLiteral("--hostname"),
        QStringLiteral("safecell"),
        QStringLiteral("--die-with-parent"),
        // The kernel's driver is the namespace's init: nothing inside can
        // signal it, and when it ends, everything inside ends with it.
        QStringLiteral("--as-pid-1"),
        QStringLiteral("--new-session"),
        QStringLiteral("--clearenv"),
        QStringLiteral("--ro-bind"),
        QStringLiteral("/usr"),
        QStringLiteral("/usr"),
        QStringLiteral("--symlink"),
        QStringLiteral("usr/bin"),
        QStringLiteral("/bin"),
        QStringLiteral("--symlink"),
        QStringLiteral("usr/sbin"),
        QStringLiteral("/sbin"),
        QStringLiteral("--symlink"),
        QStringLiteral("usr/lib"),
        QStringLiteral("/lib"),
        QStringLiteral("--symlink"),
        QStringLiteral("usr/lib64"),
        QStringLiteral("/lib64"),
        QStringLiteral("--proc"),
        QStringLiteral("/proc"),
        QStringLiteral("--dev"),
        QStringLiteral("/dev"),
        // Sized: by default a tmpfs may take half the host's memory.
        QStringLiteral("--size"),
        QString::number(limits.shmSizeMb << 20),
        QStringLiteral("--tmpfs"),
        QStringLiteral("/dev/shm"),
        QStringLiteral("--size"),
        QString::number(limits.tmpSizeMb << 20),
        QStringLiteral("--tmpfs"),
        QStringLiteral("/tmp"),
        QStringLiteral("--bind"),
        paths.workFolder,
        QStringLiteral("/work"),
    };
    const qint64 processes = paths.bound == MemoryBound::ProcessLimits ? processLimitsFallback(limits).processes
                                                                       : limits.maxProcesses;
    for (const char *file : kEtcFiles) {
        const QString path = QString::fromLatin1(file);
        if (QFileInfo::exists(path))
            args << QStringLiteral("--ro-bind") << path << path;
    }
    args << dataMountArguments(limits.dataFolder, shares);
    args << extraMounts;
    // bwrap's root is a tmpfs the sandbox user could write to: seal it. The
    // mounts on it (/tmp, /work, /workspace) keep their own modes.
    args << QStringLiteral("--remount-ro") << QStringLiteral("/");
    args << QStringLiteral("--chdir") << QStringLiteral("/work") << QStringLiteral("--setenv") << QStringLiteral("HOME")
         << QStringLiteral("/work") << QStringLiteral("--setenv") << QStringLiteral("PATH")
         << QStringLiteral("/usr/bin:/bin") << QStringLiteral("--setenv") << QStringLiteral("LANG")
         << QStringLiteral("C.UTF-8") << QStringLiteral("--setenv") << QStringLiteral("PYTHONIOENCODING")
         << QStringLiteral("utf-8") << QStringLiteral("--setenv") << QStringLiteral("PYTHONDONTWRITEBYTECODE")
         << QStringLiteral("1") << QStringLiteral("--setenv") << QStringLiteral("MPLBACKEND") << QStringLiteral("Agg")
         << QStringLiteral("--setenv") << QStringLiteral("MPLCONFIGDIR")
         << QStringLiteral("/tmp")
         // One thread per numeric library: a 64-core host must not make
         // OpenBLAS reserve 64 stacks against the address-space limit.
         << QStringLiteral("--setenv") << QStringLiteral("OPENBLAS_NUM_THREADS") << QStringLiteral("1")
         << QStringLiteral("--setenv") << QStringLiteral("OMP_NUM_THREADS") << QStringLiteral("1")
         << QStringLiteral("--setenv") << QStringLiteral("MKL_NUM_THREADS") << QStringLiteral("1")
         << QStringLiteral("--")
         // The process limit is set inside the user namespace, where it counts
         // only the sandbox's own processes, not every process of the host user.
         << QStringLiteral("/usr/bin/prlimit") << QStringLiteral("--nproc=%1:%1").arg(processes) << QStringLiteral("--")
         << command;
    const QString program = args.takeFirst();
    return {program, args};
}

} // namespace safecell
