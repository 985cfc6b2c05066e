// The Ask box and "Explain this error" in the main window, offscreen,
// against FakeCohere: code streams into the editor and is not run.
#include "cohere/FakeCohere.h"
#include "gui/AskPanel.h"
#include "gui/LlmRequestView.h"
#include "gui/MainWindow.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"

#include <Qsci/qsciscintilla.h>

#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace safecell::fake;
using namespace Qt::StringLiterals;

namespace {
const QString kKey = u"co-gui-test-key-0123456789"_s;
}

class TestAskPanel : public QObject {
    Q_OBJECT
    // A service name of the test's own: never the user's keys.
    KeyStore m_keys{QStringLiteral("org.safecell.tests.askpanel")};
private:
    QTemporaryDir m_dir;
    std::unique_ptr<FakeCohere> m_fake;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;

    AskPanel *panel() { return m_window->findChild<AskPanel *>(u"askPanel"_s); }
    template <class T>
    T *child(const QString &name)
    {
        return m_window->findChild<T *>(name);
    }

private Q_SLOTS:
    void init()
    {
        m_fake = std::make_unique<FakeCohere>();
        QVERIFY(m_fake->listen());
        // The window reads these like a user's session would.
        qputenv("SAFECELL_COHERE_URL", m_fake->baseUrl().toString().toUtf8());
        qputenv("SAFECELL_DATA_DIR", m_dir.filePath(u"data"_s).toUtf8());
        QVERIFY(startWithOneEmptyTab());
        qputenv("COHERE_API_KEY", kKey.toUtf8());
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"gui.ini"_s));
        m_window = std::make_unique<MainWindow>(*m_settings, m_keys);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(panel());
    }

    void cleanup()
    {
        m_window.reset();
        m_settings.reset();
        m_fake.reset();
    }

    void newSettingsReachTheNextAsk()
    {
        FakeCohere other;
        QVERIFY(other.listen());
        other.enqueue(ScriptedResponse::stream({u"print(1)\n"_s}));
        LlmServicesConfig services = llmServicesFromSettings(*m_settings);
        services.baseUrl = other.baseUrl();
        panel()->reconfigure(services);
        QSignalSpy done(panel(), &AskPanel::finished);
        panel()->ask(u"print one"_s);
        QVERIFY(done.wait(10000));
        QCOMPARE(other.requests().size(), 1);
        QCOMPARE(m_fake->requests().size(), 0);
        QCOMPARE(m_window->code(), u"print(1)\n"_s);
    }

    void askStreamsCodeIntoTheEditorAndDoesNotRunIt()
    {
        m_fake->enqueue(
            ScriptedResponse::stream({u"```python\n"_s, u"total = 2 + 3\n"_s, u"print(total)\n"_s, u"```\n"_s})
                .splitEvery(16, 30));
        QSignalSpy done(panel(), &AskPanel::finished);
        QSignalSpy runs(m_window.get(), &MainWindow::runFinished);
        QTest::keyClicks(child<QLineEdit>(u"askPrompt"_s), u"add two numbers"_s);
        QTest::mouseClick(child<QPushButton>(u"askButton"_s), Qt::LeftButton);
        QVERIFY(child<QPushButton>(u"askCancelButton"_s)->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->code().contains(u"total = 2"_s) || !done.isEmpty(), 10000);
        QVERIFY(done.wait(10000) || !done.isEmpty());
        QCOMPARE(m_window->code(), u"total = 2 + 3\nprint(total)\n"_s);
        QVERIFY(!m_window->isRunning());
        QCOMPARE(runs.size(), 0);
        QVERIFY(m_fake->requests().first().body.contains("add two numbers"));
        QVERIFY(!m_fake->requests().first().body.contains(kKey.toUtf8()));
        QVERIFY(child<QPushButton>(u"askButton"_s)->isEnabled());
        // "What was sent to Cohere" shows exactly that body, pretty-printed.
        QCOMPARE(m_window->lastLlmRequest(), m_fake->requests().first().body);
        LlmRequestView *sent = m_window->showWhatWasSent();
        QCOMPARE(sent->shownText(), LlmRequestView::prettyPrinted(m_fake->requests().first().body));
        QVERIFY(sent->shownText().contains(u"add two numbers"_s));
        QVERIFY(sent->shownText().contains(u"\n  "_s)); // indented
        QVERIFY(!sent->shownText().contains(kKey));
        sent->close();
    }

    void cancelStopsTheStream()
    {
        m_fake->enqueue(
            ScriptedResponse::stream({u"print(1)\n"_s, u"print(2)\n"_s}).truncateAt(200, ScriptedResponse::End::Stall));
        QSignalSpy done(panel(), &AskPanel::finished);
        panel()->ask(u"print numbers"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->requests().size(), 1, 10000);
        QTest::mouseClick(child<QPushButton>(u"askCancelButton"_s), Qt::LeftButton);
        QVERIFY(!done.isEmpty() || done.wait(5000));
        QCOMPARE(done.first().first().value<CodeAssistantResult>().status, PaidChatOutcome::Status::Cancelled);
        QVERIFY(!panel()->isBusy());
    }

    void explainAppearsAfterAFailedRun()
    {
        QPushButton *explain = child<QPushButton>(u"explainButton"_s);
        QVERIFY(!explain->isEnabled());
        m_window->setCode(u"print(1 / 0)\n"_s);
        QSignalSpy runs(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(runs.wait(60000));
        QCOMPARE(runs.first().first().value<RunReport>().outcome, RunOutcome::Failed);
        QVERIFY(explain->isEnabled());

        m_fake->enqueue(ScriptedResponse::stream({u"Division by zero: "_s, u"check the divisor."_s}));
        QSignalSpy done(panel(), &AskPanel::finished);
        QTest::mouseClick(explain, Qt::LeftButton);
        QVERIFY(done.wait(10000));
        QCOMPARE(panel()->explanation(), u"Division by zero: check the divisor."_s);
        QVERIFY(m_fake->requests().first().body.contains("ZeroDivisionError"));
        QCOMPARE(m_window->code(), u"print(1 / 0)\n"_s); // the editor is untouched
    }
};

QTEST_MAIN(TestAskPanel)
#include "tst_askpanel.moc"
