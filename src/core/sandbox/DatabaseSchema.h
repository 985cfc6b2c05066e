#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace safecell {

// What the schema browser shows of an SQLite database: its tables and
// views, their columns with declared types, and each table's row count.
// Read on the host, read-only, off the GUI thread (the caller's job).

struct SchemaColumn {
    QString name;
    QString type; // as declared; empty when none was
    bool primaryKey = false;
};

struct SchemaTable {
    QString name;
    bool view = false;
    QList<SchemaColumn> columns;
    qint64 rowCount = -1; // -1: not counted (a view)
};

// One database as SQL sees it: `schema` is the name a query uses
// (kWorkspaceSchema, kScratchSchema), `title` what the browser says.
struct SchemaSource {
    QString schema;
    QString title;
    QString path; // on the host; may not exist yet (the scratch database)
};

struct DatabaseSchema {
    SchemaSource source;
    QList<SchemaTable> tables;
    QString error; // the database could not be read; empty: it could (or does not exist yet)
    bool exists = true;
};

// Reads one database read-only; never creates a file that is not there.
DatabaseSchema readDatabaseSchema(const SchemaSource &source);

// "SELECT * FROM schema."table" LIMIT rows", quoted for any name.
QString selectTopQuery(const QString &schema, const QString &table, int rows = 100);

} // namespace safecell

Q_DECLARE_METATYPE(safecell::DatabaseSchema)
