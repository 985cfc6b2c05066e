// Issue 20 item 2: a shared SQLite file is a database of SQL runs,
// attached read-only under a schema named after it, on the real local
// sandbox; a write to it is refused with the reason, a file that is not a
// database says which one, and the schema names never collide.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"
#include "sandbox/SharedData.h"
#include "sandbox/SharedDatabases.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace safecell::test;
using namespace Qt::StringLiterals;

namespace {

SandboxRun sqlWith(Sandbox &box, const QString &code, const QList<SharedPath> &shares, bool allowWrites = false)
{
    ExecutionRequest request{code, Language::Sql, 30000, allowWrites};
    request.shares = shares;
    return runIn(box, request, 60000);
}

std::optional<TableData> tableOf(const SandboxRun &run)
{
    for (const RichResult &result : run.results) {
        if (result.table)
            return result.table;
    }
    return std::nullopt;
}

QByteArray digestOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256)
                                          : QByteArray();
}

SharedPath share(const QString &name)
{
    SharedPath path;
    path.hostPath = u"/host/"_s + name;
    path.name = name;
    path.kind = sharedKindOf(name, false);
    return path;
}

} // namespace

class TestSqlShares : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_host;
    SharedData m_shared;
    QString m_sales;
    std::unique_ptr<LocalSandbox> m_box;

