#pragma once

#include "common/Expected.h"
#include "sandbox/SandboxLimits.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

#include <sys/types.h>

namespace safecell {

// What bounds the memory and the process count of a sandbox as a whole
// (all of a snippet's processes together), best first.
enum class MemoryBound {
    CgroupV2,      // a cgroup v2 child SafeCell creates (as root): memory.max, pids.max
    CgroupV1,      // children of SafeCell's own v1 memory and pids cgroups (as root)
    SystemdScope,  // a transient scope of the user's systemd: systemd-run --user --scope
    ProcessLimits, // no cgroup: processes x RLIMIT_AS <= the memory limit
};

// Where the cgroup hierarchies are, and this process's place in them, from
// /proc/self/cgroup and /proc/self/mountinfo.
struct CgroupSystem {
    QString v2Mount;       // the cgroup2 mount point; empty without one
    QString v2Path;        // our cgroup under it
    QString v1MemoryMount; // the v1 memory controller's mount point; empty without one
    QString v1MemoryPath;
    QString v1PidsMount;
    QString v1PidsPath;

    static CgroupSystem parse(const QByteArray &procSelfCgroup, const QByteArray &mountinfo);
    static CgroupSystem ofThisProcess();
};

struct MemoryBoundPlan {
    MemoryBound bound = MemoryBound::ProcessLimits;
    QString memoryParent; // CgroupV2, CgroupV1: the folder sandbox cgroups are made in
    QString pidsParent;   // CgroupV1: the pids controller's folder (may be empty)
    QString why;          // why this bound and not a better one, for the log and the tooltip
};

// The environment a plan is made for, given explicitly to test it.
struct MemoryBoundProbe {
    bool root = false;
    uid_t uid = 0;
    QString xdgRuntimeDir;
    QString systemdRun; // the systemd-run binary, empty when missing
    QString nsenter;    // the nsenter binary, empty when missing
};

MemoryBoundPlan planMemoryBound(const CgroupSystem &system, const MemoryBoundProbe &probe);
// The plan for this process: decided on first use, then kept.
const MemoryBoundPlan &memoryBoundPlan();
// The bound sandboxes started with `limits` get on this machine.
MemoryBound memoryBoundFor(const SandboxLimits &limits);
// One line for the status bar and the README's terms, e.g. "cgroup v1".
QString memoryBoundName(MemoryBound bound);
// What it means, for a tooltip.
QString memoryBoundDescription(MemoryBound bound, const SandboxLimits &limits);

// ProcessLimits: so few processes that together they stay under the memory
// limit, each with its share of it as RLIMIT_AS. Threads count as processes
// for RLIMIT_NPROC, which only makes the bound tighter.
struct ProcessLimitsFallback {
    qint64 processes;
    qint64 addressSpaceMb;
};
ProcessLimitsFallback processLimitsFallback(const SandboxLimits &limits);

// SystemdScope: the command prefix that starts the sandbox in its own scope.
QStringList systemdScopePrefix(const QString &systemdRun, const SandboxLimits &limits);

// The processes a sandbox's cgroup allows beyond the sandbox's own process
// limit: bwrap's monitor outside the pid namespace, and its init.
constexpr qint64 kCgroupPidsSlack = 4;

// The cgroup (or, with v1, the pair of memory and pids cgroups) of one
// sandbox, named safecell-<pid>-<start time>-<n> after the SafeCell
// process that made it. Created with the limits set; the forked child joins
// it by writing its pid to joinDescriptors() before exec. Destroying it
// kills whatever is still inside and removes it.
class SandboxCgroup {
public:
    static Expected<std::unique_ptr<SandboxCgroup>, QString> create(const MemoryBoundPlan &plan,
                                                                    const SandboxLimits &limits);
    ~SandboxCgroup();
    SandboxCgroup(const SandboxCgroup &) = delete;
    SandboxCgroup &operator=(const SandboxCgroup &) = delete;

    // Open cgroup.procs files, close-on-exec.
    QList<int> joinDescriptors() const { return m_joinFds; }
    QStringList folders() const { return m_folders; }
    // SIGKILL to every process inside.
    void killAll() const;

private:
    SandboxCgroup() = default;

    QStringList m_folders;
    QList<int> m_joinFds;
    bool m_v2 = false;
};

// The name prefix of the cgroups this process makes.
QString sandboxCgroupPrefix();

} // namespace safecell
