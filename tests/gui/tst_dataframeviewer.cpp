// Issue 20 item 5: a DataFrame opens in the data viewer, which reads it a
// page at a time from the real local kernel, sorts and filters it there,
// and never waits for a page on the GUI thread.
#include "gui/DataFrameViewer.h"
#include "gui/DataViewers.h"
#include "gui/MainWindow.h"
#include "gui/VariablesPane.h"
#include "sandbox/LocalSandbox.h"
#include "support/LocalWindow.h"
#include "support/RunAndWait.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

// Runs Python in the sandbox and waits for it.
bool runPython(LocalSandbox &box, const QString &code)
{
    QSignalSpy finished(&box, &Sandbox::finished);
    box.execute({code, Language::Python, 60000});
    if (!finished.wait(90000))
        return false;
    return finished.first().first().value<ExecutionOutcome>().status == ExecutionStatus::Completed;
}

QString cell(const DataFrameViewer &viewer, int row, int column)
{
    return viewer.model()->index(row, column).data().toString();
}

QString rowLabel(const DataFrameViewer &viewer, int row)
{
    return viewer.model()->headerData(row, Qt::Vertical).toString();
}

void clickHeader(DataFrameViewer &viewer, int section)
{
    QHeaderView *header = viewer.view()->horizontalHeader();
    const QPoint at(header->sectionViewportPosition(section) + header->sectionSize(section) / 2, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
}

// A press and release, then the double click, as a mouse sends them.
void doubleClick(QTableWidget *table, QTableWidgetItem *item)
{
    const QPoint at = table->visualItemRect(item).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
}

} // namespace

