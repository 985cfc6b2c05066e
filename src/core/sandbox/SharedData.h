#pragma once

#include "common/Expected.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace safecell {

// What a shared path holds, for the Files pane and the SQL workspace.
enum class SharedKind { Csv, Tsv, Excel, Sqlite, Folder, Other };

QString sharedKindName(SharedKind kind); // "CSV", "Excel", "folder", ...

// One host file or folder the analyst chose to share with snippets:
// mounted read-only at /data/<name> (a folder with its whole tree).
struct SharedPath {
    QString hostPath; // canonical: symlinks resolved when it was added
    QString name;     // the entry under /data: unique, one path component
    SharedKind kind = SharedKind::Other;
    qint64 size = 0; // bytes; 0 for a folder
    bool operator==(const SharedPath &) const = default;

    QString sandboxPath() const { return QStringLiteral("/data/") + name; }
};

// The session's shared data: the host paths the analyst added (File > Add
// Data..., drag and drop), each at /data/<name>. Nothing else of the host's
// files reaches a snippet. The settings' data folder (SandboxLimits::
// dataFolder) keeps working: its entries appear at /data/<entry> side by
// side with the added ones, and an added name that clashes with one of its
// entries is refused.
class SharedData {
public:
    // Validates `hostPath` (exists, readable, a regular file or a folder,
    // after resolving symlinks), names it after its file name (sanitized,
    // made unique: "sales-2.csv" when "sales.csv" is taken) and adds it.
    // `dataFolder`: the settings' data folder, whose entries' names are taken.
    Expected<SharedPath, QString> add(const QString &hostPath, const QString &dataFolder = {});
    // False when no share has that name.
    bool remove(const QString &name);
    const QList<SharedPath> &paths() const { return m_paths; }
    bool isEmpty() const { return m_paths.isEmpty(); }
    bool operator==(const SharedData &) const = default;

private:
    QList<SharedPath> m_paths;
};

// The file name as an entry under /data: no slash, no leading dot, no
// control character; what is left of an empty name is "data".
QString sanitizedShareName(const QString &fileName);

// SharedKind from the name (and, for a folder, the path).
SharedKind sharedKindOf(const QString &hostPath, bool isFolder);

// bwrap's arguments for /data: nothing when neither is set; the data
// folder alone bound at /data as before; otherwise /data is a folder of
// the read-only root holding each entry of the data folder and each share,
// each bound read-only. Host paths are resolved again here (a path whose
// target changed since it was added is bound where it points now, never
// through a link inside the sandbox); a share that no longer exists is left
// out, so the snippet sees "no such file".
QStringList dataMountArguments(const QString &dataFolder, const QList<SharedPath> &shares);

// What changed from `before` to `after`, for the analyst: "added
// /data/sales.csv; removed /data/old.xlsx"; empty when nothing did.
QString describeShareChange(const QList<SharedPath> &before, const QList<SharedPath> &after);

// When SafeCell runs as root, the sandbox runs as the unprivileged sandbox
// user (Bubblewrap.h), and bwrap looks up a share's host path as that user:
// the first of `canonicalPath` and its folders that user may not pass or
// read; empty when it may. (Checked by SharedData::add as root only.)
QString blockedForSandboxUser(const QString &canonicalPath, bool isFolder);

} // namespace safecell

Q_DECLARE_METATYPE(safecell::SharedData)
