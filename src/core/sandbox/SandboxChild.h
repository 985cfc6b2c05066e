#pragma once

#include "sandbox/SandboxCgroup.h"
#include "sandbox/SandboxLimits.h"

#include <array>

#include <sys/resource.h>

namespace safecell {

class SandboxWorkFolder;

// Everything the forked child of a sandbox start needs, worked out before
// the fork: after it only async-signal-safe calls may run.
struct SandboxChildSetup {
    rlim_t addressSpace = 0;
    rlim_t cpuSoft = 0;
    rlim_t cpuHard = 0;
    rlim_t openFiles = 0;
    rlim_t fileSize = 0;
    std::array<int, 2> cgroupFds{-1, -1}; // cgroup.procs to join, or -1
    int mountNamespaceFd = -1;            // the work folder's namespace (as root), or -1
    bool dropToSandboxUser = false;       // we are root: become kSandboxUid first
};

SandboxChildSetup sandboxChildSetup(const SandboxLimits &limits, MemoryBound bound, const SandboxCgroup *cgroup,
                                    const SandboxWorkFolder *work);

// Runs in the forked child before exec: its own process group, its cgroup,
// the rlimits (but the process count, see bubblewrapCommand), every
// descriptor but stdin, stdout and stderr closed at exec, the descriptor of
// the seccomp program bwrap installs, the work folder's namespace, and, when
// we are root, a drop to an unprivileged uid. Async-signal-safe; _exit()s
// rather than start a sandbox it could not set up.
void applySandboxChildSetup(const SandboxChildSetup &setup);

// The descriptor bwrap reads its seccomp program from (--seccomp).
constexpr int kSeccompFd = 57;

} // namespace safecell
