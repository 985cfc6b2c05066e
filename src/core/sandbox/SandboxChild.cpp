#include "SandboxChild.h"

#include "sandbox/Bubblewrap.h"
#include "sandbox/SandboxWorkFolder.h"

#include <linux/audit.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cerrno>
#include <cstddef>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace safecell {

namespace {

#if defined(__x86_64__)
constexpr __u32 kAuditArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr __u32 kAuditArch = AUDIT_ARCH_AARCH64;
#else
#error "the sandbox's seccomp filter knows only x86_64 and aarch64"
#endif

#define SAFECELL_DENY(nr)                                                                                              \
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

// Sandboxed code may not inspect or steer other processes, even the
// sandbox's own (the kernel's driver, the process that runs the snippet):
// no ptrace, no cross-process memory access, no taking another process's
// descriptors. Foreign ABIs (i386 via int 0x80, x32) would bypass the
// syscall numbers below, so they are killed outright.
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
    SAFECELL_DENY(__NR_pidfd_getfd),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

#undef SAFECELL_DENY

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

// Every descriptor above stderr closes at exec, whatever opened it without
// close-on-exec in SafeCell's process (a library, a test harness). Marked
// rather than closed: Qt's own pipe reports a failed exec through one.
void closeAllAtExec()
{
    if (syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    // Kernels before 5.11: one descriptor at a time, up to the limit.
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    const int last = limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > (1u << 20) ? (1 << 20) : int(limit.rlim_cur);
    for (int fd = 3; fd < last; ++fd)
        fcntl(fd, F_SETFD, FD_CLOEXEC);
}

bool joinCgroup(int fd)
{
    // The pid in decimal, without snprintf (not async-signal-safe).
    char digits[24];
    int at = int(sizeof digits);
    for (unsigned long pid = static_cast<unsigned long>(getpid()); at > 0;) {
        digits[--at] = char('0' + pid % 10);
        pid /= 10;
        if (pid == 0)
            break;
    }
    const ssize_t size = ssize_t(sizeof digits) - at;
    return write(fd, digits + at, size_t(size)) == size;
}

void setLimit(int resource, rlim_t value)
{
    const rlimit limit{value, value};
    setrlimit(resource, &limit);
}

} // namespace

SandboxChildSetup sandboxChildSetup(const SandboxLimits &limits, MemoryBound bound, const SandboxCgroup *cgroup,
                                    const SandboxWorkFolder *work)
{
    SandboxChildSetup setup;
    const qint64 addressSpaceMb = bound == MemoryBound::ProcessLimits ? processLimitsFallback(limits).addressSpaceMb
                                                                      : limits.memoryLimitMb;
    setup.addressSpace = static_cast<rlim_t>(addressSpaceMb) << 20;
    // The kernel's worker re-arms the soft limit for each run (cpuSeconds
    // per run); the hard limit bounds a whole kernel's life.
    setup.cpuSoft = static_cast<rlim_t>(limits.cpuSeconds);
    setup.cpuHard = static_cast<rlim_t>(limits.cpuSeconds * SandboxLimits::kCpuLifetimeRuns);
    setup.openFiles = static_cast<rlim_t>(limits.maxOpenFiles);
    setup.fileSize = static_cast<rlim_t>(limits.maxFileSizeMb) << 20;
    if (cgroup) {
        const QList<int> fds = cgroup->joinDescriptors();
        for (qsizetype i = 0; i < fds.size() && i < qsizetype(setup.cgroupFds.size()); ++i)
            setup.cgroupFds[size_t(i)] = fds.at(i);
    }
    setup.mountNamespaceFd = work ? work->mountNamespaceFd() : -1;
    setup.dropToSandboxUser = geteuid() == 0;
    return setup;
}

void applySandboxChildSetup(const SandboxChildSetup &setup)
{
    setpgid(0, 0);
    for (int fd : setup.cgroupFds) {
        if (fd >= 0 && !joinCgroup(fd))
            _exit(124);
    }
    closeAllAtExec();
    // The namespace first: its descriptor may be the very number the
    // seccomp program is moved to (kSeccompFd) in a process with that many
    // open, and the move would close it.
    if (setup.mountNamespaceFd >= 0 && setns(setup.mountNamespaceFd, CLONE_NEWNS) != 0)
        _exit(123);
    // Before RLIMIT_NOFILE: the parent's descriptors (marked close-on-exec,
    // still open until exec) may fill every number under the limit.
    if (!installSeccompProgramFd())
        _exit(125);
    setLimit(RLIMIT_AS, setup.addressSpace);
    const rlimit cpu{setup.cpuSoft, setup.cpuHard};
    setrlimit(RLIMIT_CPU, &cpu);
    setLimit(RLIMIT_NOFILE, setup.openFiles);
    setLimit(RLIMIT_FSIZE, setup.fileSize);
    setLimit(RLIMIT_CORE, 0);
    if (setup.dropToSandboxUser) {
        // As root, the namespace's uid would map back to root outside it.
        setgroups(0, nullptr);
        if (setgid(kSandboxGid) != 0 || setuid(kSandboxUid) != 0)
            _exit(126);
    }
}

} // namespace safecell
