#include "sandbox/e2b/E2bSqlScript.h"
#include "sandbox/e2b/NdjsonParser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;

// The SQL runner is real Python: run it with Debian's python3 against a real
// SQLite file, with a stand-in for IPython's display() that prints what E2B
// would turn into a `result` line.
class TestE2bSqlScript : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void queryComesBackAsATable();
    void readOnlyUnlessWritesAllowed();
    void quotesAndPercentSignsSurvive();
    void resultTextReadsAsTheLocalSandboxes();

private:
    QJsonObject run(const QString &script, QString *stderrText = nullptr);
    QTemporaryDir m_dir;
    QString m_database;
};

void TestE2bSqlScript::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_database = m_dir.filePath(QStringLiteral("workspace.db"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("setup"));
        db.setDatabaseName(m_database);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(db.transaction());
        QVERIFY(query.exec(QStringLiteral("CREATE TABLE people (name TEXT, age INTEGER, score REAL, photo BLOB)")));
        for (int i = 0; i < 1500; ++i)
            QVERIFY(query.exec(QStringLiteral("INSERT INTO people VALUES ('p%1', %1, %1.5, NULL)").arg(i)));
        QVERIFY(query.exec(QStringLiteral("INSERT INTO people VALUES ('it''s 100%1', NULL, NULL, x'0102')")));
        QVERIFY(db.commit());
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("setup"));
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("stub/IPython"))));
    QFile init(m_dir.filePath(QStringLiteral("stub/IPython/__init__.py")));
    QVERIFY(init.open(QIODevice::WriteOnly));
    init.close();
    QFile display(m_dir.filePath(QStringLiteral("stub/IPython/display.py")));
    QVERIFY(display.open(QIODevice::WriteOnly));
    display.write(
        "import json, sys\n"
        "def display(obj, raw=False):\n"
        "    assert raw\n"
        "    sys.stdout.write(json.dumps({'type': 'result', 'text': obj.get('text/plain'), 'json': obj['application/json'], 'is_main_result': False}) + '\\n')\n");
    display.close();
}

QJsonObject TestE2bSqlScript::run(const QString &script, QString *stderrText)
{
    QProcess python;
    QProcessEnvironment env;
    env.insert(QStringLiteral("PYTHONPATH"), m_dir.filePath(QStringLiteral("stub")));
    python.setProcessEnvironment(env);
    python.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-")});
    python.write(script.toUtf8());
    python.closeWriteChannel();
    if (!python.waitForFinished(30000))
        return {};
    if (stderrText)
        *stderrText = QString::fromUtf8(python.readAllStandardError());
    NdjsonParser parser;
    QList<NdjsonEvent> events = parser.feed(python.readAllStandardOutput());
    events += parser.finish();
    if (events.size() != 1 || events.first().kind != NdjsonEvent::Kind::Result || !events.first().result.table)
        return {};
    const TableData table = *events.first().result.table;
    QJsonObject out;
    out.insert(QStringLiteral("columns"), QJsonValue::fromVariant(table.columns));
    out.insert(QStringLiteral("types"), QJsonValue::fromVariant(table.types));
    out.insert(QStringLiteral("rows"), qint64(table.rows.size()));
    out.insert(QStringLiteral("total"), table.totalRows);
    out.insert(QStringLiteral("first"), QJsonValue::fromVariant(table.rows.value(0)));
    out.insert(QStringLiteral("last"), QJsonValue::fromVariant(table.rows.value(table.rows.size() - 1)));
    out.insert(QStringLiteral("text"), events.first().result.text);
    out.insert(QStringLiteral("main"), events.first().result.isMainResult);
    return out;
}

