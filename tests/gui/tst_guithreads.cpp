// The GUI thread never touches SQLite: everything an analyst does in the
// window (start, runs, a blocked snippet, the history and its filters, the
// spend dashboard, a paid Ask, a fresh session, closing) opens the ledger on worker
// threads only. The check is SpendLedger's open observer, which sees every
// ledger opened, by any part, on any thread.
#include "budget/SpendLedger.h"
#include "cohere/FakeCohere.h"
#include "gui/AskPanel.h"
#include "gui/BudgetGauge.h"
#include "gui/HistoryDialog.h"
#include "gui/MainWindow.h"
#include "gui/RunController.h"
#include "gui/SpendDashboard.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"
#include "support/RunAndWait.h"

#include <QCoreApplication>
#include <QLineEdit>
#include <QMutex>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {
QMutex g_lock;
QStringList g_onGuiThread; // paths opened on the GUI thread
int g_elsewhere = 0;       // ledgers opened on other threads

void recordOpen(const QString &path)
{
    const QMutexLocker locked(&g_lock);
    if (QThread::currentThread() == QCoreApplication::instance()->thread())
        g_onGuiThread << path;
    else
        ++g_elsewhere;
}
} // namespace

class TestGuiThreads : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    fake::FakeCohere m_cohere;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<KeyStore> m_keys;
    std::unique_ptr<MainWindow> m_window;

    static void checkNoneOnTheGuiThread()
    {
        const QMutexLocker locked(&g_lock);
        QVERIFY2(g_onGuiThread.isEmpty(), qPrintable(u"opened on the GUI thread: "_s + g_onGuiThread.join(u", "_s)));
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("SAFECELL_DATA_DIR", m_dir.filePath(u"data"_s).toUtf8());
        QVERIFY(startWithOneEmptyTab());
        // A paid Ask reserves and settles in the ledger: against the fake.
        QVERIFY(m_cohere.listen());
        qputenv("SAFECELL_COHERE_URL", m_cohere.baseUrl().toString().toUtf8());
        qputenv("COHERE_API_KEY", "guithreads-test-key");
        qunsetenv("E2B_API_KEY");
        SpendLedger::setOpenObserver(recordOpen);
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"gui.ini"_s));
        m_keys = std::make_unique<KeyStore>(u"org.safecell.tests.guithreads"_s);
        m_window = std::make_unique<MainWindow>(*m_settings, *m_keys);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void runsOpenTheLedgerOnTheirThreadOnly()
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_window->budgetGauge()->snapshot().periodStart.isValid(), 10000);
        QVERIFY(runAndWait(*m_window, u"print('one')"_s, Language::Python));
        QVERIFY(runAndWait(*m_window, u"SELECT 1 AS one;"_s, Language::Sql));
        QVERIFY(runAndWait(*m_window, u"import os\nos.system('blocked')"_s, Language::Python));
        checkNoneOnTheGuiThread();
        const QMutexLocker locked(&g_lock);
        QVERIFY(g_elsewhere > 0); // the observer does see the opens
    }

    void historyAndItsFiltersReadOffTheGuiThread()
    {
        HistoryDialog *history = m_window->openHistory();
        QTRY_VERIFY(!history->isLoading());
        QCOMPARE(history->runs().size(), 3);
        QTest::keyClicks(history->findChild<QLineEdit *>(u"textEdit"_s), u"one"_s);
        QTRY_VERIFY(!history->isLoading());
        QCOMPARE(history->runs().size(), 2);
        history->close();
        checkNoneOnTheGuiThread();
    }

    void theDashboardReadsOffTheGuiThread()
    {
        SpendDashboard *dashboard = m_window->openSpendDashboard();
        QTRY_VERIFY(!dashboard->isLoading());
        dashboard->close();
        checkNoneOnTheGuiThread();
    }

    void aPaidAskAndAFreshSessionTouchNoLedgerHere()
    {
        m_cohere.enqueue(fake::ScriptedResponse::stream({u"```python\n"_s, u"print(2)\n"_s, u"```\n"_s}));
        AskPanel *panel = m_window->askPanel();
        QSignalSpy answered(panel, &AskPanel::finished);
        // Asked once the window has read the key (until then Ask is off).
        QTRY_VERIFY_WITH_TIMEOUT((panel->ask(u"print two"_s), panel->isBusy()), 10000);
        QVERIFY(answered.wait(30000));
        QCOMPARE(m_cohere.requests().size(), 1);
        QCOMPARE(answered.first().first().value<CodeAssistantResult>().status, PaidChatOutcome::Status::Ok);
        m_window->runController()->restartSession();
        QVERIFY(runAndWait(*m_window, u"print('after')"_s, Language::Python));
        checkNoneOnTheGuiThread();
    }

    void closingRetiresTheThreadsWithoutTouchingTheLedger()
    {
        m_window.reset();
        checkNoneOnTheGuiThread();
        SpendLedger::setOpenObserver({});
    }
};

QTEST_MAIN(TestGuiThreads)
#include "tst_guithreads.moc"
