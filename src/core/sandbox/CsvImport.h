#pragma once

#include "common/Expected.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace safecell {

// A CSV or TSV file loaded as a table of the session's scratch database
// (issue 20 item 2), in two steps so the analyst sees the inferred column
// types before anything is written: inspectCsv() reads a sample and plans
// the table, loadCsv() creates it and inserts every row.

struct CsvColumn {
    QString name; // from the header, made unique; "column_N" when empty
    QString type; // INTEGER, REAL or TEXT: what every sampled value fits
};

struct CsvPlan {
    QString table; // from the file's name, an SQL identifier
    QChar delimiter = QLatin1Char(',');
    QList<CsvColumn> columns;
    qint64 sampledRows = 0;
    QList<QStringList> preview; // the first few data rows, as read
};

// Reads the header and up to `sampleRows` rows: the delimiter (tab for
// .tsv or when the header has more tabs than commas, else ';' the same
// way, else ','), the columns and their types. Empty cells are NULL and
// do not decide a type.
Expected<CsvPlan, QString> inspectCsv(const QString &path, int sampleRows = 1000);

// Creates `plan.table` in the SQLite database `databasePath` (created if
// missing) and inserts every row of the file in one transaction; an
// existing table of that name is an error, never replaced. Returns the
// number of rows loaded. As root the database keeps its folder's owner (the
// sandbox user owns the scratch folder).
Expected<qint64, QString> loadCsv(const QString &path, const CsvPlan &plan, const QString &databasePath);

// One record of CSV text (RFC 4180 quotes, doubled quotes inside); exposed
// for tests. `line` may hold several physical lines when a quote spans them.
QStringList splitCsvRecord(const QString &line, QChar delimiter);

} // namespace safecell
