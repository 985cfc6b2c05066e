#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <memory>

#include <sys/types.h>

namespace safecell {

// A session's /work: a tmpfs of a fixed size that only the session's
// sandboxes see. It is mounted at a host folder's path inside a mount
// namespace of its own (in a user namespace of SafeCell's when SafeCell is
// not root), kept by a small holder process, and every sandbox of the
// session starts inside that namespace. On the host the folder stays empty:
// nothing a snippet writes reaches the host's disk, it survives the
// session's kernel restarts, and it is gone with the holder when the
// session ends, even if SafeCell is killed (the holder dies with it).
//
// Host folders are named safecell-work-<pid>-<start time>-XXXXXX after the
// SafeCell process that owns them (see SandboxLeftovers.h).
class SandboxWorkFolder {
public:
    // In `tempDir` (QDir::tempPath() for SafeCell).
    static Expected<std::unique_ptr<SandboxWorkFolder>, QString> create(const QString &tempDir, qint64 sizeMb);
    ~SandboxWorkFolder();
    SandboxWorkFolder(const SandboxWorkFolder &) = delete;
    SandboxWorkFolder &operator=(const SandboxWorkFolder &) = delete;

    QString path() const { return m_path; }
    // Where SafeCell reads what the session's sandboxes wrote: the folder as
    // the holder sees it, through /proc (on the host's own view of path(),
    // the folder is empty).
    QString hostView() const { return QStringLiteral("/proc/%1/root%2").arg(m_holder).arg(m_path); }
    // As root: the mount namespace, joined with setns() by the forked child
    // before it drops to the sandbox's uid. -1 otherwise.
    int mountNamespaceFd() const { return m_mountNamespaceFd; }
    // Not root: the command prefix that enters the user and mount
    // namespaces before bwrap (nsenter); empty as root.
    QStringList enterPrefix() const;

private:
    SandboxWorkFolder() = default;

    QString m_path;
    pid_t m_holder = -1;
    int m_lifeline = -1; // the holder lives while this is open
    int m_mountNamespaceFd = -1;
    bool m_ownUserNamespace = false;
};

} // namespace safecell
