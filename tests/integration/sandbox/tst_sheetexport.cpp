// Issue 20 item 2: an Excel sheet the analyst shared becomes a table of the
// scratch database: its sheets listed and one exported as CSV by openpyxl
// in a sandbox of its own (a workbook is untrusted input), then planned and
// loaded by the CSV import; a broken workbook or a missing sheet says so.
#include "sandbox/CsvImport.h"
#include "sandbox/SharedData.h"
#include "sandbox/SheetExport.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestSheetExport : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_host;
    SharedData m_shared;
    SharedPath m_book;

    static bool openToOthers(const QString &path, bool folder)
    {
        return QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther
                                               | (folder ? QFile::ExeOwner | QFile::ExeOther : QFile::Permissions()));
    }

    std::pair<QStringList, QString> list(const SharedPath &book)
    {
        SheetExport sheets{SandboxLimits{}};
        QSignalSpy listed(&sheets, &SheetExport::sheetsListed);
        sheets.listSheets(book);
        if (!listed.wait(60000))
            return {{}, u"no answer"_s};
        return {listed.first().at(0).toStringList(), listed.first().at(1).toString()};
    }

    QString exportTo(const SharedPath &book, const QString &sheet, const QString &csv)
    {
        SheetExport sheets{SandboxLimits{}};
        QSignalSpy exported(&sheets, &SheetExport::exported);
        sheets.exportSheet(book, sheet, csv);
        if (!exported.wait(60000))
            return u"no answer"_s;
        return exported.first().at(0).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(openToOthers(m_host.path(), true)); // as root, the sandbox reads as nobody
        const QString path = m_host.filePath(u"budget plan.xlsx"_s);
        QProcess python;
        python.start(SandboxLimits{}.python, {u"-c"_s,
                                              u"import openpyxl, sys\n"
                                              "book = openpyxl.Workbook()\n"
                                              "q1 = book.active\n"
                                              "q1.title = 'Q1 2024'\n"
                                              "q1.append(['item', 'cost', 'note'])\n"
                                              "q1.append(['rent', 1200, None])\n"
                                              "q1.append(['travel', 340.5, 'a, b'])\n"
                                              "q1['D1'] = 'total'\n"
                                              "q1['D2'] = '=B2*2'\n"
                                              "book.create_sheet('Notes').append(['free text'])\n"
                                              "book.save(sys.argv[1])\n"_s,
                                              path});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QVERIFY(openToOthers(path, false));
        const auto added = m_shared.add(path);
        QVERIFY(added);
        m_book = *added;
    }

    void theSheetsAreListed()
    {
        const auto [sheets, error] = list(m_book);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(sheets, (QStringList{u"Q1 2024"_s, u"Notes"_s}));
    }

    void aSheetBecomesAScratchTable()
    {
        QTemporaryDir out;
        const QString csv = out.filePath(u"budget_plan_Q1 2024.csv"_s);
        const QString error = exportTo(m_book, u"Q1 2024"_s, csv);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const auto plan = inspectCsv(csv);
        QVERIFY2(plan, qPrintable(plan ? QString() : plan.error()));
        QCOMPARE(plan->table, u"budget_plan_q1_2024"_s);
        QStringList types;
        for (const CsvColumn &column : plan->columns)
            types << column.name + u' ' + column.type;
        // A formula never computed by a spreadsheet program has no value yet: NULL, not its text.
        QCOMPARE(types, (QStringList{u"item TEXT"_s, u"cost REAL"_s, u"note TEXT"_s, u"total TEXT"_s}));
        const QString database = out.filePath(u"scratch.sqlite"_s);
        const auto loaded = loadCsv(csv, *plan, database);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error()));
        QCOMPARE(*loaded, 2);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
            db.setDatabaseName(database);
            QVERIFY(db.open());
            QSqlQuery query(u"SELECT note FROM budget_plan_q1_2024 WHERE item = 'travel'"_s, db);
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toString(), u"a, b"_s); // quoted in the CSV, one field again
        }
        QSqlDatabase::removeDatabase(u"check"_s);
    }

    void aMissingSheetOrABrokenWorkbookSaysSo()
    {
        QTemporaryDir out;
        const QString missing = exportTo(m_book, u"Q9"_s, out.filePath(u"q9.csv"_s));
        QVERIFY2(missing.contains(u"could not be read"_s) && missing.contains(u"Q9"_s), qPrintable(missing));
        QVERIFY(!QFile::exists(out.filePath(u"q9.csv"_s)));

        const QString fake = m_host.filePath(u"not really.xlsx"_s);
        QFile file(fake);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("this is no zip archive");
        file.close();
        QVERIFY(openToOthers(fake, false));
        SharedData shared;
        const auto broken = shared.add(fake);
        QVERIFY(broken);
        const auto [sheets, error] = list(*broken);
        QVERIFY(sheets.isEmpty());
        QVERIFY2(error.contains(u"could not be read"_s) && error.contains(u"zip"_s, Qt::CaseInsensitive),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSheetExport)
#include "tst_sheetexport.moc"
