#pragma once

#include "common/Expected.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <variant>

namespace safecell {

// A file a snippet left in the session's /work, for the Files pane.
struct WorkFile {
    QString path; // under /work, e.g. "charts/sales.png"
    qint64 size = 0;
    QDateTime modified;
    // The inode's change time: unlike `modified`, a snippet cannot set it
    // back (os.utime), so it tells whether the file changed since a save.
    QDateTime changed;

    bool operator==(const WorkFile &) const = default;
};

// What /work holds after a run. `root`: where the host reads it while the
// session lives (the work folder as its holder sees it, through /proc);
// empty when the sandbox has no work folder the host can read.
struct WorkFileListing {
    QString root;
    QList<WorkFile> files;
    bool truncated = false; // more files than listed, or too deep to walk
    // /work's size: a file that claims more is sparse (a seek past the end
    // costs nothing in tmpfs), and copying it out would fill the disk.
    qint64 maxFileBytes = qint64(1) << 30;
};

namespace workfiles {

// Bounds of one listing: it runs after every run, so it must stay cheap
// whatever a snippet wrote.
constexpr int kMaxListed = 200;
constexpr int kMaxDepth = 4;
constexpr int kMaxVisited = 5000;

// The regular files under `root`, newest first, without hidden names
// (dotfiles: matplotlib's and pip's caches live in /work, which is HOME)
// and without following any link: a snippet may leave a link to anything.
Expected<WorkFileListing, QString> list(const QString &root);

// The bytes of a listed name: names that are not valid UTF-8 are listed
// with each stray byte as a lone surrogate (U+DC80..U+DCFF), and this
// turns them back, so every listed file can be copied out.
QByteArray nameBytes(const QString &name);

// Copies the regular file `path` (as listed) under `root` to `destination`,
// whole or not at all. No component of `path` may be a link, so a snippet
// cannot make SafeCell copy out a host file it points at; a file larger than
// `maxBytes` is refused.
Expected<std::monostate, QString> copyOut(const QString &root, const QString &path, const QString &destination,
                                          qint64 maxBytes = qint64(1) << 30);

} // namespace workfiles
} // namespace safecell

Q_DECLARE_METATYPE(safecell::WorkFileListing)
