// The data viewer's model on its own, with a fake sandbox: what it asks
// for, when, and what it does with answers that come late or wrong.
#include "gui/DataFrameModel.h"

#include <QSignalSpy>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

DataPage answer(const DataPageRequest &request, qint64 rows, int columns = 2)
{
    DataPage page;
    page.request = request;
    for (int column = 0; column < columns; ++column) {
        page.columns << u"c%1"_s.arg(column);
        page.dtypes << u"int64"_s;
    }
    page.totalColumns = columns;
    page.totalRows = 1000;
    page.filteredRows = rows;
    page.offset = request.offset;
    for (qint64 row = request.offset; row < qMin(rows, request.offset + request.count); ++row) {
        QStringList cells;
        for (int column = 0; column < columns; ++column)
            cells << u"%1:%2:s%3"_s.arg(row).arg(column).arg(request.serial);
        page.rows << cells;
        page.rowLabels << u"L%1"_s.arg(row);
    }
    return page;
}

} // namespace

class TestDataFrameModel : public QObject {
    Q_OBJECT
private:
    QList<DataPageRequest> m_asked;
    std::unique_ptr<DataFrameModel> m_model;

    void open()
    {
        m_asked.clear();
        m_model = std::make_unique<DataFrameModel>(u"frame"_s,
                                                   [this](const DataPageRequest &request) { m_asked << request; });
    }
    QString cell(int row, int column = 0) const { return m_model->index(row, column).data().toString(); }
    // What data() asked for goes out when the event loop turns.
    void turn() { QCoreApplication::processEvents(); }

private Q_SLOTS:
    void init() { open(); }

    void theFirstPageIsAskedForOnceTheLoopTurns()
    {
        QCOMPARE(m_asked.size(), 0); // never from the constructor (nor from a paint)
        turn();
        QCOMPARE(m_asked.size(), 1);
        QCOMPARE(m_asked.first().name, u"frame"_s);
        QCOMPARE(m_asked.first().offset, 0);
        QCOMPARE(m_asked.first().count, DataFrameModel::kMaxBlockRows);
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(m_model->isLoading());
        m_model->acceptPage(answer(m_asked.first(), 1000));
        QCOMPARE(m_model->rowCount(), 1000);
        QCOMPARE(m_model->columnCount(), 2);
        QCOMPARE(cell(199, 1), u"199:1:s1"_s);
        QCOMPARE(m_model->headerData(5, Qt::Vertical).toString(), u"L5"_s);
        QCOMPARE(m_model->headerData(1, Qt::Horizontal, Qt::ToolTipRole).toString(), u"c1 (int64)"_s);
        QVERIFY(!m_model->isLoading());
    }

    void onePageAtATimeTheNewestWantedFirst()
    {
        turn();
        m_model->acceptPage(answer(m_asked.takeFirst(), 1000));
        QCOMPARE(cell(450), DataFrameModel::placeholder()); // block 2
        turn();
        QCOMPARE(m_asked.size(), 1);
        QCOMPARE(m_asked.first().offset, 400);
        cell(650); // block 3
        cell(850); // block 4, the newest
        cell(450); // block 2 again: in flight, not asked twice
        turn();
        QCOMPARE(m_asked.size(), 1);
        m_model->acceptPage(answer(m_asked.takeFirst(), 1000));
        QCOMPARE(cell(450), u"450:0:s1"_s);
        turn();
        QCOMPARE(m_asked.size(), 1);
        QCOMPARE(m_asked.first().offset, 800);
        m_model->acceptPage(answer(m_asked.takeFirst(), 1000));
        turn();
        QCOMPARE(m_asked.size(), 1);
        QCOMPARE(m_asked.first().offset, 600);
    }

    void anAnswerToAnOldSortIsDropped()
    {
        turn();
        m_model->acceptPage(answer(m_asked.takeFirst(), 1000));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->sort(1, Qt::DescendingOrder);
        QVERIFY(!changed.isEmpty()); // the rows on screen show placeholders
        QCOMPARE(cell(0), DataFrameModel::placeholder());
        turn();
        QCOMPARE(m_asked.size(), 1);
        const DataPageRequest sorted = m_asked.takeFirst();
        QCOMPARE(sorted.sortColumn, 1);
        QVERIFY(sorted.descending);
        QCOMPARE(sorted.serial, 2);
        // A late answer to the first question, as if it had crossed the sort.
        DataPageRequest old = sorted;
        old.serial = 1;
        m_model->acceptPage(answer(old, 1000));
        QCOMPARE(cell(0), DataFrameModel::placeholder());
        m_model->acceptPage(answer(sorted, 1000));
        QCOMPARE(cell(0), u"0:0:s2"_s);
        // Another viewer's answer is not ours.
        DataPageRequest other = sorted;
        other.viewerId = u"someone else"_s;
        other.offset = 200;
        m_model->acceptPage(answer(other, 1000));
        QVERIFY(!m_model->isRowLoaded(200));
    }

