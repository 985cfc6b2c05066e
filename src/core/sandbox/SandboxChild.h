#pragma once

#include "sandbox/SandboxLimits.h"

#include <sys/resource.h>

namespace safecell {

// Everything the forked child of a sandbox start needs, worked out before
// the fork: after it only async-signal-safe calls may run.
struct SandboxChildSetup {
    rlim_t addressSpace = 0;
    rlim_t cpuSoft = 0;
    rlim_t cpuHard = 0;
    rlim_t openFiles = 0;
    rlim_t fileSize = 0;
    bool dropToSandboxUser = false; // we are root: become kSandboxUid first
};

SandboxChildSetup sandboxChildSetup(const SandboxLimits &limits);

// Runs in the forked child before exec: its own process group, the rlimits
// (but the process count, see bubblewrapCommand), every descriptor but
// stdin, stdout and stderr closed at exec, the descriptor of the seccomp
// program bwrap installs, and, when we are root, a drop to an unprivileged
// uid. Async-signal-safe; _exit()s rather than start a sandbox it could not
// set up.
void applySandboxChildSetup(const SandboxChildSetup &setup);

// The descriptor bwrap reads its seccomp program from (--seccomp).
constexpr int kSeccompFd = 57;

} // namespace safecell
