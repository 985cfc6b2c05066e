#pragma once

#include <QString>

namespace safecell {

class Settings;

// Resource limits and mounts for the local sandbox; the defaults are safe.
struct SandboxLimits {
    qint64 memoryLimitMb = 2048; // the sandbox's, all processes together (see SandboxCgroup.h)
    // Kernel lifetime CPU backstop: this many runs' worth of cpuSeconds.
    static constexpr qint64 kCpuLifetimeRuns = 24;
    qint64 cpuSeconds = 600;         // RLIMIT_CPU, per run (re-armed by the kernel driver)
    qint64 maxProcesses = 64;        // RLIMIT_NPROC: a fork bomb dies
    qint64 maxOpenFiles = 256;       // RLIMIT_NOFILE
    qint64 maxFileSizeMb = 256;      // RLIMIT_FSIZE
    qint64 outputCapBytes = 4 << 20; // stdout + stderr kept per run
    qint64 tmpSizeMb = 512;          // /tmp: a tmpfs of at most this size
    qint64 shmSizeMb = 256;          // /dev/shm: the same
    qint64 workSizeMb = 1024;        // /work: a tmpfs of at most this size, kept for the session
    // false: never a cgroup, always the fallback that bounds the total by
    // the process count and RLIMIT_AS (tests force it; see SandboxCgroup.h).
    bool allowCgroup = true;
    QString dataFolder;             // mounted read-only at /data when set
    QString workspaceDatabase;      // SQL runs against it; empty: the bundled example
    QString scratchFolder;          // SQL writes go to its ScratchFolder; empty: the sandbox's own
    qint64 resultRowCap = 1000;     // rows kept of an SQL result set or a DataFrame
    qint64 interruptGraceMs = 2000; // time limit: after SIGINT, kill the kernel this much later
    qint64 cancelGraceMs = 500;     // Stop: the same, short enough to stop within a second
    QString python = QStringLiteral("/usr/bin/python3");

    static SandboxLimits fromSettings(const Settings &settings);
    bool operator==(const SandboxLimits &) const = default;
};

} // namespace safecell
