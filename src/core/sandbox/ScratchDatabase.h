#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace safecell {

// The session's own SQLite file, where confirmed SQL writes go (issue 20).
// SQL runs with it as the `main` schema and the workspace database (the
// bundled example or the analyst's) attached read-only as `workspace`, so
// CREATE TABLE and INSERT land here and later runs of the session see them,
// while a write to a workspace table fails and says where writes go.

// Where the scratch folder appears inside the sandbox, and its database.
inline constexpr char kSandboxScratchFolder[] = "/scratch";
inline constexpr char kSandboxScratchPath[] = "/scratch/scratch.sqlite";
inline constexpr char kScratchFileName[] = "scratch.sqlite";

// The schema names SQL sees (worker.py attaches them).
inline constexpr char kScratchSchema[] = "main";
inline constexpr char kWorkspaceSchema[] = "workspace";

// A private host folder that holds one session's scratch database; the
// sandboxed SQL process owns it, since SQLite writes its journal beside the
// file. Removed with the object: the scratch database lives as long as the
// session unless saved (saveDatabaseCopy).
class ScratchFolder {
public:
    // Under `parent` (the temporary folder), named so that a crashed
    // SafeCell's leftover is removed by removeSandboxLeftovers().
    static Expected<std::unique_ptr<ScratchFolder>, QString> create(const QString &parent);

    QString path() const { return m_dir.path(); }
    // The database file; it exists once a confirmed write ran.
    QString databasePath() const { return m_dir.filePath(QString::fromLatin1(kScratchFileName)); }
    bool hasDatabase() const;

private:
    explicit ScratchFolder(const QString &pattern);
    QTemporaryDir m_dir;
};

// bwrap arguments that show `folder` at kSandboxScratchFolder, writable
// only when the run's writes were confirmed.
QStringList scratchMountArguments(const QString &folder, bool writable);

// Writes a consistent copy of the SQLite database `source` to
// `destination` (replacing it only once the copy is complete), readable by
// any SQLite; returns the destination.
Expected<QString, QString> saveDatabaseCopy(const QString &source, const QString &destination);

} // namespace safecell
