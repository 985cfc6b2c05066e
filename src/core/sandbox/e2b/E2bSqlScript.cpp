#include "E2bSqlScript.h"

#include "sandbox/e2b/E2bConfig.h"
#include "sandbox/e2b/E2bResultMapping.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace safecell {

namespace {
constexpr int kSqlMaxRows = 1000;
} // namespace

QString e2bCodeToRun(const ExecutionRequest &request, const E2bConfig &config, QString *error)
{
    if (request.language == Language::Python)
        return request.code;
    if (request.allowWrites) {
        // The sandbox works on a copy: writes there would never reach the workspace.
        *error = QStringLiteral("SQL writes are not supported on E2B (it works on a copy of the workspace); "
                                "run them with the local sandbox.");
        return {};
    }
    return e2bSqlScript(request.code, config.remoteWorkspacePath, false, kSqlMaxRows);
}

QString workspaceStamp(const QString &path)
{
    const QFileInfo info(path);
    return QStringLiteral("%1|%2|%3")
        .arg(info.absoluteFilePath())
        .arg(info.size())
        .arg(info.lastModified().toMSecsSinceEpoch());
}

QString e2bSqlScript(const QString &query, const QString &databasePath, bool allowWrites, int maxRows)
{
    // Names start with _safecell_ so the analyst's own variables are left alone.
    // The text/plain form is the local sandbox's result text, cell for cell
    // (resources/kernel/worker.py, _table_text and _cell_text): the run's
    // `result` reads the same on both sandboxes.
    const QString uri = QStringLiteral("file:") + databasePath + (allowWrites ? QString() : QStringLiteral("?mode=ro"));
    return QStringLiteral(
               "def _safecell_sql():\n"
               "    import sqlite3\n"
               "    def cell(v):\n"
               "        if v is None:\n"
               "            return 'NULL'\n"
               "        if isinstance(v, float):\n"
               "            return repr(v)\n"
               "        if isinstance(v, (bytes, bytearray, memoryview)):\n"
               "            return \"x'\" + bytes(v)[:64].hex() + (\"\\u2026'\" if len(v) > 64 else \"'\")\n"
               "        return str(v)\n"
               "    connection = sqlite3.connect(%1, uri=True)\n"
               "    try:\n"
               "        cursor = connection.execute(%2)\n"
               "        columns = [d[0] for d in (cursor.description or [])]\n"
               "        rows, total, types = [], 0, [''] * len(columns)\n"
               "        lines = ['\\t'.join(columns)]\n"
               "        for row in cursor:\n"
               "            total += 1\n"
               "            if len(rows) < %3:\n"
               "                rows.append([v if v is None or isinstance(v, (int, float, str)) else repr(v) for v in row])\n"
               "            if total <= 20:\n"
               "                lines.append('\\t'.join(cell(v) for v in row))\n"
               "            for i, v in enumerate(row):\n"
               "                if not types[i] and v is not None:\n"
               "                    types[i] = type(v).__name__\n"
               "        connection.commit()\n"
               "        if total > 20:\n"
               "            lines.append('\\u2026 %d rows' % total)\n"
               "        table = {'columns': columns, 'types': types, 'rows': rows, 'total_rows': total}\n"
               "        return table, '\\n'.join(lines)\n"
               "    finally:\n"
               "        connection.close()\n"
               "from IPython.display import display as _safecell_display\n"
               "_safecell_table, _safecell_text = _safecell_sql()\n"
               "_safecell_display({'text/plain': _safecell_text, 'application/json': {%4: _safecell_table}}, raw=True)\n"
               "del _safecell_sql, _safecell_display, _safecell_table, _safecell_text\n")
        // One arg() call: a "%1" inside the query must not be substituted.
        .arg(pythonStringLiteral(uri), pythonStringLiteral(query), QString::number(maxRows),
             pythonStringLiteral(QString::fromLatin1(kSafecellTableKey)));
}

} // namespace safecell
