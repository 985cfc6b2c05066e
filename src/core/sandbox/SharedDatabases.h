#pragma once

#include "sandbox/SharedData.h"

#include <QList>
#include <QString>

namespace safecell {

// A shared SQLite file as SQL runs see it: attached read-only under a
// schema named after the file ("sales.sqlite" -> sales), so
// `SELECT * FROM sales.orders` reads it.
struct SharedDatabase {
    QString schema;      // an SQL identifier, unique among the run's schemas
    QString sandboxPath; // /data/<name>
    QString hostPath;    // for the schema browser, which reads it on the host

    bool operator==(const SharedDatabase &) const = default;
};

// SQLite allows ten attached databases by default; the workspace takes one.
constexpr int kMaxSharedDatabases = 9;

// The SQLite shares among `shares`, in order, with their schemas: the
// file's stem made an identifier (letters, digits, '_'; not starting with a
// digit), never "main", "temp" or "workspace", made unique with a suffix.
// At most kMaxSharedDatabases; `left` (when given) counts the others.
QList<SharedDatabase> sharedDatabases(const QList<SharedPath> &shares, int *left = nullptr);

// bwrap arguments for one SQL run's process: beside each of `databases`
// whose host file has a write-ahead log now (another app has it open, or
// left it so), that "-wal" file and its "-shm" index, read-only, so the run
// reads what was committed to the log and not only what was checkpointed
// into the file. Bound for one run, never for the long-lived Python kernel:
// a log is replaced by a new file in time, and a bind keeps the old one.
// A sibling that is a link, or not a regular file, is not bound (it could
// point anywhere on this machine).
QStringList sqliteLogMountArguments(const QList<SharedDatabase> &databases, const QList<SharedPath> &shares);

} // namespace safecell
