#include "DatabaseSchema.h"

#include "common/Logging.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace safecell {

namespace {

QString quoted(const QString &identifier)
{
    QString text = identifier;
    text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QList<SchemaColumn> columnsOf(QSqlDatabase &db, const QString &table)
{
    QList<SchemaColumn> columns;
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA table_info(%1)").arg(quoted(table))))
        return columns;
    while (query.next()) // cid, name, type, notnull, dflt_value, pk
        columns.append({query.value(1).toString(), query.value(2).toString(), query.value(5).toInt() > 0});
    return columns;
}

qint64 rowCountOf(QSqlDatabase &db, const QString &table)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(quoted(table))) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

QString readTables(QSqlDatabase &db, QList<SchemaTable> *tables)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
                                   "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name")))
        return query.lastError().text();
    while (query.next()) {
        SchemaTable table;
        table.name = query.value(0).toString();
        table.view = query.value(1).toString() == QLatin1String("view");
        tables->append(table);
    }
    query.finish();
    for (SchemaTable &table : *tables) {
        table.columns = columnsOf(db, table.name);
        if (!table.view) // a view's count may run a whole query
            table.rowCount = rowCountOf(db, table.name);
    }
    return {};
}

} // namespace

DatabaseSchema readDatabaseSchema(const SchemaSource &source)
{
    DatabaseSchema schema;
    schema.source = source;
    if (!QFileInfo(source.path).isFile()) {
        schema.exists = false;
        return schema;
    }
    const QString connection = QStringLiteral("safecell-schema-") + QUuid::createUuid().toString(QUuid::Id128);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(source.path);
        // Read-only: a browser never changes, nor creates, a database.
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=2000"));
        if (!db.open())
            schema.error = db.lastError().text();
        else
            schema.error = readTables(db, &schema.tables);
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    if (!schema.error.isEmpty())
        qCWarning(lcSandbox) << "could not read the schema of" << source.schema << ":" << schema.error;
    return schema;
}

QString selectTopQuery(const QString &schema, const QString &table, int rows)
{
    return QStringLiteral("SELECT * FROM %1.%2 LIMIT %3;\n").arg(schema, quoted(table)).arg(rows);
}

} // namespace safecell