private Q_SLOTS:
    void initTestCase()
    {
        // Readable by others: as root, snippets run as nobody.
        QVERIFY(QFile::setPermissions(m_host.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                         | QFile::ReadOther | QFile::ExeOther));
        // A WAL database, as many apps leave them: read-only it needs immutable=1.
        m_sales = m_host.filePath(u"Sales 2024.sqlite"_s);
        QProcess python;
        python.start(SandboxLimits{}.python,
                     {u"-c"_s,
                      u"import sqlite3, sys\n"
                      "db = sqlite3.connect(sys.argv[1])\n"
                      "db.execute('PRAGMA journal_mode=WAL')\n"
                      "db.execute('CREATE TABLE orders (region TEXT, total REAL)')\n"
                      "db.executemany('INSERT INTO orders VALUES (?, ?)', [('north', 10.5), ('south', 20)])\n"
                      "db.commit()\n"_s,
                      m_sales});
        QVERIFY(python.waitForFinished(30000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QVERIFY(QFile::setPermissions(m_sales, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        QVERIFY(m_shared.add(m_sales));
        m_box = std::make_unique<LocalSandbox>(SandboxLimits{});
    }
    void cleanupTestCase() { m_box.reset(); }

    void aSharedDatabaseIsQueriedUnderItsSchema()
    {
        const SandboxRun run = sqlWith(*m_box, u"SELECT region, total FROM sales_2024.orders ORDER BY total DESC"_s,
                                       m_shared.paths());
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed,
                 qPrintable(run.outcome.error ? run.outcome.error->value : run.outcome.message));
        const auto table = tableOf(run);
        QVERIFY(table);
        QCOMPARE(table->rows, (QList<QStringList>{{u"south"_s, u"20.0"_s}, {u"north"_s, u"10.5"_s}}));
        // The workspace is still there beside it.
        QCOMPARE(sqlWith(*m_box, u"SELECT count(*) FROM workspace.sqlite_master"_s, m_shared.paths()).outcome.status,
                 ExecutionStatus::Completed);
    }

    // Another app has the database open and its last commits are in the
    // write-ahead log, not yet in the file: the run reads them too, through
    // the log bound beside the file for the run.
    void commitsStillInTheLogOfALiveDatabaseAreRead()
    {
        const QString live = m_host.filePath(u"live.sqlite"_s);
        QProcess writer;
        writer.start(SandboxLimits{}.python, {u"-c"_s,
                                              u"import sqlite3, sys\n"
                                              "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                                              "db.execute('PRAGMA journal_mode=WAL')\n"
                                              "db.execute('PRAGMA wal_autocheckpoint=0')\n"
                                              "db.execute('CREATE TABLE t (x)')\n"
                                              "db.execute('INSERT INTO t VALUES (1), (2), (3)')\n"
                                              "print('ready', flush=True)\n"
                                              "sys.stdin.read()\n"_s,
                                              live});
        QVERIFY(writer.waitForReadyRead(30000));
        QCOMPARE(writer.readAllStandardOutput().trimmed(), QByteArray("ready"));
        for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s})
            QVERIFY(QFile::setPermissions(live + suffix, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        SharedData shared;
        QVERIFY(shared.add(live));
        const SandboxRun run = sqlWith(*m_box, u"SELECT count(*) FROM live.t"_s, shared.paths());
        writer.closeWriteChannel();
        QVERIFY(writer.waitForFinished(30000));
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed,
                 qPrintable(run.outcome.error ? run.outcome.error->value : run.outcome.message));
        const auto table = tableOf(run);
        QVERIFY(table);
        QCOMPARE(table->rows, (QList<QStringList>{{u"3"_s}}));
    }

    // A "-wal" beside a shared file that is a link could point at anything
    // on this machine: it is not bound, and the file is read as it is.
    void aLogThatIsALinkIsNotBound()
    {
        const QString linked = m_host.filePath(u"linked.sqlite"_s);
        QVERIFY(QFile::copy(m_sales, linked));
        QVERIFY(QFile::link(u"/etc/hostname"_s, linked + u"-wal"_s));
        SharedData shared;
        QVERIFY(shared.add(linked));
        QVERIFY(shared.add(m_sales));
        const QStringList args = sqliteLogMountArguments(sharedDatabases(shared.paths()), shared.paths());
        QVERIFY2(!args.join(u' ').contains(u"linked"_s), qPrintable(args.join(u' ')));
        const SandboxRun run = sqlWith(*m_box, u"SELECT count(*) FROM linked.orders"_s, shared.paths());
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed,
                 qPrintable(run.outcome.error ? run.outcome.error->value : run.outcome.message));
        QCOMPARE(tableOf(run)->rows, (QList<QStringList>{{u"2"_s}}));
    }

    void aWriteToItIsRefusedAndTheFileUntouched()
    {
        const QByteArray before = digestOf(m_sales);
        const SandboxRun run = sqlWith(*m_box, u"INSERT INTO sales_2024.orders VALUES ('east', 1)"_s, m_shared.paths(),
                                       true);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QVERIFY2(run.outcome.error->value.contains(u"read-only"_s) || run.outcome.error->value.contains(u"readonly"_s),
                 qPrintable(run.outcome.error->value));
        QCOMPARE(digestOf(m_sales), before);
    }

    void aFileThatIsNoDatabaseSaysWhich()
    {
        const QString fake = m_host.filePath(u"notes.db"_s);
        QFile file(fake);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("these are notes, not a database\n").repeated(200));
        file.close();
        QVERIFY(QFile::setPermissions(fake, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        SharedData shared = m_shared;
        QVERIFY(shared.add(fake));
        const SandboxRun run = sqlWith(*m_box, u"SELECT 1"_s, shared.paths());
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QVERIFY2(run.outcome.error->value.contains(u"/data/notes.db could not be opened as an SQLite database"_s),
                 qPrintable(run.outcome.error->value));
    }

    void schemaNamesAreIdentifiersAndNeverCollide()
    {
        const QList<SharedDatabase> databases = sharedDatabases(
            {share(u"Sales 2024.sqlite"_s), share(u"sales-2024.db"_s), share(u"main.db"_s), share(u"2023.sqlite3"_s),
             share(u"workspace.db"_s), share(u"notes.csv"_s), share(u"Order.sqlite"_s)});
        QStringList schemas;
        for (const SharedDatabase &database : databases)
            schemas << database.schema;
        QCOMPARE(schemas, (QStringList{u"sales_2024"_s, u"sales_2024_2"_s, u"main_2"_s, u"db_2023"_s, u"workspace_2"_s,
                                       u"order_db"_s})); // a keyword would need quoting in every query
        QCOMPARE(databases.first().sandboxPath, u"/data/Sales 2024.sqlite"_s);

        QList<SharedPath> many;
        for (int i = 0; i < kMaxSharedDatabases + 2; ++i)
            many << share(u"d%1.db"_s.arg(i));
        int left = 0;
        QCOMPARE(sharedDatabases(many, &left).size(), kMaxSharedDatabases);
        QCOMPARE(left, 2);
    }
};

QTEST_GUILESS_MAIN(TestSqlShares)
#include "tst_sqlshares.moc"
