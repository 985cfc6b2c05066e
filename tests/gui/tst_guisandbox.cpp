// The GUI picks its sandbox from the E2B key (E2B_API_KEY or the keychain),
// shows it in the status bar, and a changed key applies to the next run.
// E2B is FakeE2b here.
#include "FakeE2b.h"

#include "budget/CostModel.h"
#include "gui/Confirmation.h"
#include "gui/MainWindow.h"
#include "gui/RunController.h"
#include "gui/ServiceHealth.h"
#include "gui/SpendDashboard.h"
#include "llm/LlmServices.h"
#include "sandbox/SandboxCgroup.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"

#include <QChart>
#include <QLabel>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using safecell::fake::FakeE2b;
using namespace Qt::StringLiterals;

class TestGuiSandbox : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    FakeE2b m_fake;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<KeyStore> m_keys;
    std::unique_ptr<MainWindow> m_window;

    QLabel *sandboxLabel() { return m_window->findChild<QLabel *>(u"sandboxLabel"_s); }

    void openWindow()
    {
        m_window = std::make_unique<MainWindow>(*m_settings, *m_keys);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    RunReport runCode(const QString &code)
    {
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->setCode(code);
        m_window->run();
        if (finished.isEmpty() && !finished.wait(60000))
            return {};
        return finished.first().at(0).value<RunReport>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fake.listen());
        // A keychain service nobody uses: only E2B_API_KEY can give a key.
        m_keys = std::make_unique<KeyStore>(u"org.safecell.tests.guisandbox"_s);
    }

    void init()
    {
        QVERIFY(startWithOneEmptyTab());
        Confirmation::clearAsked();
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"gui.ini"_s));
        // The environment wins over the settings (the test harness points it at a closed port).
        qputenv("SAFECELL_E2B_API_URL", m_fake.url().toString().toUtf8());
        qputenv("SAFECELL_E2B_SANDBOX_URL", m_fake.url().toString().toUtf8());
    }

    void cleanup()
    {
        m_window.reset();
        m_settings.reset();
        qunsetenv("E2B_API_KEY");
    }

    void withAKeyTheRunGoesToE2b()
    {
        qputenv("E2B_API_KEY", FakeE2b::defaultApiKey().toUtf8());
        // A run that lasts a measurable while (billed to the millisecond: an
        // instant answer from the fake could cost nothing).
        m_fake.setScript(u"print(\"from the fake\")"_s,
                         {fake::FakeStep::sleep(50), fake::FakeStep::out(u"from the fake\n"_s)});
        openWindow();
        // Run pressed before the key is read: the run waits for it.
        const RunReport report = runCode(u"print(\"from the fake\")"_s);
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QCOMPARE(report.sandbox, u"e2b"_s);
        QVERIFY2(m_window->outputText().contains(u"from the fake"_s), qPrintable(m_window->outputText()));
        QCOMPARE(m_window->runController()->sandbox(), RunController::Sandbox::E2b);
        QCOMPARE(sandboxLabel()->text(), u"Sandbox: E2B · keychain unreadable"_s); // no session bus here
        QVERIFY(m_fake.sandboxesCreated() >= 1);
        // The cost beside the result: E2B time is paid.
        QVERIFY(!report.sandboxCost.isZero());
        const QString summary = m_window->runSummary();
        QVERIFY2(summary.startsWith(u"Finished · $"_s), qPrintable(summary));
        QVERIFY2(summary.contains(u"sandbox: "_s + report.sandboxCost.toString()), qPrintable(summary));
        QCOMPARE(m_window->findChild<QLabel *>(u"e2bHealth"_s)->text(), u"E2B: ready"_s);

        // The dashboard, opened from the window, has the run's spend.
        SpendDashboard *dashboard = m_window->openSpendDashboard();
        QVERIFY(dashboard->isVisible());
        QTRY_VERIFY(!dashboard->isLoading()); // read on the query thread
        QVERIFY(dashboard->report().sandbox >= report.sandboxCost);
        QVERIFY(!dashboard->report().bySandbox.isEmpty());
        QCOMPARE(dashboard->report().bySandbox.first().name, u"e2b"_s);
        QVERIFY(!dashboard->report().costliestRuns.isEmpty());
        QVERIFY(dashboard->dailyChart()->series().size() >= 1);
        dashboard->close();
    }

    void overBudgetIsRefusedAndShown()
    {
        qputenv("E2B_API_KEY", FakeE2b::defaultApiKey().toUtf8());
        m_settings->setValue(Setting::BudgetMonthlyLimitUsd, 0.000001); // a tenth of a thousandth of a cent
        openWindow();
        const int created = m_fake.sandboxesCreated();
        const RunReport report = runCode(u"print(\"never printed\")"_s);
        m_settings->reset(Setting::BudgetMonthlyLimitUsd);
        QCOMPARE(report.outcome, RunOutcome::OverBudget);
        QCOMPARE(m_fake.sandboxesCreated(), created); // nothing paid was started
        QVERIFY(!m_window->outputText().contains(u"never printed"_s));
        QVERIFY2(m_window->outputText().contains(report.message), qPrintable(m_window->outputText()));
        QVERIFY(m_window->runSummary().startsWith(u"Over budget · "_s));
        QVERIFY2(m_window->statusText().contains(report.message.section(u'\n', 0, 0)),
                 qPrintable(m_window->statusText()));
    }

    // Keep-warm obeys the budget (issue 16): when the session cannot hold
    // the next minute of its sandbox, the sandbox is closed as the run ends,
    // and the status bar says why.
    void aSandboxTheBudgetCannotKeepWarmIsClosedAndTheStatusBarSaysWhy()
    {
        qputenv("E2B_API_KEY", FakeE2b::defaultApiKey().toUtf8());
        const qint64 runS = (RunRequest{}.maxExecutionTimeMs + 999) / 1000 + 1;
        const Money run = cost::e2b(E2bRates::published(), SandboxSize{}, runS * 1000);
        m_settings->setValue(Setting::E2bLifetimeMarginS, 1);
        m_settings->setValue(Setting::E2bIdleTimeoutMs, 10 * 60 * 1000); // warm steps of a minute and more
        m_settings->setValue(Setting::BudgetSessionLimitUsd, QString::number(run.usd() * 1.5, 'f', 9));
        openWindow();
        const RunReport report = runCode(u"print(\"warm?\")"_s);
        QCOMPARE(report.outcome, RunOutcome::Ok);
        const QString why = u"the budget cannot cover keeping it warm"_s;
        QVERIFY2(report.message.contains(why), qPrintable(report.message));
        auto *state = m_window->statusBar()->findChildren<QLabel *>().first();
        QVERIFY2(state->text().contains(why), qPrintable(state->text()));
        QVERIFY2(m_window->outputText().contains(why), qPrintable(m_window->outputText()));
        QTRY_COMPARE_WITH_TIMEOUT(m_fake.liveSandboxes(), 0, 10000);
        for (Setting s : {Setting::E2bLifetimeMarginS, Setting::E2bIdleTimeoutMs, Setting::BudgetSessionLimitUsd})
            m_settings->reset(s);
    }

    void withoutAKeyTheRunIsLocal()
    {
        openWindow();
        QTRY_COMPARE(m_window->runController()->sandbox(), RunController::Sandbox::Local);
        // The label says which mechanism bounds the sandbox's memory here, and
        // that this test has no keychain (no session bus): not taken for "no key".
        const MemoryBound bound = memoryBoundFor(SandboxLimits{});
        QCOMPARE(sandboxLabel()->text(), u"Sandbox: local, %1 · keychain unreadable"_s.arg(memoryBoundName(bound)));
        QVERIFY2(sandboxLabel()->toolTip().contains(bound == MemoryBound::ProcessLimits ? u"process count"_s
                                                                                        : u"2048 MB"_s),
                 qPrintable(sandboxLabel()->toolTip()));
        const RunReport report = runCode(u"import sys\nprint(sys.version_info.major)"_s);
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QCOMPARE(report.sandbox, u"local"_s);
    }

    void aChangedKeyAppliesToTheNextRun()
    {
        openWindow();
        QTRY_COMPARE(m_window->runController()->sandbox(), RunController::Sandbox::Local);
        QCOMPARE(runCode(u"print(1)"_s).sandbox, u"local"_s);
        // What Settings' Save does once a key is stored. The session ran
        // code, so the window asks first; the answer: a fresh session now.
        qputenv("E2B_API_KEY", FakeE2b::defaultApiKey().toUtf8());
        QSignalSpy renewed(m_window->runController(), &RunController::sessionRenewed);
        Confirmation::setNextAnswers({true, true});
        m_window->runController()->reload();
        QTRY_COMPARE(m_window->runController()->sandbox(), RunController::Sandbox::E2b);
        QCOMPARE(sandboxLabel()->text(), u"Sandbox: E2B · keychain unreadable"_s); // no session bus here
        QCOMPARE(renewed.size(), 1);
        QCOMPARE(Confirmation::asked().size(), 1);
        QCOMPARE(Confirmation::asked().first().id, u"fresh-session"_s);
        QVERIFY(m_window->statusText().contains(u"fresh session"_s));
        QCOMPARE(runCode(u"print(\"now remote\")"_s).sandbox, u"e2b"_s);
        // Removed while a run is in flight: that run ends where it started, the next is local.
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_fake.setScript(u"slow()"_s, {fake::FakeStep::sleep(800), fake::FakeStep::out(u"slow done\n"_s)});
        m_window->setCode(u"slow()"_s);
        m_window->run();
        qunsetenv("E2B_API_KEY");
        m_window->runController()->reload();
        QTRY_COMPARE(m_window->runController()->sandbox(), RunController::Sandbox::Local);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.first().at(0).value<RunReport>().sandbox, u"e2b"_s);
        QCOMPARE(runCode(u"print(2)"_s).sandbox, u"local"_s);
    }

    // Last: the fake keeps refusing sandboxes for a while after it.
    void serviceHealthShowsBreakersAndLastErrors()
    {
        openWindow();
        auto *cohere = m_window->findChild<QLabel *>(u"cohereHealth"_s);
        auto *e2b = m_window->findChild<QLabel *>(u"e2bHealth"_s);
        QVERIFY(cohere && e2b);
        // No Cohere key: said in plain words, and nothing else is claimed.
        QTRY_COMPARE(cohere->text(), u"Cohere: no key"_s);
        QVERIFY(cohere->toolTip().contains(u"Add a key in Settings"_s));
        QVERIFY(!e2b->isVisible()); // E2B is not used without a key
        m_window->serviceHealth()->setCohereKey(true);
        QCOMPARE(cohere->text(), u"Cohere: ready"_s);
        QVERIFY(cohere->toolTip().contains(u"No error this session."_s));
        // Five failures of one model open its breaker (the process-wide breakers the router uses).
        const QString model = u"command-r7b-12-2024"_s;
        for (int i = 0; i < 5; ++i)
            processCircuitBreakers()->forModel(model).recordFailure();
        QTRY_VERIFY_WITH_TIMEOUT(cohere->text().startsWith(u"Cohere: ready (1 of "_s), 5000);
        QVERIFY2(cohere->text().contains(u"models paused until "_s), qPrintable(cohere->text()));
        QVERIFY2(cohere->toolTip().contains(model + u": paused after repeated failures, failures in a row: 5"_s),
                 qPrintable(cohere->toolTip()));
        processCircuitBreakers()->forModel(model).recordSuccess();
        // An Ask that failed is Cohere's last error.
        CodeAssistantResult failed;
        failed.status = PaidChatOutcome::Status::Failed;
        failed.message = u"Cohere answered 503: overloaded"_s;
        m_window->serviceHealth()->noteAssistant(failed);
        QVERIFY(cohere->toolTip().contains(u"Cohere answered 503: overloaded"_s));
        QVERIFY(cohere->text().contains(u"last error"_s));

        // An E2B run that ends Unavailable is E2B's last error and counts against its breaker.
        qputenv("E2B_API_KEY", FakeE2b::defaultApiKey().toUtf8());
        m_window->runController()->reload();
        QTRY_COMPARE(m_window->runController()->sandbox(), RunController::Sandbox::E2b);
        QCOMPARE(e2b->text(), u"E2B: ready"_s);
        QVERIFY(e2b->isVisible());
        m_fake.failNext("POST", "/v2/sandboxes", 401, u"Invalid API key"_s, {}, 3);
        m_fake.failNext("POST", "/sandboxes", 401, u"Invalid API key"_s, {}, 3);
        const RunReport report = runCode(u"print(1)"_s);
        QCOMPARE(report.outcome, RunOutcome::Unavailable);
        QVERIFY2(e2b->text().startsWith(u"E2B: ready (last error "_s), qPrintable(e2b->text()));
        QVERIFY2(e2b->toolTip().contains(report.message), qPrintable(e2b->toolTip()));
        QVERIFY2(e2b->toolTip().contains(u"Sandboxes: ready, failures in a row: 1"_s), qPrintable(e2b->toolTip()));
        // Five in a row open it: the next run does not call E2B at all.
        for (int i = 0; i < 4; ++i)
            processE2bBreaker()->recordFailure();
        QTRY_VERIFY_WITH_TIMEOUT(e2b->text().startsWith(u"E2B: unavailable until "_s), 5000);
        QVERIFY2(e2b->toolTip().contains(u"tried again in "_s), qPrintable(e2b->toolTip()));
        const qsizetype requests = m_fake.requests().size();
        const RunReport refused = runCode(u"print(2)"_s);
        QCOMPARE(refused.outcome, RunOutcome::Unavailable);
        QVERIFY2(refused.message.contains(u"not calling it"_s), qPrintable(refused.message));
        QCOMPARE(m_fake.requests().size(), requests);
        QVERIFY(e2b->toolTip().contains(refused.message));
    }
};

QTEST_MAIN(TestGuiSandbox)
#include "tst_guisandbox.moc"
