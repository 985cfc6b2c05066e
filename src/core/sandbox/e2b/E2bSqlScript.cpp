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
    if (config.workspaceDatabase.isEmpty()) {
        *error = QStringLiteral("SQL on E2B needs a workspace database, and none is set.");
        return {};
    }
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

QString pythonStringLiteral(const QString &text)
{
    const QByteArray json = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2)); // drop [ and ]
}

QString e2bSqlScript(const QString &query, const QString &databasePath, bool allowWrites, int maxRows)
{
    // Names start with _safecell_ so the analyst's own variables are left alone.
    const QString uri = QStringLiteral("file:") + databasePath + (allowWrites ? QString() : QStringLiteral("?mode=ro"));
    return QStringLiteral(
               "def _safecell_sql():\n"
               "    import sqlite3\n"
               "    connection = sqlite3.connect(%1, uri=True)\n"
               "    try:\n"
               "        cursor = connection.execute(%2)\n"
               "        columns = [d[0] for d in (cursor.description or [])]\n"
               "        rows, total, types = [], 0, [''] * len(columns)\n"
               "        for row in cursor:\n"
               "            total += 1\n"
               "            if len(rows) < %3:\n"
               "                rows.append([v if v is None or isinstance(v, (int, float, str)) else repr(v) for v in row])\n"
               "            for i, v in enumerate(row):\n"
               "                if not types[i] and v is not None:\n"
               "                    types[i] = type(v).__name__\n"
               "        connection.commit()\n"
               "        return {'columns': columns, 'types': types, 'rows': rows, 'total_rows': total}\n"
               "    finally:\n"
               "        connection.close()\n"
               "from IPython.display import display as _safecell_display\n"
               "_safecell_display({'application/json': {%4: _safecell_sql()}}, raw=True)\n"
               "del _safecell_sql, _safecell_display\n")
        // One arg() call: a "%1" inside the query must not be substituted.
        .arg(pythonStringLiteral(uri), pythonStringLiteral(query), QString::number(maxRows),
             pythonStringLiteral(QString::fromLatin1(kSafecellTableKey)));
}

} // namespace safecell
