#pragma once

#include "sandbox/Execution.h"

#include "sandbox/PythonLiteral.h"

#include <QString>

namespace safecell {

struct E2bConfig;

// The Python that runs one SQL statement with sqlite3 inside the sandbox
// against the uploaded workspace copy and displays the result set as an
// `application/json` output carrying kSafecellTableKey (E2bResultMapping).
// Read-only (`mode=ro`) unless writes are allowed for the run.
QString e2bSqlScript(const QString &query, const QString &databasePath, bool allowWrites, int maxRows);

// What goes to /execute for a request: the Python snippet, or the script
// that runs the SQL against the workspace copy (the analyst's database or
// the bundled example, E2bSandbox uploads whichever); empty with `error`
// set when E2B cannot run it.
QString e2bCodeToRun(const ExecutionRequest &request, const E2bConfig &config, QString *error);

// Names a workspace file's content (path, size, modification time), so an
// unchanged workspace is uploaded once per sandbox.
QString workspaceStamp(const QString &path);

} // namespace safecell
