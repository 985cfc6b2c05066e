// Issue 20 item 2: a CSV file planned (inferred column types shown first),
// then loaded as a table of a scratch database.
#include "sandbox/CsvImport.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestCsvImport : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &text)
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(text);
        return file.fileName();
    }

    // Every row of `sql` as text fields ("NULL" for NULL), and each value's SQLite type.
    static QStringList rowsOf(const QString &database, const QString &sql)
    {
        QStringList rows;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"read"_s);
            db.setDatabaseName(database);
            if (db.open()) {
                QSqlQuery query(sql, db);
                while (query.next()) {
                    QStringList fields;
                    for (int i = 0; i < query.record().count(); ++i)
                        fields << (query.value(i).isNull() ? u"NULL"_s : query.value(i).toString());
                    rows << fields.join(u'|');
                }
                db.close();
            }
        }
        QSqlDatabase::removeDatabase(u"read"_s);
        return rows;
    }

private Q_SLOTS:
    void recordsSplitWithQuotes()
    {
        QCOMPARE(splitCsvRecord(u"a,\"b,c\",\"say \"\"hi\"\"\",,e\r"_s, u','),
                 (QStringList{u"a"_s, u"b,c"_s, u"say \"hi\""_s, QString(), u"e"_s}));
        QCOMPARE(splitCsvRecord(u"x\ty"_s, u'\t'), (QStringList{u"x"_s, u"y"_s}));
    }

    void thePlanInfersTypesFromTheValues()
    {
        const QString path = write(u"Sales 2024.csv"_s, "id,amount,region,note,id\n"
                                                        "1,2.5,North,,7\n"
                                                        "2,3,South,\"multi\nline\",8\n"
                                                        "3,-1e3,East,x,9\n");
        const auto plan = inspectCsv(path);
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.error()));
        QCOMPARE(plan->table, u"sales_2024"_s);
        QCOMPARE(plan->delimiter, u',');
        QCOMPARE(plan->sampledRows, 3);
        QStringList described;
        for (const CsvColumn &column : plan->columns)
            described << column.name + u' ' + column.type;
        QCOMPARE(described,
                 (QStringList{u"id INTEGER"_s, u"amount REAL"_s, u"region TEXT"_s, u"note TEXT"_s, u"id_2 INTEGER"_s}));
        QCOMPARE(plan->preview.size(), 3);
        QCOMPARE(plan->preview.at(1).at(3), u"multi\nline"_s);
    }

    void aTsvIsSplitAtTabs()
    {
        const auto plan = inspectCsv(write(u"t.tsv"_s, "a\tb c\n1\thello, world\n"));
        QVERIFY(plan);
        QCOMPARE(plan->delimiter, u'\t');
        QCOMPARE(plan->columns.size(), 2);
        QCOMPARE(plan->columns.at(1).name, u"b_c"_s);
        QCOMPARE(plan->columns.at(0).type, u"INTEGER"_s);
    }

    void anEmptyFileIsRefused()
    {
        const auto plan = inspectCsv(write(u"empty.csv"_s, ""));
        QVERIFY(!plan);
        QVERIFY(plan.error().contains(u"empty"_s));
        QVERIFY(!inspectCsv(m_dir.filePath(u"missing.csv"_s)));
    }

    void loadingCreatesTheTableWithEveryRow()
    {
        const QString path = write(u"people.csv"_s, "name,age,score\nAda,36,9.5\nBob,,7\n\"Lee, Jr\",41,\n");
        const auto plan = inspectCsv(path);
        QVERIFY(plan);
        const QString database = m_dir.filePath(u"scratch.sqlite"_s);
        const auto loaded = loadCsv(path, *plan, database);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error()));
        QCOMPARE(*loaded, 3);
        QCOMPARE(rowsOf(database, u"SELECT name, age, score FROM people ORDER BY name"_s),
                 (QStringList{u"Ada|36|9.5"_s, u"Bob|NULL|7"_s, u"Lee, Jr|41|NULL"_s}));
        QCOMPARE(rowsOf(database, u"SELECT typeof(age), typeof(score) FROM people WHERE name = 'Ada'"_s),
                 QStringList{u"integer|real"_s});
        QCOMPARE(rowsOf(database, u"SELECT type FROM pragma_table_info('people') ORDER BY cid"_s),
                 (QStringList{u"TEXT"_s, u"INTEGER"_s, u"REAL"_s}));

        // Loading again never replaces the table.
        const auto again = loadCsv(path, *plan, database);
        QVERIFY(!again);
        QVERIFY(again.error().contains(u"already exists"_s));
        QCOMPARE(rowsOf(database, u"SELECT COUNT(*) FROM people"_s), QStringList{u"3"_s});
    }

    void aRecordWithTooManyFieldsLoadsNothing()
    {
        const QString path = write(u"ragged.csv"_s, "a,b\n1,2\n3,4,5\n");
        const auto plan = inspectCsv(path);
        QVERIFY(plan);
        const QString database = m_dir.filePath(u"ragged.sqlite"_s);
        const auto loaded = loadCsv(path, *plan, database);
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().contains(u"record 3 has 3 fields"_s), qPrintable(loaded.error()));
        QCOMPARE(rowsOf(database, u"SELECT COUNT(*) FROM sqlite_master WHERE name = 'ragged'"_s), QStringList{u"0"_s});
    }
};

QTEST_GUILESS_MAIN(TestCsvImport)
#include "tst_csvimport.moc"
