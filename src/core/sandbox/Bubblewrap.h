#pragma once

#include "common/Expected.h"
#include "sandbox/SandboxCgroup.h"
#include "sandbox/SandboxLimits.h"
#include "sandbox/SharedData.h"

#include <QString>
#include <QStringList>

#include <sys/types.h>

namespace safecell {

// The bubblewrap command line for one sandboxed process: a read-only
// system, no network, no view of the user's home or the host's secrets, a
// private writable work folder at /work, size-limited /tmp and /dev/shm,
// the command as the pid namespace's init, and everything killed with us.
struct BubblewrapCommand {
    QString program;       // the bwrap binary
    QStringList arguments; // up to and including the command to run
};

struct BubblewrapPaths {
    QString bwrap;      // found on PATH
    QString workFolder; // host folder mounted read-write at /work
    // Commands bwrap runs under, each ending in "--": systemd-run for a
    // scope, nsenter for the work folder's namespaces.
    QStringList prefix = {};
    // ProcessLimits: the sandbox's process limit shrinks so that it bounds
    // the total memory (see processLimitsFallback).
    MemoryBound bound = MemoryBound::ProcessLimits;
};

// The bwrap binary, or a message that names the package to install.
Expected<QString, QString> findBubblewrap();

// A message naming the setting to change when bwrap's own error output
// says that user namespaces are not allowed; empty otherwise.
QString explainBubblewrapFailure(const QString &bwrapStderr);

// extraMounts: more bwrap mount arguments (the SQL workspace). shares:
// the analyst's shared data, at /data/<name> (see dataMountArguments()).
BubblewrapCommand bubblewrapCommand(const BubblewrapPaths &paths, const SandboxLimits &limits,
                                    const QStringList &command, const QStringList &extraMounts = {},
                                    const QList<SharedPath> &shares = {});

// The uid and gid sandboxed code runs as on the host when SafeCell itself
// runs as root (as in CI): never root.
constexpr uid_t kSandboxUid = 65534;
constexpr gid_t kSandboxGid = 65534;

} // namespace safecell
