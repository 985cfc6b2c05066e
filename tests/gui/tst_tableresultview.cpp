#include "gui/TableModel.h"
#include "gui/TableResultView.h"

#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestTableResultView : public QObject {
    Q_OBJECT
private:
    static TableData sample()
    {
        TableData t;
        t.columns = {u"city"_s, u"sales"_s};
        t.types = {u"object"_s, u"int64"_s};
        t.rows = {{u"Oslo"_s, u"9"_s}, {u"Bergen, West"_s, u"10"_s}, {u"Say \"hi\""_s, u"nan"_s}};
        t.totalRows = 3;
        return t;
    }

private Q_SLOTS:
    void numericColumnsSortAsNumbers()
    {
        TableResultView view(sample());
        view.view()->horizontalHeader()->setSortIndicator(1, Qt::AscendingOrder);
        QAbstractItemModel *m = view.view()->model();
        // NaN first, then 9 before 10 (a text sort would put "10" before "9").
        QCOMPARE(m->index(0, 1).data().toString(), u"nan"_s);
        QCOMPARE(m->index(1, 1).data().toString(), u"9"_s);
        QCOMPARE(m->index(2, 1).data().toString(), u"10"_s);
        view.view()->horizontalHeader()->setSortIndicator(0, Qt::DescendingOrder);
        QCOMPARE(m->index(0, 0).data().toString(), u"Say \"hi\""_s);
    }

    void keepsTheResultOrderUntilAHeaderIsClicked()
    {
        TableResultView view(sample());
        QCOMPARE(view.view()->model()->index(0, 0).data().toString(), u"Oslo"_s);
    }

    void csvQuotesAndFollowsTheShownOrder()
    {
        TableResultView view(sample());
        view.view()->horizontalHeader()->setSortIndicator(1, Qt::DescendingOrder);
        QCOMPARE(view.toCsv(), u"city,sales\r\n\"Bergen, West\",10\r\nOslo,9\r\n\"Say \"\"hi\"\"\",nan\r\n"_s);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"t.csv"_s);
        QVERIFY(view.exportCsv(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()), view.toCsv());
        QString error;
        QVERIFY(!view.exportCsv(dir.filePath(u"missing/dir/t.csv"_s), &error));
        QVERIFY(!error.isEmpty());
    }

    void ctrlCCopiesTheSelectionAsTabSeparatedText()
    {
        TableResultView view(sample());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QAbstractItemModel *m = view.view()->model();
        QItemSelectionModel *selection = view.view()->selectionModel();
        selection->select(QItemSelection(m->index(0, 0), m->index(1, 1)), QItemSelectionModel::Select);
        view.view()->setFocus();
        QTest::keyClick(view.view(), Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), u"Oslo\t9\nBergen, West\t10"_s);
    }

    void summarySaysWhenRowsWereCut()
    {
        TableData t = sample();
        t.totalRows = 5000;
        TableResultView view(t);
        bool found = false;
        for (QLabel *label : view.findChildren<QLabel *>())
            found = found || label->text().contains(u"3 of 5000 rows"_s);
        QVERIFY(found);
    }

    // Rows are labelled by the DataFrame's index (not 1..n), the labels
    // follow their rows when a header sorts them, and CSV starts with them.
    void theIndexLabelsTheRowsAndIsExported()
    {
        TableData t = sample();
        t.rowLabels = {u"7"_s, u"3"_s, u"12"_s}; // after a sort_values in pandas
        TableResultView view(t);
        QAbstractItemModel *m = view.view()->model();
        QCOMPARE(m->headerData(0, Qt::Vertical).toString(), u"7"_s);
        QCOMPARE(m->headerData(2, Qt::Vertical).toString(), u"12"_s);
        view.view()->sortByColumn(1, Qt::DescendingOrder);
        for (int row = 0; row < m->rowCount(); ++row) {
            const QString city = m->index(row, 0).data().toString();
            const int source = int(
                std::find_if(t.rows.cbegin(), t.rows.cend(), [&](const QStringList &r) { return r[0] == city; })
                - t.rows.cbegin());
            QCOMPARE(m->headerData(row, Qt::Vertical).toString(), t.rowLabels[source]);
        }
        const QStringList lines = view.toCsv().split(u"\r\n"_s);
        QVERIFY2(lines[0].startsWith(u",city,"_s), qPrintable(lines[0]));
        QVERIFY2(lines[1].startsWith(m->headerData(0, Qt::Vertical).toString() + u","_s), qPrintable(lines[1]));
        // Without an index (SQL), rows are numbered from 1.
        TableModel plain(sample());
        QCOMPARE(plain.headerData(0, Qt::Vertical).toInt(), 1);
    }

    void modelHeadersAndAlignment()
    {
        TableModel model(sample());
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), u"sales"_s);
        QCOMPARE(model.headerData(0, Qt::Vertical).toInt(), 1);
        QVERIFY(model.headerData(1, Qt::Horizontal, Qt::ToolTipRole).toString().contains(u"int64"_s));
        QVERIFY(model.isNumericColumn(1));
        QVERIFY(!model.isNumericColumn(0));
        QCOMPARE(model.data(model.index(0, 1), Qt::TextAlignmentRole).toInt(), int(Qt::AlignRight | Qt::AlignVCenter));
    }
};

QTEST_MAIN(TestTableResultView)
#include "tst_tableresultview.moc"
