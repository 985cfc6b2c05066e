// Issue 20 item 5: the data viewer asks the session's kernel for one page
// of a DataFrame at a time, sorted and filtered in the sandbox, between
// runs and without being one.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace safecell;
using namespace safecell::test;
using namespace Qt::StringLiterals;

namespace {

DataPageRequest pageOf(const QString &name, qint64 offset, qint64 count)
{
    DataPageRequest request;
    request.viewerId = u"test"_s;
    request.name = name;
    request.offset = offset;
    request.count = count;
    return request;
}

QList<DataPage> pagesFrom(Sandbox &box, const QList<DataPageRequest> &requests, int waitMs = 60000)
{
    QList<DataPage> pages;
    QEventLoop loop;
    QObject context;
    QObject::connect(&box, &Sandbox::dataPageReady, &context, [&](const DataPage &page) {
        pages << page;
        if (pages.size() == requests.size())
            loop.quit();
    });
    QTimer::singleShot(waitMs, &loop, &QEventLoop::quit);
    for (const DataPageRequest &request : requests)
        box.requestDataPage(request);
    if (pages.size() < requests.size())
        loop.exec();
    return pages;
}

DataPage pageFrom(Sandbox &box, const DataPageRequest &request)
{
    const QList<DataPage> pages = pagesFrom(box, {request});
    if (!pages.isEmpty())
        return pages.first();
    DataPage none;
    none.error = u"no answer"_s;
    return none;
}

} // namespace

class TestSandboxDataPages : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<LocalSandbox> m_box;

