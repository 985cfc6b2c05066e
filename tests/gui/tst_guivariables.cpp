// Issue 20 item 5 in the window: the Variables pane lists the session's
// variables after each Python run, keeps them across an SQL run, and is
// emptied when the session restarts.
#include "gui/MainWindow.h"
#include "gui/RunController.h"
#include "gui/VariablesPane.h"
#include "support/LocalWindow.h"
#include "support/RunAndWait.h"

#include <QAction>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestGuiVariables : public QObject {
    Q_OBJECT
private:
    LocalWindow m_local;
    std::unique_ptr<MainWindow> &m_window = m_local.window;

    QStringList rowsOf(int column) const
    {
        const QTableWidget *table = m_window->variablesPane()->table();
        QStringList rows;
        for (int row = 0; row < table->rowCount(); ++row)
            rows << table->item(row, column)->text();
        return rows;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_local.open(u"org.safecell.tests.guivariables"_s)); }

    void cleanupTestCase() { m_window.reset(); }

    void thePaneListsWhatARunSet()
    {
        VariablesPane *pane = m_window->variablesPane();
        QVERIFY(pane->isVisible());
        QCOMPARE(pane->table()->rowCount(), 0);
        QVERIFY(runAndWait(*m_window,
                           u"import pandas as pd\ntotal = 3\nsales = pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})\n"_s,
                           Language::Python));
        // Listed by name: the pane's order, with no click.
        QCOMPARE(rowsOf(VariablesPane::NameColumn), (QStringList{u"sales"_s, u"total"_s}));
        QCOMPARE(rowsOf(VariablesPane::TypeColumn), (QStringList{u"DataFrame"_s, u"int"_s}));
        QCOMPARE(rowsOf(VariablesPane::SizeColumn).first(), u"2 rows x 2 columns"_s);
        QCOMPARE(rowsOf(VariablesPane::PreviewColumn).first(), u"a: int64, b: object"_s);
    }

    // A value's text is the snippet's: never markup in the pane's tooltips.
    void previewsAreShownAsPlainText()
    {
        QVERIFY(
            runAndWait(*m_window, u"markup = \"<img src='/etc/hosts'><h1>Sign in again</h1>\""_s, Language::Python));
        const QTableWidget *table = m_window->variablesPane()->table();
        const QList<QTableWidgetItem *> found = table->findItems(u"markup"_s, Qt::MatchExactly);
        QCOMPARE(found.size(), 1);
        const QString tip = table->item(found.first()->row(), VariablesPane::PreviewColumn)->toolTip();
        QVERIFY2(tip.contains(u"&lt;img"_s) && !tip.contains(u"<img"_s), qPrintable(tip));
        QVERIFY(runAndWait(*m_window, u"del markup"_s, Language::Python));
    }

    void anSqlRunLeavesThemAndARestartClearsThem()
    {
        QVERIFY(runAndWait(*m_window, u"SELECT 1 AS one"_s, Language::Sql));
        QCOMPARE(m_window->variablesPane()->table()->rowCount(), 2);
        m_window->runController()->restartSession(); // what Run > Restart Session does once confirmed
        QTRY_COMPARE(m_window->variablesPane()->table()->rowCount(), 0);
        QVERIFY(runAndWait(*m_window, u"again = 1"_s, Language::Python));
        QCOMPARE(rowsOf(VariablesPane::NameColumn), QStringList{u"again"_s});
    }

    void theViewMenuShowsAndHidesIt()
    {
        QAction *toggle = m_window->variablesPane()->toggleViewAction();
        QVERIFY(toggle->isChecked());
        toggle->trigger();
        QVERIFY(!m_window->variablesPane()->isVisible());
        toggle->trigger();
        QVERIFY(m_window->variablesPane()->isVisible());
    }
};

QTEST_MAIN(TestGuiVariables)
#include "tst_guivariables.moc"
