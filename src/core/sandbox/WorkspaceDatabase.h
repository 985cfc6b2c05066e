#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>

namespace safecell {

// The SQLite file that SQL runs against: the analyst's own (Setting
// sandbox/workspaceDatabase) or, when none is chosen, an example shop
// database built from resources/sandbox/example_workspace.sql.

// Builds the example database at `path` unless it is already there.
Expected<QString, QString> materialiseExampleDatabase(const QString &path);

// Where a workspace database appears inside the sandbox.
inline constexpr char kSandboxDatabasePath[] = "/workspace/database.sqlite";

// bwrap arguments that show only `database` (and its WAL or journal, when
// present) at kSandboxDatabasePath, read-only unless `writable`: the rest of
// its folder stays out of sight.
QStringList workspaceMountArguments(const QString &database, bool writable);

} // namespace safecell