private Q_SLOTS:
    void initTestCase()
    {
        m_box = std::make_unique<LocalSandbox>(SandboxLimits{});
        const SandboxRun run = python(*m_box,
                                      u"import pandas as pd\n"
                                      "sales = pd.DataFrame({'region': ['North', 'South', 'East', 'West'] * 2500, "
                                      "'amount': [float(i % 97) for i in range(10000)]})\n"
                                      "sales.index = ['r%d' % i for i in range(10000)]\n"
                                      "count = 3\n"
                                      "cats = pd.DataFrame({'c': pd.Categorical(['North', None, 'South'] * 10)})\n"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
    }
    void cleanupTestCase() { m_box.reset(); }

    void aPageOfAFrame()
    {
        DataPageRequest request = pageOf(u"sales"_s, 4, 3);
        request.serial = 17;
        const DataPage page = pageFrom(*m_box, request);
        QVERIFY2(page.ok(), qPrintable(page.error));
        QCOMPARE(page.request.serial, quint64(17));
        QCOMPARE(page.request.viewerId, u"test"_s);
        QCOMPARE(page.columns, QStringList({u"region"_s, u"amount"_s}));
        QCOMPARE(page.dtypes, QStringList({u"object"_s, u"float64"_s}));
        QCOMPARE(page.totalRows, 10000);
        QCOMPARE(page.filteredRows, 10000);
        QCOMPARE(page.offset, 4);
        QCOMPARE(page.rowLabels, QStringList({u"r4"_s, u"r5"_s, u"r6"_s}));
        QCOMPARE(page.rows.size(), 3);
        QCOMPARE(page.rows.at(0), QStringList({u"North"_s, u"4.0"_s}));
        QCOMPARE(page.rows.at(2), QStringList({u"East"_s, u"6.0"_s}));
    }

    void theLastPageIsShortAndAPageIsBounded()
    {
        const DataPage last = pageFrom(*m_box, pageOf(u"sales"_s, 9998, 200));
        QVERIFY2(last.ok(), qPrintable(last.error));
        QCOMPARE(last.rows.size(), 2);
        QCOMPARE(last.rowLabels.last(), u"r9999"_s);
        const DataPage huge = pageFrom(*m_box, pageOf(u"sales"_s, 0, 5000));
        QVERIFY2(huge.ok(), qPrintable(huge.error));
        QCOMPARE(huge.rows.size(), kMaxDataPageRows);
    }

    void sortedInTheKernel()
    {
        DataPageRequest request = pageOf(u"sales"_s, 0, 3);
        request.sortColumn = 1;
        request.descending = true;
        const DataPage page = pageFrom(*m_box, request);
        QVERIFY2(page.ok(), qPrintable(page.error));
        // 96.0 is the largest amount, first at row 96; the sort is stable.
        QCOMPARE(page.rows.at(0).at(1), u"96.0"_s);
        QCOMPARE(page.rowLabels.at(0), u"r96"_s);
        QCOMPARE(page.rowLabels.at(1), u"r193"_s);
        // The next page of that order comes from the kernel's cached order.
        request.offset = 3;
        const DataPage next = pageFrom(*m_box, request);
        QVERIFY2(next.ok(), qPrintable(next.error));
        QCOMPARE(next.rowLabels.at(0), u"r387"_s);
    }

    void filteredInTheKernel()
    {
        DataPageRequest request = pageOf(u"sales"_s, 0, 10);
        request.filterText = u"wES"_s; // case-insensitive
        request.filterColumn = 0;
        const DataPage page = pageFrom(*m_box, request);
        QVERIFY2(page.ok(), qPrintable(page.error));
        QCOMPARE(page.totalRows, 10000);
        QCOMPARE(page.filteredRows, 2500);
        QCOMPARE(page.rowLabels.at(0), u"r3"_s);
        for (const QStringList &row : page.rows)
            QCOMPARE(row.at(0), u"West"_s);
        // Any column, with a sort.
        request.filterColumn = -1;
        request.filterText = u"95.0"_s;
        request.sortColumn = 0;
        const DataPage both = pageFrom(*m_box, request);
        QVERIFY2(both.ok(), qPrintable(both.error));
        QVERIFY(both.filteredRows > 0 && both.filteredRows < 200);
        QCOMPARE(both.rows.at(0).at(0), u"East"_s);
        for (const QStringList &row : both.rows)
            QCOMPARE(row.at(1), u"95.0"_s);
    }

    // A categorical column is matched by its categories' text, as any
    // other by its cells' (a missing value reads as NaN).
    void aCategoricalColumnIsFiltered()
    {
        DataPageRequest request = pageOf(u"cats"_s, 0, 100);
        request.filterText = u"NOR"_s;
        const DataPage north = pageFrom(*m_box, request);
        QVERIFY2(north.ok(), qPrintable(north.error));
        QCOMPARE(north.filteredRows, 10);
        QCOMPARE(north.rows.first().first(), u"North"_s);
        request.filterText = u"nan"_s;
        const DataPage missing = pageFrom(*m_box, request);
        QCOMPARE(missing.filteredRows, 10);
        QCOMPARE(missing.rowLabels.first(), u"1"_s);
    }

    void errorsForAMissingNameAndANonFrame()
    {
        const DataPage missing = pageFrom(*m_box, pageOf(u"nothing_here"_s, 0, 10));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error.contains(u"nothing_here is no longer defined"_s), qPrintable(missing.error));
        const DataPage number = pageFrom(*m_box, pageOf(u"count"_s, 0, 10));
        QVERIFY(!number.ok());
        QVERIFY2(number.error.contains(u"not a DataFrame"_s), qPrintable(number.error));
        DataPageRequest badColumn = pageOf(u"sales"_s, 0, 10);
        badColumn.sortColumn = 9;
        const DataPage bad = pageFrom(*m_box, badColumn);
        QVERIFY2(bad.error.contains(u"out of range"_s), qPrintable(bad.error));
    }

    void aPageAskedForDuringARunWaitsForItAndIsNoRun()
    {
        QSignalSpy finished(m_box.get(), &Sandbox::finished);
        QSignalSpy pages(m_box.get(), &Sandbox::dataPageReady);
        QSignalSpy out(m_box.get(), &Sandbox::stdoutReceived);
        m_box->execute(
            {u"import time\ntime.sleep(1)\nsales = sales.head(5)\nprint('run done')"_s, Language::Python, 30000});
        m_box->requestDataPage(pageOf(u"sales"_s, 0, 100));
        QTRY_COMPARE_WITH_TIMEOUT(pages.size(), 1, 60000);
        // The page came after the run and saw what the run left.
        QCOMPARE(finished.size(), 1);
        const DataPage page = pages.first().first().value<DataPage>();
        QVERIFY2(page.ok(), qPrintable(page.error));
        QCOMPARE(page.totalRows, 5);
        QCOMPARE(page.rows.size(), 5);
        // A page is no run: the next run's execution count and output are its own.
        const SandboxRun next = python(*m_box, u"print('next')"_s);
        QCOMPARE(next.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(next.out, u"next\n"_s);
        QCOMPARE(finished.size(), 2);
    }

    // A filter that would take 30 s (each cell's text takes 1 ms) does not
    // hold up a run: it is interrupted, and says so.
    void aRunInterruptsASlowPage()
    {
        QCOMPARE(python(*m_box,
                        u"import time\nimport pandas as pd\n"
                        "class Slow:\n    def __str__(self):\n        time.sleep(0.001)\n        return 'slow'\n"
                        "slow = pd.DataFrame({'v': [Slow() for _ in range(30000)]})"_s)
                     .outcome.status,
                 ExecutionStatus::Completed);
        QSignalSpy pages(m_box.get(), &Sandbox::dataPageReady);
        DataPageRequest request = pageOf(u"slow"_s, 0, 10);
        request.filterText = u"slow"_s;
        m_box->requestDataPage(request);
        QTest::qWait(500); // the page is being read
        QElapsedTimer clock;
        clock.start();
        const SandboxRun run = python(*m_box, u"print('run')"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(run.out, u"run\n"_s);
        QVERIFY2(clock.elapsed() < 15000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(pages.size(), 1);
        const DataPage page = pages.first().first().value<DataPage>();
        QVERIFY2(page.error.contains(u"interrupted for a run"_s), qPrintable(page.error));
        // The kernel and its session live on.
        QVERIFY(pageFrom(*m_box, pageOf(u"sales"_s, 0, 1)).ok());
    }

    void pagesAreAnsweredInOrder()
    {
        const QList<DataPage> pages = pagesFrom(*m_box, {pageOf(u"sales"_s, 0, 1), pageOf(u"sales"_s, 1, 1),
                                                         pageOf(u"nothing_here"_s, 0, 1)});
        QCOMPARE(pages.size(), 3);
        QCOMPARE(pages.at(0).rowLabels, QStringList({u"r0"_s}));
        QCOMPARE(pages.at(1).rowLabels, QStringList({u"r1"_s}));
        QVERIFY(!pages.at(2).ok());
    }

    void aRestartAnswersThePagesItDrops()
    {
        LocalSandbox fresh{SandboxLimits{}};
        const DataPage before = pageFrom(fresh, pageOf(u"sales"_s, 0, 1));
        QVERIFY2(before.error.contains(u"run a snippet first"_s), qPrintable(before.error));
        QCOMPARE(python(fresh, u"import pandas as pd\nf = pd.DataFrame({'a': range(3)})"_s).outcome.status,
                 ExecutionStatus::Completed);
        QSignalSpy pages(&fresh, &Sandbox::dataPageReady);
        fresh.requestDataPage(pageOf(u"f"_s, 0, 1));
        fresh.restartSession();
        QTRY_COMPARE_WITH_TIMEOUT(pages.size(), 1, 10000);
        QVERIFY(pages.first().first().value<DataPage>().error.contains(u"restarted"_s));
        // The fresh session has no f.
        QVERIFY(pageFrom(fresh, pageOf(u"f"_s, 0, 1)).error.contains(u"no longer defined"_s));
    }
};

QTEST_GUILESS_MAIN(TestSandboxDataPages)
#include "tst_sandboxdatapages.moc"
