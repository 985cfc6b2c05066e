#include "CsvImport.h"

#include "common/Logging.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>
#include <QUuid>

#include <algorithm>

#include <sys/stat.h>
#include <unistd.h>

namespace safecell {

namespace {

constexpr int kPreviewRows = 5;

// Records of a CSV file, a quoted field's line breaks included.
class CsvReader {
public:
    CsvReader(QFile &file, QChar delimiter)
        : m_stream(&file)
        , m_delimiter(delimiter)
    {
    }

    // False at the end of the file.
    bool next(QStringList *record)
    {
        QString text;
        while (!m_stream.atEnd()) {
            const QString line = m_stream.readLine();
            text = text.isNull() ? line : text + QLatin1Char('\n') + line;
            if (text.count(QLatin1Char('"')) % 2 == 0)
                break; // no quote left open
        }
        if (text.isNull())
            return false;
        *record = splitCsvRecord(text, m_delimiter);
        return true;
    }

private:
    QTextStream m_stream;
    QChar m_delimiter;
};

QString identifier(const QString &text, const QString &fallback)
{
    static const QRegularExpression other(QStringLiteral("[^A-Za-z0-9_]+"));
    QString name = text.trimmed();
    name.replace(other, QStringLiteral("_"));
    if (name.isEmpty() || name == QLatin1String("_"))
        return fallback;
    if (name.front().isDigit())
        name.prepend(QLatin1Char('_'));
    return name;
}

QString quoted(const QString &name)
{
    QString text = name;
    text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

enum class Kind { Empty, Integer, Real, Text };

Kind kindOf(const QString &value)
{
    if (value.isEmpty())
        return Kind::Empty;
    bool ok = false;
    value.toLongLong(&ok);
    if (ok)
        return Kind::Integer;
    value.toDouble(&ok); // C locale: "1.5", never "1,5"
    return ok ? Kind::Real : Kind::Text;
}

QString typeName(Kind kind)
{
    switch (kind) {
    case Kind::Integer:
        return QStringLiteral("INTEGER");
    case Kind::Real:
        return QStringLiteral("REAL");
    default:
        return QStringLiteral("TEXT");
    }
}

QChar delimiterFor(const QString &path, const QString &header)
{
    if (path.endsWith(QLatin1String(".tsv"), Qt::CaseInsensitive))
        return QLatin1Char('\t');
    const qsizetype commas = header.count(QLatin1Char(','));
    if (header.count(QLatin1Char('\t')) > commas)
        return QLatin1Char('\t');
    if (header.count(QLatin1Char(';')) > commas)
        return QLatin1Char(';');
    return QLatin1Char(',');
}

QVariant valueFor(const QString &text, const QString &type)
{
    if (text.isEmpty())
        return QVariant(); // NULL
    bool ok = false;
    if (type == QLatin1String("INTEGER")) {
        const qlonglong number = text.toLongLong(&ok);
        if (ok)
            return number;
    } else if (type == QLatin1String("REAL")) {
        const double number = text.toDouble(&ok);
        if (ok)
            return number;
    }
    return text;
}

// As root, a file we create in the sandbox user's folder must be theirs,
// or a later sandboxed write to it fails.
void keepFolderOwner(const QString &path)
{
    if (geteuid() != 0)
        return;
    struct stat folder {};
    if (::stat(QFile::encodeName(QFileInfo(path).absolutePath()).constData(), &folder) == 0)
        (void)!::chown(QFile::encodeName(path).constData(), folder.st_uid, folder.st_gid);
}

} // namespace

QStringList splitCsvRecord(const QString &line, QChar delimiter)
{
    QStringList fields;
    QString field;
    bool inQuotes = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (inQuotes) {
            if (c == QLatin1Char('"') && i + 1 < line.size() && line.at(i + 1) == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                inQuotes = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            inQuotes = true;
        } else if (c == delimiter) {
            fields << field;
            field.clear();
        } else if (c != QLatin1Char('\r')) {
            field += c;
        }
    }
    fields << field;
    return fields;
}

Expected<CsvPlan, QString> inspectCsv(const QString &path, int sampleRows)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return unexpected(QStringLiteral("Could not read %1: %2").arg(path, file.errorString()));
    const QString firstLine = QString::fromUtf8(file.peek(64 * 1024)).section(QLatin1Char('\n'), 0, 0);
    CsvPlan plan;
    plan.delimiter = delimiterFor(path, firstLine);
    plan.table = identifier(QFileInfo(path).completeBaseName(), QStringLiteral("data")).toLower();
    CsvReader reader(file, plan.delimiter);
    QStringList header;
    if (!reader.next(&header) || (header.size() == 1 && header.first().trimmed().isEmpty()))
        return unexpected(QStringLiteral("%1 is empty: a CSV file starts with a header line.").arg(path));
    QSet<QString> taken;
    for (qsizetype i = 0; i < header.size(); ++i) {
        QString name = identifier(header.at(i), QStringLiteral("column_%1").arg(i + 1));
        for (int n = 2; taken.contains(name.toLower()); ++n)
            name = identifier(header.at(i), QStringLiteral("column")) + QStringLiteral("_%1").arg(n);
        taken.insert(name.toLower());
        plan.columns.append({name, QString()});
    }
    QList<Kind> kinds(plan.columns.size(), Kind::Empty);
    QStringList record;
    while (plan.sampledRows < sampleRows && reader.next(&record)) {
        if (record.size() == 1 && record.first().isEmpty())
            continue; // a blank line
        for (qsizetype i = 0; i < record.size() && i < kinds.size(); ++i)
            kinds[i] = std::max(kinds[i], kindOf(record.at(i).trimmed()));
        if (plan.preview.size() < kPreviewRows)
            plan.preview.append(record);
        ++plan.sampledRows;
    }
    for (qsizetype i = 0; i < plan.columns.size(); ++i)
        plan.columns[i].type = typeName(kinds.at(i));
    return plan;
}

Expected<qint64, QString> loadCsv(const QString &path, const CsvPlan &plan, const QString &databasePath)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return unexpected(QStringLiteral("Could not read %1: %2").arg(path, file.errorString()));
    if (plan.columns.isEmpty())
        return unexpected(QStringLiteral("The plan for %1 has no columns.").arg(path));
    const bool existed = QFileInfo::exists(databasePath);
    const QString connection = QStringLiteral("safecell-csv-") + QUuid::createUuid().toString(QUuid::Id128);
    QString error;
    qint64 rows = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(databasePath);
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            query.prepare(QStringLiteral("SELECT 1 FROM sqlite_master WHERE name = ? COLLATE NOCASE"));
            query.addBindValue(plan.table);
            if (query.exec() && query.next())
                error = QStringLiteral("the table %1 already exists; drop it first or load under another name")
                            .arg(plan.table);
            QStringList definitions;
            QStringList marks;
            for (const CsvColumn &column : plan.columns) {
                definitions << quoted(column.name) + QLatin1Char(' ') + column.type;
                marks << QStringLiteral("?");
            }
            db.transaction();
            if (error.isEmpty()
                && !query.exec(QStringLiteral("CREATE TABLE %1 (%2)").arg(quoted(plan.table), definitions.join(u", "))))
                error = query.lastError().text();
            if (error.isEmpty()
                && !query.prepare(
                    QStringLiteral("INSERT INTO %1 VALUES (%2)").arg(quoted(plan.table), marks.join(u", "))))
                error = query.lastError().text();
            CsvReader reader(file, plan.delimiter);
            QStringList record;
            reader.next(&record); // the header
            qint64 line = 1;
            while (error.isEmpty() && reader.next(&record)) {
                ++line;
                if (record.size() == 1 && record.first().isEmpty())
                    continue;
                if (record.size() > plan.columns.size()) {
                    error = QStringLiteral("record %1 has %2 fields, the header %3")
                                .arg(line)
                                .arg(record.size())
                                .arg(plan.columns.size());
                    break;
                }
                for (qsizetype i = 0; i < plan.columns.size(); ++i)
                    query.bindValue(int(i), valueFor(record.value(i).trimmed(), plan.columns.at(i).type));
                if (!query.exec())
                    error = query.lastError().text();
                else
                    ++rows;
            }
            query.finish();
            if (error.isEmpty())
                db.commit();
            else
                db.rollback();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    if (!existed && QFileInfo::exists(databasePath))
        keepFolderOwner(databasePath);
    if (!error.isEmpty())
        return unexpected(QStringLiteral("Could not load %1 into the scratch database: %2").arg(path, error));
    qCInfo(lcSandbox) << "loaded" << rows << "rows into a scratch table";
    return rows;
}

} // namespace safecell
