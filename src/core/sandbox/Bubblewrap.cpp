#include "Bubblewrap.h"

#include <QFileInfo>
#include <QStandardPaths>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cerrno>
#include <cstddef>
#include <grp.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace safecell {

namespace {

// Host files the Python runtime needs that live outside /usr. Nothing that
// holds a secret (no /etc/shadow, no home folders) is ever mounted.
const char *const kEtcFiles[] = {
    "/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
    "/etc/fonts",        "/etc/matplotlibrc", "/etc/localtime",  "/etc/mime.types",
    "/etc/ssl/certs",    "/etc/python3",      "/etc/python3.11",
};

// The descriptor bwrap reads its seccomp program from (--seccomp): the
// child opens it after the fork, so no other process inherits it.
constexpr int kSeccompFd = 57;

#if defined(__x86_64__)
constexpr __u32 kAuditArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr __u32 kAuditArch = AUDIT_ARCH_AARCH64;
#else
#error "the sandbox's seccomp filter knows only x86_64 and aarch64"
#endif

#define SAFECELL_DENY(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
                          BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

// Sandboxed code may not inspect or steer other processes, even the
// sandbox's own (bwrap's pid 1, the kernel from a child): no ptrace, no
// cross-process memory access. Foreign ABIs (i386 via int 0x80, x32) would
// bypass the syscall numbers below, so they are killed outright.
const sock_filter kSeccompProgram[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kAuditArch, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
#if defined(__x86_64__)
    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u /* __X32_SYSCALL_BIT */, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
#endif
    SAFECELL_DENY(__NR_ptrace),
    SAFECELL_DENY(__NR_process_vm_readv),
    SAFECELL_DENY(__NR_process_vm_writev),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

#undef SAFECELL_DENY

// Async-signal-safe: runs between fork and exec.
bool installSeccompProgramFd()
{
    const int fd = static_cast<int>(syscall(SYS_memfd_create, "safecell-seccomp", 0));
    if (fd < 0)
        return false;
    const char *bytes = reinterpret_cast<const char *>(kSeccompProgram);
    size_t left = sizeof(kSeccompProgram);
    while (left > 0) {
        const ssize_t written = write(fd, bytes, left);
        if (written <= 0)
            return false;
        bytes += written;
        left -= size_t(written);
    }
    if (lseek(fd, 0, SEEK_SET) != 0)
        return false;
    if (fd != kSeccompFd) {
        if (dup2(fd, kSeccompFd) != kSeccompFd)
            return false;
        close(fd);
    }
    return true;
}

void setLimit(int resource, rlim_t value)
{
    const rlimit limit{value, value};
    setrlimit(resource, &limit);
}

} // namespace

Expected<QString, QString> findBubblewrap()
{
    const QString bwrap = QStandardPaths::findExecutable(QStringLiteral("bwrap"));
    if (bwrap.isEmpty()) {
        return unexpected(QStringLiteral(
            "The local sandbox needs bubblewrap, which is not installed. Install it with "
            "`sudo apt-get install bubblewrap` (package: bubblewrap). SafeCell never runs code "
            "outside a sandbox."));
    }
    return bwrap;
}

QString explainBubblewrapFailure(const QString &bwrapStderr)
{
    if (bwrapStderr.contains(QLatin1String("namespace"), Qt::CaseInsensitive)
        || bwrapStderr.contains(QLatin1String("Operation not permitted"))) {
        return QStringLiteral(
            "The local sandbox cannot start: this system does not allow unprivileged user "
            "namespaces (bubblewrap said: %1). Allow them with `sudo sysctl -w "
            "kernel.unprivileged_userns_clone=1` (Debian) or `sudo sysctl -w "
            "kernel.apparmor_restrict_unprivileged_userns=0` (Ubuntu 24.04 and later).")
            .arg(bwrapStderr.trimmed().left(200));
    }
    return {};
}

BubblewrapCommand bubblewrapCommand(const BubblewrapPaths &paths, const SandboxLimits &limits,
                                    const QStringList &command, const QStringList &extraMounts)
{
    QStringList args{
        QStringLiteral("--unshare-all"), // user, pid, net, ipc, uts, cgroup: no network
        // No namespaces of its own inside: no mounting, no rearranging the view.
        QStringLiteral("--unshare-user"), QStringLiteral("--disable-userns"),
        QStringLiteral("--seccomp"), QString::number(kSeccompFd),
        QStringLiteral("--uid"), QString::number(kSandboxUid),
        QStringLiteral("--gid"), QString::number(kSandboxGid),
        QStringLiteral("--hostname"), QStringLiteral("safecell"),
        QStringLiteral("--die-with-parent"),
        QStringLiteral("--new-session"),
        QStringLiteral("--clearenv"),
        QStringLiteral("--ro-bind"), QStringLiteral("/usr"), QStringLiteral("/usr"),
        QStringLiteral("--symlink"), QStringLiteral("usr/bin"), QStringLiteral("/bin"),
        QStringLiteral("--symlink"), QStringLiteral("usr/sbin"), QStringLiteral("/sbin"),
        QStringLiteral("--symlink"), QStringLiteral("usr/lib"), QStringLiteral("/lib"),
        QStringLiteral("--symlink"), QStringLiteral("usr/lib64"), QStringLiteral("/lib64"),
        QStringLiteral("--proc"), QStringLiteral("/proc"),
        QStringLiteral("--dev"), QStringLiteral("/dev"),
        QStringLiteral("--tmpfs"), QStringLiteral("/tmp"),
        QStringLiteral("--bind"), paths.workFolder, QStringLiteral("/work"),
    };
    for (const char *file : kEtcFiles) {
        const QString path = QString::fromLatin1(file);
        if (QFileInfo::exists(path))
            args << QStringLiteral("--ro-bind") << path << path;
    }
    if (!limits.dataFolder.isEmpty() && QFileInfo(limits.dataFolder).isDir())
        args << QStringLiteral("--ro-bind") << limits.dataFolder << QStringLiteral("/data");
    args << extraMounts;
    // bwrap's root is a tmpfs the sandbox user could write to: seal it. The
    // mounts on it (/tmp, /work, /workspace) keep their own modes.
    args << QStringLiteral("--remount-ro") << QStringLiteral("/");
    args << QStringLiteral("--chdir") << QStringLiteral("/work")
         << QStringLiteral("--setenv") << QStringLiteral("HOME") << QStringLiteral("/work")
         << QStringLiteral("--setenv") << QStringLiteral("PATH") << QStringLiteral("/usr/bin:/bin")
         << QStringLiteral("--setenv") << QStringLiteral("LANG") << QStringLiteral("C.UTF-8")
         << QStringLiteral("--setenv") << QStringLiteral("PYTHONIOENCODING") << QStringLiteral("utf-8")
         << QStringLiteral("--setenv") << QStringLiteral("PYTHONDONTWRITEBYTECODE") << QStringLiteral("1")
         << QStringLiteral("--setenv") << QStringLiteral("MPLBACKEND") << QStringLiteral("Agg")
         << QStringLiteral("--setenv") << QStringLiteral("MPLCONFIGDIR") << QStringLiteral("/tmp")
         // One thread per numeric library: a 64-core host must not make
         // OpenBLAS reserve 64 stacks against the address-space limit.
         << QStringLiteral("--setenv") << QStringLiteral("OPENBLAS_NUM_THREADS") << QStringLiteral("1")
         << QStringLiteral("--setenv") << QStringLiteral("OMP_NUM_THREADS") << QStringLiteral("1")
         << QStringLiteral("--setenv") << QStringLiteral("MKL_NUM_THREADS") << QStringLiteral("1")
         << QStringLiteral("--")
         // The process limit is set inside the user namespace, where it counts
         // only the sandbox's own processes, not every process of the host user.
         << QStringLiteral("/usr/bin/prlimit")
         << QStringLiteral("--nproc=%1:%1").arg(limits.maxProcesses) << QStringLiteral("--")
         << command;
    return {paths.bwrap, args};
}

void applySandboxChildLimits(const SandboxLimits &limits)
{
    setpgid(0, 0);
    setLimit(RLIMIT_AS, static_cast<rlim_t>(limits.memoryLimitMb) << 20);
    // The kernel driver re-arms the soft limit for each run (cpuSeconds per
    // run); the hard limit bounds a whole kernel's life.
    const rlimit cpu{static_cast<rlim_t>(limits.cpuSeconds),
                     static_cast<rlim_t>(limits.cpuSeconds * SandboxLimits::kCpuLifetimeRuns)};
    setrlimit(RLIMIT_CPU, &cpu);
    setLimit(RLIMIT_NOFILE, static_cast<rlim_t>(limits.maxOpenFiles));
    setLimit(RLIMIT_FSIZE, static_cast<rlim_t>(limits.maxFileSizeMb) << 20);
    setLimit(RLIMIT_CORE, 0);
    if (!installSeccompProgramFd())
        _exit(125);
    if (geteuid() == 0) {
        // As root, the namespace's uid would map back to root outside it.
        setgroups(0, nullptr);
        if (setgid(kSandboxGid) != 0 || setuid(kSandboxUid) != 0)
            _exit(126);
    }
}

} // namespace safecell