    void aFilterThatChangesTheRowCountResetsTheModel()
    {
        turn();
        m_model->acceptPage(answer(m_asked.takeFirst(), 1000));
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_model->setFilter(u"x"_s, 1);
        turn();
        const DataPageRequest filtered = m_asked.takeFirst();
        QCOMPARE(filtered.filterText, u"x"_s);
        QCOMPARE(filtered.filterColumn, 1);
        m_model->acceptPage(answer(filtered, 30));
        QCOMPARE(reset.size(), 1);
        QCOMPARE(m_model->rowCount(), 30);
        QCOMPARE(m_model->filteredRows(), 30);
        QCOMPARE(m_model->totalRows(), 1000);
    }

    void aWideFrameIsReadInShorterPages()
    {
        turn();
        m_model->acceptPage(answer(m_asked.takeFirst(), 1000, 400)); // the kernel sends 50 rows of 400 columns
        QVERIFY(m_model->isRowLoaded(49));
        QVERIFY(!m_model->isRowLoaded(50));
        cell(120);
        turn();
        QCOMPARE(m_asked.first().offset, 100);
        QCOMPARE(m_asked.first().count, 50);
    }

    // A run made the frame wider while a page was on its way: the reload
    // does not wait for that page (a renewed session never answers it), its
    // late answer is dropped, and the new shape is read in pages of its own
    // size.
    void theFrameChangesShapeWhileAPageIsOnItsWay()
    {
        turn();
        m_model->acceptPage(answer(m_asked.takeFirst(), 1000));
        cell(450);
        turn();
        const DataPageRequest inFlight = m_asked.takeFirst(); // offset 400, the old shape
        m_model->reload();
        turn();
        QCOMPARE(m_asked.size(), 1);
        const DataPageRequest first = m_asked.takeFirst();
        QCOMPARE(first.serial, 2);
        m_model->acceptPage(answer(inFlight, 1000)); // late and stale: dropped
        QVERIFY(!m_model->isRowLoaded(400));
        turn();
        QVERIFY(m_asked.isEmpty());                    // still one at a time: the reload's page is on its way
        m_model->acceptPage(answer(first, 1000, 400)); // now 400 columns: pages of 50 rows
        QCOMPARE(m_model->columnCount(), 400);
        cell(120);
        turn();
        QCOMPARE(m_asked.size(), 1);
        const DataPageRequest next = m_asked.takeFirst();
        QCOMPARE(next.offset, 100);
        m_model->acceptPage(answer(next, 1000, 400));
        QCOMPARE(cell(120), u"120:0:s2"_s);
    }

    void anErrorStopsTheAskingUntilAReload()
    {
        turn();
        DataPage failed;
        failed.request = m_asked.takeFirst();
        failed.error = u"frame is no longer defined"_s;
        m_model->acceptPage(failed);
        QCOMPARE(m_model->error(), u"frame is no longer defined"_s);
        cell(0);
        turn();
        QVERIFY(m_asked.isEmpty());
        m_model->reload();
        QVERIFY(m_model->error().isEmpty());
        turn();
        QCOMPARE(m_asked.size(), 1);
    }

    void pagesWantedBeyondTheBoundAreDroppedAndRepaintedLater()
    {
        turn();
        m_model->acceptPage(answer(m_asked.takeFirst(), 100000));
        cell(250); // block 1, asked for
        turn();
        QCOMPARE(m_asked.size(), 1);
        for (int block = 10; block < 30; ++block) // a fast drag of the scroll bar
            cell(block * 200);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->acceptPage(answer(m_asked.takeFirst(), 100000));
        // The page, and the 12 dropped ones (repainted if on screen, so asked again).
        QCOMPARE(changed.size(), 1 + 20 - DataFrameModel::kMaxWantedBlocks);
        turn();
        QCOMPARE(m_asked.size(), 1);
        QCOMPARE(m_asked.first().offset, 29 * 200);
    }
};

QTEST_MAIN(TestDataFrameModel)
#include "tst_dataframemodel.moc"