void TestE2bSqlScript::queryComesBackAsATable()
{
    const QJsonObject table = run(
        e2bSqlScript(QStringLiteral("SELECT name, age, score FROM people ORDER BY rowid"), m_database, false, 1000));
    QCOMPARE(table.value(QLatin1String("columns")).toVariant().toStringList(),
             (QStringList{QStringLiteral("name"), QStringLiteral("age"), QStringLiteral("score")}));
    QCOMPARE(table.value(QLatin1String("types")).toVariant().toStringList(),
             (QStringList{QStringLiteral("str"), QStringLiteral("int"), QStringLiteral("float")}));
    QCOMPARE(table.value(QLatin1String("rows")).toInteger(), 1000);
    QCOMPARE(table.value(QLatin1String("total")).toInteger(), 1501);
    QCOMPARE(table.value(QLatin1String("first")).toVariant().toStringList(),
             (QStringList{QStringLiteral("p0"), QStringLiteral("0"), QStringLiteral("0.5")}));
}

void TestE2bSqlScript::readOnlyUnlessWritesAllowed()
{
    QString errors;
    const QJsonObject refused = run(e2bSqlScript(QStringLiteral("DELETE FROM people"), m_database, false, 10), &errors);
    QVERIFY(refused.isEmpty());
    QVERIFY2(errors.contains(QStringLiteral("readonly")), qPrintable(errors));
    const QJsonObject count = run(
        e2bSqlScript(QStringLiteral("SELECT count(*) AS n FROM people"), m_database, false, 10));
    QCOMPARE(count.value(QLatin1String("first")).toVariant().toStringList(), QStringList{QStringLiteral("1501")});

    const QJsonObject written = run(
        e2bSqlScript(QStringLiteral("UPDATE people SET age = 7 WHERE name = 'p1'"), m_database, true, 10));
    QCOMPARE(written.value(QLatin1String("columns")).toVariant().toStringList(), QStringList());
    const QJsonObject check = run(
        e2bSqlScript(QStringLiteral("SELECT age FROM people WHERE name = 'p1'"), m_database, false, 10));
    QCOMPARE(check.value(QLatin1String("first")).toVariant().toStringList(), QStringList{QStringLiteral("7")});
}

void TestE2bSqlScript::quotesAndPercentSignsSurvive()
{
    const QJsonObject table = run(
        e2bSqlScript(QStringLiteral("SELECT name, photo FROM people WHERE name LIKE 'it''s 100%1'"), m_database, false,
                     10));
    QCOMPARE(table.value(QLatin1String("first")).toVariant().toStringList(),
             (QStringList{QStringLiteral("it's 100%1"), QStringLiteral("b'\\x01\\x02'")}));
}

// The run's `result`: the local sandbox's text (worker.py's _table_text),
// from the result set E2B reports as the main result.
void TestE2bSqlScript::resultTextReadsAsTheLocalSandboxes()
{
    const QJsonObject few = run(e2bSqlScript(QStringLiteral("SELECT name, age, score, photo FROM people "
                                                            "WHERE rowid IN (1, 3) OR age IS NULL ORDER BY rowid"),
                                             m_database, false, 1000));
    QCOMPARE(few.value(QLatin1String("main")).toBool(), true);
    QCOMPARE(few.value(QLatin1String("text")).toString(),
             QStringLiteral(
                 "name\tage\tscore\tphoto\np0\t0\t0.5\tNULL\np2\t2\t2.5\tNULL\nit's 100%1\tNULL\tNULL\tx'0102'"));

    const QJsonObject many = run(
        e2bSqlScript(QStringLiteral("SELECT name FROM people ORDER BY rowid"), m_database, false, 1000));
    const QStringList lines = many.value(QLatin1String("text")).toString().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 22); // the header, the first 20 rows, how many there were
    QCOMPARE(lines.at(1), QStringLiteral("p0"));
    QCOMPARE(lines.at(20), QStringLiteral("p19"));
    QCOMPARE(lines.last(), QStringLiteral("\u2026 1501 rows"));
}

QTEST_GUILESS_MAIN(TestE2bSqlScript)
#include "tst_e2bsqlscript.moc"
