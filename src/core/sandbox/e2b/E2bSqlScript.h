#pragma once

#include <QString>

namespace safecell {

// The Python that runs one SQL statement with sqlite3 inside the sandbox
// against the uploaded workspace copy and displays the result set as an
// `application/json` output carrying kSafecellTableKey (E2bResultMapping).
// Read-only (`mode=ro`) unless writes are allowed for the run.
QString e2bSqlScript(const QString &query, const QString &databasePath, bool allowWrites, int maxRows);

// A string as a Python literal (JSON's string syntax is valid Python).
QString pythonStringLiteral(const QString &text);

} // namespace safecell
