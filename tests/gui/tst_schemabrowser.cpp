// Issue 20 item 3 in the window: the Databases pane lists the bundled
// example database (tables, columns, types, row counts) without blocking
// the GUI thread; "Select Top 100" runs in a new SQL tab; a confirmed write
// lands in the session's scratch database, which the pane then lists and
// saves as a valid SQLite file.
#include "gui/AmbiguityDialog.h"
#include "gui/FilesPane.h"
#include "gui/MainWindow.h"
#include "gui/SchemaBrowser.h"
#include "gui/SheetLoader.h"
#include "sandbox/CsvImport.h"
#include "sandbox/SandboxLimits.h"
#include "sandbox/ScratchDatabase.h"
#include "support/LocalWindow.h"
#include "support/RunAndWait.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QTreeWidget>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestSchemaBrowser : public QObject {
    Q_OBJECT
private:
    LocalWindow m_local;
    std::unique_ptr<MainWindow> &m_window = m_local.window;

    SchemaBrowser *browser() const { return m_window->schemaBrowser(); }

    QTreeWidgetItem *database(const QString &schema) const
    {
        QTreeWidget *tree = browser()->tree();
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            if (tree->topLevelItem(i)->text(SchemaBrowser::NameColumn) == schema)
                return tree->topLevelItem(i);
        }
        return nullptr;
    }

    static QTreeWidgetItem *child(QTreeWidgetItem *parent, const QString &name)
    {
        for (int i = 0; parent && i < parent->childCount(); ++i) {
            if (parent->child(i)->text(SchemaBrowser::NameColumn) == name)
                return parent->child(i);
        }
        return nullptr;
    }

    bool refreshAndWait()
    {
        QSignalSpy refreshed(browser(), &SchemaBrowser::refreshed);
        browser()->refresh();
        return refreshed.wait(15000);
    }

    static std::optional<TableData> mainTable(const RunReport &report)
    {
        for (const RichResult &result : report.richResults) {
            if (result.isMainResult)
                return result.table;
        }
        return std::nullopt;
    }

    AmbiguityDialog *prompt() { return m_window->findChild<AmbiguityDialog *>(u"ambiguousDialog"_s); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_local.open(u"org.safecell.tests.schemabrowser"_s)); }

    void cleanupTestCase() { m_window.reset(); }

    void theExampleDatabaseIsListedByDefault()
    {
        QVERIFY(browser()->isVisible());
        if (!database(u"workspace"_s))
            QVERIFY(QSignalSpy(browser(), &SchemaBrowser::refreshed).wait(15000));
        QTreeWidgetItem *workspace = database(u"workspace"_s);
        QVERIFY(workspace);
        QVERIFY2(workspace->text(SchemaBrowser::DetailColumn).contains(u"Example"_s),
                 qPrintable(workspace->text(SchemaBrowser::DetailColumn)));
        QTreeWidgetItem *regions = child(workspace, u"regions"_s);
        QVERIFY(regions);
        QCOMPARE(regions->text(SchemaBrowser::DetailColumn), u"5 rows"_s);
        QTreeWidgetItem *products = child(workspace, u"products"_s);
        QVERIFY(products);
        QCOMPARE(products->text(SchemaBrowser::DetailColumn), u"12 rows"_s);
        QTreeWidgetItem *price = child(products, u"unit_price"_s);
        QVERIFY(price);
        QCOMPARE(price->text(SchemaBrowser::DetailColumn), u"NUMERIC(10, 2)"_s);
        QVERIFY(child(products, u"product_id (key)"_s));
        // The scratch database is there too, empty until a confirmed write.
        QTreeWidgetItem *scratch = database(u"main"_s);
        QVERIFY(scratch);
        QVERIFY(scratch->text(SchemaBrowser::DetailColumn).contains(u"Scratch"_s));
        QVERIFY(!browser()->saveScratchAction()->isEnabled());
    }

    void theReadRunsOffTheGuiThread()
    {
        QThread *reader = nullptr;
        QSignalSpy refreshed(browser(), &SchemaBrowser::refreshed);
        browser()->refresh();
        reader = browser()->findChild<QThread *>(u"schema-reader"_s);
        QVERIFY(browser()->isReading());
        QVERIFY(reader && reader != QThread::currentThread());
        QVERIFY(refreshed.wait(15000));
        QVERIFY(!browser()->isReading());
    }

    void selectTopRunsInANewSqlTab()
    {
        QTreeWidgetItem *regions = child(database(u"workspace"_s), u"regions"_s);
        QVERIFY(regions);
        browser()->tree()->setCurrentItem(regions);
        QVERIFY(browser()->selectTopAction()->isEnabled());
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        browser()->selectTopAction()->trigger();
        QVERIFY(finished.wait(30000));
        const RunReport report = finished.first().at(0).value<RunReport>();
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QCOMPARE(m_window->language(), Language::Sql);
        QCOMPARE(m_window->code(), u"SELECT * FROM workspace.\"regions\" LIMIT 100;\n"_s);
        const std::optional<TableData> table = mainTable(report);
        QVERIFY(table);
        QCOMPARE(table->totalRows, 5);
        QVERIFY(table->rows.first().contains(u"North"_s));
    }

    void aConfirmedWriteShowsInTheScratchDatabaseAndSaves()
    {
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->setLanguage(Language::Sql);
        m_window->setCode(
            u"CREATE TABLE picks(name TEXT, n INTEGER);\nINSERT INTO picks VALUES ('a', 1), ('b', 2);\n"_s);
        m_window->run();
        QVERIFY(finished.wait(15000));
        QCOMPARE(finished.first().at(0).value<RunReport>().outcome, RunOutcome::NeedsConfirmation);
        QTRY_VERIFY(prompt() && prompt()->isVisible());
        auto *runAnyway = prompt()->findChild<QPushButton *>(u"runAnywayButton"_s);
        QVERIFY(runAnyway);
        QTest::mouseClick(runAnyway, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
        const RunReport written = finished.at(1).at(0).value<RunReport>();
        QVERIFY2(written.outcome == RunOutcome::Ok, qPrintable(m_window->outputText()));

        // The same session sees the table in a later, plain run.
        QVERIFY(runAndWait(*m_window, u"SELECT SUM(n) AS total FROM picks"_s, Language::Sql));
        const std::optional<TableData> total = mainTable(finished.last().at(0).value<RunReport>());
        QVERIFY(total);
        QCOMPARE(total->rows, (QList<QStringList>{{u"3"_s}}));

        QVERIFY(refreshAndWait());
        QTreeWidgetItem *picks = child(database(u"main"_s), u"picks"_s);
        QVERIFY(picks);
        QCOMPARE(picks->text(SchemaBrowser::DetailColumn), u"2 rows"_s);
        QCOMPARE(child(picks, u"n"_s)->text(SchemaBrowser::DetailColumn), u"INTEGER"_s);
        QVERIFY(browser()->saveScratchAction()->isEnabled());

        const QString target = m_local.dir.filePath(u"picks.sqlite"_s);
        QCOMPARE(browser()->saveScratchTo(target), QString());
        qint64 rows = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"saved-scratch"_s);
            db.setDatabaseName(target);
            QVERIFY(db.open());
            QSqlQuery query(u"SELECT COUNT(*) FROM picks"_s, db);
            if (query.next())
                rows = query.value(0).toLongLong();
            db.close();
        }
        QSqlDatabase::removeDatabase(u"saved-scratch"_s);
        QCOMPARE(rows, 2);
    }

    void aCsvLoadsAsAScratchTableAfterItsTypesAreShown()
    {
        const QString csv = m_local.dir.filePath(u"stock.csv"_s);
        {
            QFile file(csv);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("sku,count,price\nA-1,4,2.50\nB-2,,3\n");
        }
        const auto plan = inspectCsv(csv);
        QVERIFY(plan);
        const QString shown = SchemaBrowser::describePlan(*plan);
        QVERIFY2(shown.contains(u"stock"_s) && shown.contains(u"sku TEXT"_s) && shown.contains(u"count INTEGER"_s)
                     && shown.contains(u"price REAL"_s),
                 qPrintable(shown));
        QSignalSpy loaded(browser(), &SchemaBrowser::csvLoaded);
        QSignalSpy refreshed(browser(), &SchemaBrowser::refreshed);
        browser()->loadCsvInto(csv, *plan);
        QVERIFY(loaded.wait(15000));
        QCOMPARE(loaded.first().at(0).toString(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(child(database(u"main"_s), u"stock"_s), 15000);
        QTreeWidgetItem *stock = child(database(u"main"_s), u"stock"_s);
        QCOMPARE(stock->text(SchemaBrowser::DetailColumn), u"2 rows"_s);
        QCOMPARE(child(stock, u"price"_s)->text(SchemaBrowser::DetailColumn), u"REAL"_s);
        // The session's SQL sees it.
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        QVERIFY(runAndWait(*m_window, u"SELECT SUM(count) FROM stock"_s, Language::Sql));
        const std::optional<TableData> total = mainTable(finished.last().at(0).value<RunReport>());
        QVERIFY(total);
        QCOMPARE(total->rows, (QList<QStringList>{{u"4"_s}}));
    }

    // Issue 20 item 2: a shared SQLite file is listed under its schema, and
    // Select Top 100 reads it in a SQL run.
    void aSharedSqliteFileIsBrowsedAndQueried()
    {
        QTemporaryDir host;
        QVERIFY(QFile::setPermissions(host.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                       | QFile::ReadOther | QFile::ExeOther));
        const QString path = host.filePath(u"sales.sqlite"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"shared-sales"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(u"CREATE TABLE orders (region TEXT, total REAL)"_s));
            QVERIFY(query.exec(u"INSERT INTO orders VALUES ('north', 10.5), ('south', 20)"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"shared-sales"_s);
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));

        QSignalSpy refreshed(browser(), &SchemaBrowser::refreshed);
        QVERIFY(m_window->filesPane()->addPaths({path}).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(database(u"sales"_s), 15000);
        QTreeWidgetItem *orders = child(database(u"sales"_s), u"orders"_s);
        QVERIFY(orders);
        QVERIFY2(orders->text(SchemaBrowser::DetailColumn).contains(u"2 rows"_s),
                 qPrintable(orders->text(SchemaBrowser::DetailColumn)));
        QVERIFY(database(u"sales"_s)->toolTip(SchemaBrowser::NameColumn).contains(u"/data/sales.sqlite"_s)
                || database(u"sales"_s)->text(SchemaBrowser::DetailColumn).contains(u"/data/sales.sqlite"_s));

        browser()->tree()->setCurrentItem(orders);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        browser()->selectTopAction()->trigger();
        QVERIFY(finished.wait(30000));
        const RunReport report = finished.first().at(0).value<RunReport>();
        QVERIFY2(report.outcome == RunOutcome::Ok, qPrintable(m_window->outputText()));
        QCOMPARE(m_window->code(), u"SELECT * FROM sales.\"orders\" LIMIT 100;\n"_s);
        const std::optional<TableData> table = mainTable(report);
        QVERIFY(table);
        QCOMPARE(table->totalRows, 2);
        QVERIFY(m_window->filesPane()->removeShare(u"sales.sqlite"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!database(u"sales"_s), 15000);
    }

    // Issue 20 item 2: Files > Load into SQL… on a shared Excel workbook:
    // the analyst picks a sheet of two, sees its table and types, says Yes,
    // and the sheet is a scratch table the session's SQL reads.
    void anExcelSheetLoadsFromTheFilesPane()
    {
        QTemporaryDir host;
        QVERIFY(QFile::setPermissions(host.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                       | QFile::ReadOther | QFile::ExeOther));
        const QString path = host.filePath(u"orders.xlsx"_s);
        QProcess python;
        python.start(SandboxLimits{}.python, {u"-c"_s,
                                              u"import openpyxl, sys\n"
                                              "book = openpyxl.Workbook()\n"
                                              "book.active.title = 'Q1'\n"
                                              "book.active.append(['region', 'units'])\n"
                                              "q2 = book.create_sheet('Q2')\n"
                                              "q2.append(['region', 'units'])\n"
                                              "q2.append(['north', 7])\n"
                                              "q2.append(['south', 5])\n"
                                              "book.save(sys.argv[1])\n"_s,
                                              path});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        FilesPane *files = m_window->filesPane();
        QVERIFY(files->addPaths({path}).isEmpty());
        const auto found = files->table()->findItems(u"orders.xlsx"_s, Qt::MatchExactly);
        QCOMPARE(found.size(), 1);
        files->table()->selectRow(found.first()->row());
        QVERIFY(files->loadSqlButton()->isEnabled());

        QStringList offered;
        m_window->sheetLoader()->setSheetChooser([&offered](const QStringList &sheets) {
            offered = sheets;
            return u"Q2"_s;
        });
        QString shownPlan;
        QTimer answer; // the plan's question, answered Yes once it shows
        connect(&answer, &QTimer::timeout, this, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            shownPlan = box->text();
            box->button(QMessageBox::Yes)->click();
            answer.stop();
        });
        answer.start(50);
        QSignalSpy loaded(browser(), &SchemaBrowser::csvLoaded);
        files->loadSqlButton()->click();
        QVERIFY(loaded.wait(60000));
        QCOMPARE(loaded.first().at(0).toString(), QString());
        QCOMPARE(offered, (QStringList{u"Q1"_s, u"Q2"_s}));
        QVERIFY2(shownPlan.contains(u"orders_q2"_s) && shownPlan.contains(u"units INTEGER"_s), qPrintable(shownPlan));
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        QVERIFY(runAndWait(*m_window, u"SELECT SUM(units) FROM orders_q2"_s, Language::Sql));
        const std::optional<TableData> total = mainTable(finished.last().at(0).value<RunReport>());
        QVERIFY(total);
        QCOMPARE(total->rows, (QList<QStringList>{{u"12"_s}}));
        QVERIFY(files->removeShare(u"orders.xlsx"_s));
    }

    void theViewMenuShowsAndHidesIt()
    {
        QAction *toggle = browser()->toggleViewAction();
        QVERIFY(toggle->isChecked());
        toggle->trigger();
        QVERIFY(!browser()->isVisible());
        toggle->trigger();
        QVERIFY(browser()->isVisible());
    }
};

QTEST_MAIN(TestSchemaBrowser)
#include "tst_schemabrowser.moc"
