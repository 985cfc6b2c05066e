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
        QCOMPARE(view.toCsv(),
                 u"city,sales\r\n\"Bergen, West\",10\r\nOslo,9\r\n\"Say \"\"hi\"\"\",nan\r\n"_s);
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