class TestDataFrameViewer : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<LocalSandbox> m_box;

    std::unique_ptr<DataFrameViewer> openViewer(const QString &name)
    {
        LocalSandbox *box = m_box.get();
        auto viewer = std::make_unique<DataFrameViewer>(name, [box](const DataPageRequest &request) {
            box->requestDataPage(request);
        });
        connect(box, &Sandbox::dataPageReady, viewer.get(), &DataFrameViewer::acceptPage);
        viewer->show();
        if (!QTest::qWaitForWindowExposed(viewer.get()))
            return nullptr;
        return viewer;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_box = std::make_unique<LocalSandbox>(SandboxLimits{});
        QVERIFY(
            runPython(*m_box,
                      u"import pandas as pd\nimport numpy as np\n"
                      "n = 100000\n"
                      "sales = pd.DataFrame({'region': np.array(['North', 'South', 'East', 'West'])[np.arange(n) % 4], "
                      "'amount': (np.arange(n) * 7919) % 100003, 'note': ['item %d' % i for i in range(n)]})\n"
                      "sales.index = sales.index + 1000\n"
                      "answer = 42\n"_s));
    }
    void cleanupTestCase() { m_box.reset(); }

    void opensScrollsSortsAndFilters()
    {
        auto viewer = openViewer(u"sales"_s);
        QVERIFY(viewer);
        DataFrameModel *model = viewer->model();
        QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(0), 30000);
        QCOMPARE(model->rowCount(), 100000);
        QCOMPARE(model->columns(), QStringList({u"region"_s, u"amount"_s, u"note"_s}));
        QCOMPARE(viewer->statusText(), u"100,000 rows x 3 columns"_s);
        QCOMPARE(cell(*viewer, 0, 2), u"item 0"_s);
        QCOMPARE(rowLabel(*viewer, 0), u"1000"_s); // the frame's index

        // To the end: the last rows show placeholders until their page comes,
        // which cannot come while the GUI thread is busy painting them.
        viewer->view()->scrollToBottom();
        viewer->view()->viewport()->repaint();
        QVERIFY(!model->isRowLoaded(99999));
        QCOMPARE(cell(*viewer, 99999, 0), DataFrameModel::placeholder());
        QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(99999), 30000);
        QCOMPARE(cell(*viewer, 99999, 2), u"item 99999"_s);
        QCOMPARE(rowLabel(*viewer, 99999), u"100999"_s);

        // Sorting by a header click, in the kernel; the event loop turns
        // while the sorted page is on its way.
        int beats = 0;
        QTimer heartbeat;
        connect(&heartbeat, &QTimer::timeout, this, [&beats] { ++beats; });
        heartbeat.start(1);
        viewer->view()->scrollToTop();
        clickHeader(*viewer, 1);
        QCOMPARE(viewer->view()->horizontalHeader()->sortIndicatorSection(), 1);
        QVERIFY(!model->isRowLoaded(0));
        const int beatsBefore = beats;
        QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(0), 30000);
        QVERIFY2(beats > beatsBefore, "the GUI waited for the sorted page");
        QCOMPARE(cell(*viewer, 0, 1), u"0"_s);
        QCOMPARE(cell(*viewer, 1, 1), u"1"_s);
        clickHeader(*viewer, 1); // descending
        QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(0) && cell(*viewer, 0, 1) != u"0"_s, 30000);
        QCOMPARE(cell(*viewer, 0, 1), u"100002"_s);
        // The end of the sorted order.
        viewer->view()->scrollToBottom();
        QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(99999), 30000);
        QCOMPARE(cell(*viewer, 99999, 1), u"0"_s);
        heartbeat.stop();

        // Filtering one column, typed and debounced; the sort holds.
        viewer->filterColumnBox()->setCurrentIndex(viewer->filterColumnBox()->findText(u"region"_s));
        QTest::keyClicks(viewer->filterEdit(), u"nORth"_s);
        QCOMPARE(model->rowCount(), 100000); // not yet: the filter waits for the typing to pause
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 25000, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading(), 30000);
        QVERIFY2(viewer->statusText().startsWith(u"25,000 of 100,000 rows"_s), qPrintable(viewer->statusText()));
        viewer->view()->scrollToTop();
        QTRY_VERIFY_WITH_TIMEOUT(model->isRowLoaded(0), 30000);
        for (int row = 0; row < 50; ++row)
            QTRY_COMPARE_WITH_TIMEOUT(cell(*viewer, row, 0), u"North"_s, 30000);
        QVERIFY(cell(*viewer, 0, 1).toInt() >= cell(*viewer, 1, 1).toInt());

        // Any column: "item 4242" is in one row's note (and "item 42420"...).
        viewer->filterColumnBox()->setCurrentIndex(0);
        viewer->filterEdit()->setText(u"item 4242"_s);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 11, 30000);
        viewer->filterEdit()->clear();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 100000, 30000);
    }

    void aNameThatIsNoFrameSaysSo()
    {
        auto viewer = openViewer(u"answer"_s);
        QVERIFY(viewer);
        QTRY_VERIFY_WITH_TIMEOUT(!viewer->model()->error().isEmpty(), 30000);
        QVERIFY2(viewer->statusText().contains(u"not a DataFrame"_s), qPrintable(viewer->statusText()));
        QCOMPARE(viewer->model()->rowCount(), 0);
    }

    // In the window: double-clicking a DataFrame in the Variables pane
    // opens it, through the run's thread, and a run reloads it.
    void theVariablesPaneOpensAFrame()
    {
        LocalWindow local;
        QVERIFY(local.open(u"org.safecell.tests.dataframeviewer"_s));
        MainWindow &window = *local.window;
        QVERIFY(runAndWait(window, u"import pandas as pd\nframe = pd.DataFrame({'a': range(500)})\nx = 1"_s,
                           Language::Python, 60000));
        QTableWidget *table = window.variablesPane()->table();
        const QList<QTableWidgetItem *> found = table->findItems(u"frame"_s, Qt::MatchExactly);
        QCOMPARE(found.size(), 1);
        const QList<QTableWidgetItem *> number = table->findItems(u"x"_s, Qt::MatchExactly);
        QCOMPARE(number.size(), 1);
        doubleClick(table, number.first());
        QVERIFY(!window.dataViewers()->viewer(u"x"_s)); // not a DataFrame
        QSignalSpy opened(window.variablesPane(), &VariablesPane::dataFrameActivated);
        doubleClick(table, found.first());
        QCOMPARE(opened.size(), 1);
        DataFrameViewer *viewer = window.dataViewers()->viewer(u"frame"_s);
        QVERIFY(viewer);
        QVERIFY(viewer->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(viewer->model()->isRowLoaded(0), 30000);
        QCOMPARE(viewer->model()->rowCount(), 500);
        QVERIFY(runAndWait(window, u"frame = frame.head(7)"_s, Language::Python, 60000));
        QTRY_COMPARE_WITH_TIMEOUT(viewer->model()->rowCount(), 7, 30000);
        viewer->close();
    }
};

QTEST_MAIN(TestDataFrameViewer)
#include "tst_dataframeviewer.moc"
