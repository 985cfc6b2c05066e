// SQL against the workspace database, inside the sandbox: result sets as
// tables; the workspace read-only, confirmed writes in the scratch database.
#include "SandboxRun.h"

#include "sandbox/CsvImport.h"
#include "sandbox/LocalSandbox.h"
#include "sandbox/ScratchDatabase.h"
#include "sandbox/WorkspaceDatabase.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace safecell;
using namespace safecell::test;
using namespace Qt::StringLiterals;

namespace {

// Sandboxed code runs as uid 65534 when the tests run as root.
void handToSandbox(const QString &path)
{
    if (geteuid() == 0)
        QVERIFY(chown(QFile::encodeName(path).constData(), 65534, 65534) == 0);
}

} // namespace

class TestSqlWorkspace : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString makeDatabase(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
            db.setDatabaseName(path);
            if (!db.open())
                return {};
            QSqlQuery query(db);
            query.exec(u"CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(40) NOT NULL)"_s);
            query.exec(u"INSERT INTO notes (body) VALUES ('first'), ('second')"_s);
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        handToSandbox(m_dir.path());
        handToSandbox(path);
        return path;
    }

    static QByteArray fileBytes(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    static QString errorText(const SandboxRun &run)
    {
        return run.outcome.error ? run.outcome.error->value : run.outcome.message;
    }

    qint64 countNotes(const QString &path)
    {
        qint64 count = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"count"_s);
            db.setDatabaseName(path);
            if (db.open()) {
                QSqlQuery query(u"SELECT COUNT(*) FROM notes"_s, db);
                if (query.next())
                    count = query.value(0).toLongLong();
                db.close();
            }
        }
        QSqlDatabase::removeDatabase(u"count"_s);
        return count;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                | QFileDevice::ReadOther | QFileDevice::ExeOther);
    }

    void selectOnTheExampleDatabaseReturnsRows()
    {
        LocalSandbox box(SandboxLimits{});
        const SandboxRun run = sql(box, u"SELECT sku, name, unit_price FROM products ORDER BY product_id"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(run.results.size(), 1);
        const RichResult &result = run.results.first();
        QVERIFY(result.isMainResult);
        QVERIFY(result.table);
        QCOMPARE(result.table->columns, (QStringList{u"sku"_s, u"name"_s, u"unit_price"_s}));
        QCOMPARE(result.table->types, (QStringList{u"TEXT"_s, u"TEXT"_s, u"NUMERIC(10, 2)"_s}));
        QCOMPARE(result.table->totalRows, 12);
        QCOMPARE(result.table->rows.size(), 12);
        QCOMPARE(result.table->rows.first(), (QStringList{u"SKU-1000"_s, u"Espresso beans 1 kg"_s, u"24.9"_s}));
        QVERIFY(result.text.contains(u"Espresso beans"_s));
    }

    void severalStatementsGiveTheirResultSetsInOrder()
    {
        LocalSandbox box(SandboxLimits{});
        const SandboxRun run = sql(box, u"-- first; a comment with a semicolon\n"
                                        "SELECT COUNT(*) AS customers FROM customers;\n"
                                        "SELECT 'a;b' AS text, NULL AS missing, 2.5 AS ratio;\n"
                                        "SELECT name FROM regions ORDER BY region_id"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed,
                 qPrintable(run.outcome.error ? run.outcome.error->traceback : run.outcome.message));
        QCOMPARE(run.results.size(), 3);
        QCOMPARE(run.results.at(0).table->rows, (QList<QStringList>{{u"40"_s}}));
        QCOMPARE(run.results.at(0).table->types, (QStringList{u"INTEGER"_s}));
        QCOMPARE(run.results.at(1).table->columns, (QStringList{u"text"_s, u"missing"_s, u"ratio"_s}));
        QCOMPARE(run.results.at(1).table->rows.first().at(0), u"a;b"_s);
        QVERIFY(run.results.at(1).table->rows.first().at(1).isNull());
        QCOMPARE(run.results.at(2).table->totalRows, 5);
        QVERIFY(!run.results.at(0).isMainResult);
        QVERIFY(run.results.at(2).isMainResult);
    }

    void rowCapKeepsTheTrueCount()
    {
        auto limits = SandboxLimits{};
        limits.resultRowCap = 10;
        LocalSandbox box(limits);
        const SandboxRun run = sql(box, u"SELECT * FROM order_items"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(run.results.first().table->rows.size(), 10);
        const SandboxRun count = sql(box, u"SELECT COUNT(*) FROM order_items"_s);
        QCOMPARE(run.results.first().table->totalRows, count.results.first().table->rows.first().first().toLongLong());
        QVERIFY(run.results.first().table->totalRows > 10);
    }

    void writeWithoutPermissionIsRefusedByTheDatabase()
    {
        auto limits = SandboxLimits{};
        limits.workspaceDatabase = makeDatabase(u"readonly.sqlite"_s);
        LocalSandbox box(limits);
        const SandboxRun run = sql(box, u"SELECT COUNT(*) FROM notes; DELETE FROM notes; SELECT 1"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QVERIFY2(run.outcome.error->value.contains(u"readonly"_s), qPrintable(run.outcome.error->value));
        QCOMPARE(run.results.size(), 1); // the result set before the failing statement
        QCOMPARE(countNotes(limits.workspaceDatabase), 2);
        // Even a trick to reopen the file read-write inside SQL fails.
        const SandboxRun attach = sql(box,
                                      u"ATTACH 'file:/workspace/database.sqlite?mode=rw' AS w; DELETE FROM w.notes"_s);
        QCOMPARE(attach.outcome.status, ExecutionStatus::Raised);
        QCOMPARE(countNotes(limits.workspaceDatabase), 2);
    }

    // Issue 20: the workspace stays read-only, a confirmed write goes to the
    // session's scratch database, and later runs of the session see it.
    void aConfirmedWriteLandsInTheScratchDatabase()
    {
        LocalSandbox box(SandboxLimits{});
        const SandboxRun write = sql(box, u"CREATE TABLE t(x); INSERT INTO t VALUES (1); SELECT x FROM t"_s, true);
        QVERIFY2(write.outcome.status == ExecutionStatus::Completed, qPrintable(errorText(write)));
        QCOMPARE(write.results.last().table->rows, (QList<QStringList>{{u"1"_s}}));
        // A later, read-only run of the same session sees the table, and the
        // example's tables by their plain names beside it.
        const SandboxRun read = sql(box, u"SELECT x, (SELECT COUNT(*) FROM regions) FROM t"_s);
        QVERIFY2(read.outcome.status == ExecutionStatus::Completed, qPrintable(errorText(read)));
        QCOMPARE(read.results.last().table->rows, (QList<QStringList>{{u"1"_s, u"5"_s}}));
        const SandboxRun copy = sql(box,
                                    u"CREATE TABLE my_regions AS SELECT * FROM regions; "
                                    "SELECT COUNT(*) FROM main.my_regions"_s,
                                    true);
        QVERIFY2(copy.outcome.status == ExecutionStatus::Completed, qPrintable(errorText(copy)));
        QCOMPARE(copy.results.last().table->rows, (QList<QStringList>{{u"5"_s}}));
    }

    void aWriteToTheBundledDatabaseFailsAndSaysWhereWritesGo()
    {
        LocalSandbox box(SandboxLimits{});
        const SandboxRun run = sql(box, u"INSERT INTO regions (name) VALUES ('Moon')"_s, true);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        const QString message = run.outcome.error->value;
        QVERIFY2(message.contains(u"workspace database"_s) && message.contains(u"read-only"_s)
                     && message.contains(u"scratch database"_s),
                 qPrintable(message));
        const SandboxRun count = sql(box, u"SELECT COUNT(*) FROM regions"_s);
        QCOMPARE(count.results.first().table->rows, (QList<QStringList>{{u"5"_s}}));
    }

    void aWriteToTheAnalystsDatabaseLeavesTheFileUnchanged()
    {
        auto limits = SandboxLimits{};
        limits.workspaceDatabase = makeDatabase(u"chosen.sqlite"_s);
        const QByteArray before = fileBytes(limits.workspaceDatabase);
        LocalSandbox box(limits);
        const SandboxRun run = sql(box, u"INSERT INTO notes (body) VALUES ('third'); SELECT body FROM notes"_s, true);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QVERIFY2(run.outcome.error->value.contains(u"read-only"_s), qPrintable(run.outcome.error->value));
        QCOMPARE(countNotes(limits.workspaceDatabase), 2);
        QCOMPARE(fileBytes(limits.workspaceDatabase), before);
        // Its tables keep their declared types through the attachment.
        const SandboxRun read = sql(box, u"SELECT body FROM notes ORDER BY id"_s);
        QCOMPARE(read.results.last().table->types, (QStringList{u"VARCHAR(40)"_s}));
    }

    void anUnconfirmedWriteIsRefusedAndSaysWhy()
    {
        LocalSandbox box(SandboxLimits{});
        const SandboxRun run = sql(box, u"CREATE TABLE t(x)"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QVERIFY2(run.outcome.error->value.contains(u"confirm"_s), qPrintable(run.outcome.error->value));
        const SandboxRun read = sql(box, u"SELECT name FROM sqlite_master WHERE name = 't'"_s);
        QCOMPARE(read.results.first().table->totalRows, 0);
    }

    void theScratchDatabaseSavesAsAValidSqliteFile()
    {
        auto folder = ScratchFolder::create(m_dir.path());
        QVERIFY2(folder, qPrintable(folder ? QString() : folder.error()));
        auto limits = SandboxLimits{};
        limits.scratchFolder = (*folder)->path();
        LocalSandbox box(limits);
        QVERIFY(!(*folder)->hasDatabase());
        QVERIFY(!saveDatabaseCopy((*folder)->databasePath(), m_dir.filePath(u"none.sqlite"_s)));
        const SandboxRun write = sql(box, u"CREATE TABLE kept(name TEXT); INSERT INTO kept VALUES ('saved')"_s, true);
        QVERIFY2(write.outcome.status == ExecutionStatus::Completed, qPrintable(errorText(write)));
        QVERIFY((*folder)->hasDatabase());

        const QString target = m_dir.filePath(u"saved.sqlite"_s);
        QFile stale(target);
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write("not a database");
        stale.close();
        const auto saved = saveDatabaseCopy((*folder)->databasePath(), target);
        QVERIFY2(saved, qPrintable(saved ? QString() : saved.error()));
        QVERIFY(fileBytes(target).startsWith(QByteArray("SQLite format 3\0", 16)));
        QString value;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"saved"_s);
            db.setDatabaseName(target);
            QVERIFY(db.open());
            QSqlQuery query(u"SELECT name FROM kept"_s, db);
            if (query.next())
                value = query.value(0).toString();
            db.close();
        }
        QSqlDatabase::removeDatabase(u"saved"_s);
        QCOMPARE(value, u"saved"_s);
    }

    // Issue 20 item 2: a CSV loaded on the host into the scratch database is
    // a table the session queries, and a confirmed write can still change it
    // (as root, the file stays the sandbox user's).
    void aCsvLoadedIntoTheScratchDatabaseIsQueried()
    {
        auto folder = ScratchFolder::create(m_dir.path());
        QVERIFY(folder);
        const QString csv = m_dir.filePath(u"visits.csv"_s);
        {
            QFile file(csv);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("day,visitors\n2024-01-01,12\n2024-01-02,30\n");
        }
        const auto plan = inspectCsv(csv);
        QVERIFY(plan);
        QCOMPARE(plan->columns.at(1).type, u"INTEGER"_s);
        const auto loaded = loadCsv(csv, *plan, (*folder)->databasePath());
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error()));
        auto limits = SandboxLimits{};
        limits.scratchFolder = (*folder)->path();
        LocalSandbox box(limits);
        const SandboxRun read = sql(box, u"SELECT SUM(visitors) AS total FROM visits"_s);
        QVERIFY2(read.outcome.status == ExecutionStatus::Completed, qPrintable(errorText(read)));
        QCOMPARE(read.results.last().table->rows, (QList<QStringList>{{u"42"_s}}));
        QCOMPARE(read.results.last().table->types, (QStringList{u"INTEGER"_s}));
        const SandboxRun write = sql(box, u"INSERT INTO visits VALUES ('2024-01-03', 8); SELECT COUNT(*) FROM visits"_s,
                                     true);
        QVERIFY2(write.outcome.status == ExecutionStatus::Completed, qPrintable(errorText(write)));
        QCOMPARE(write.results.last().table->rows, (QList<QStringList>{{u"3"_s}}));
    }

    void onlyTheDatabaseIsVisibleNotItsFolder()
    {
        auto limits = SandboxLimits{};
        limits.workspaceDatabase = makeDatabase(u"private.sqlite"_s);
        // A neighbour in the same folder, with a table of its own.
        makeDatabase(u"other.sqlite"_s);
        LocalSandbox box(limits);
        const SandboxRun run = sql(box, u"ATTACH '/workspace/other.sqlite' AS o; SELECT name FROM o.sqlite_master"_s);
        if (run.outcome.status == ExecutionStatus::Completed) {
            QCOMPARE(run.results.size(), 1);
            QCOMPARE(run.results.first().table->totalRows, 0); // an empty stand-in, not the neighbour
        } else {
            QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        }
    }

    void sqlErrorsAreReported()
    {
        LocalSandbox box(SandboxLimits{});
        const SandboxRun run = sql(box, u"SELECT * FROM no_such_table"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QCOMPARE(run.errorName(), u"OperationalError"_s);
        QVERIFY(run.outcome.error->value.contains(u"no such table"_s));
    }

    void aLongQueryIsInterruptedAtTheTimeLimit()
    {
        LocalSandbox box(SandboxLimits{});
        const SandboxRun run = runIn(box, {u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                                           "SELECT COUNT(*) FROM n"_s,
                                           Language::Sql, 1000, false});
        QCOMPARE(run.outcome.status, ExecutionStatus::TimedOut);
        QVERIFY(!run.outcome.sessionLost);
    }

    void pythonDoesNotSeeTheWorkspaceFolder()
    {
        auto limits = SandboxLimits{};
        limits.workspaceDatabase = makeDatabase(u"hidden.sqlite"_s);
        LocalSandbox box(limits);
        const SandboxRun run = python(box,
                                      u"import os\nprint(os.path.exists('/workspace'), os.path.exists('%1'))"_s.arg(
                                          limits.workspaceDatabase));
        QCOMPARE(run.out, u"False False\n"_s);
    }
};

QTEST_GUILESS_MAIN(TestSqlWorkspace)
#include "tst_sqlworkspace.moc"
