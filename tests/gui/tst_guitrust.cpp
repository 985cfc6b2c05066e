// The ambiguous-code question as the analyst sees it: the reasons, Run
// anyway, Cancel, and "Trust this snippet for this session" (by hash).
#include "gui/AmbiguityDialog.h"
#include "gui/MainWindow.h"
#include "pipeline/RunHistory.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"

#include <QCheckBox>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <Qsci/qsciscintilla.h>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestGuiTrust : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<KeyStore> m_keys;
    std::unique_ptr<MainWindow> m_window;
    const QString m_code = u"import os\nprint(os.getenv('NOPE_TRUST', 'trusted-run'))\n"_s;

    AmbiguityDialog *prompt() { return m_window->findChild<AmbiguityDialog *>(u"ambiguousDialog"_s); }

    void answer(const QString &button, bool trust)
    {
        QTRY_VERIFY(prompt() && prompt()->isVisible());
        auto *box = prompt()->findChild<QCheckBox *>(u"trustBox"_s);
        QVERIFY(box);
        box->setChecked(trust);
        auto *target = prompt()->findChild<QPushButton *>(button);
        QVERIFY(target);
        QTest::mouseClick(target, Qt::LeftButton);
        QTRY_VERIFY(!prompt());
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(startWithOneEmptyTab());
        qunsetenv("COHERE_API_KEY");
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"gui.ini"_s));
        m_keys = std::make_unique<KeyStore>(u"org.safecell.tests.guitrust"_s);
        m_window = std::make_unique<MainWindow>(*m_settings, *m_keys);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        m_settings.reset();
    }

    void thePromptShowsTheReasons()
    {
        m_window->setCode(m_code);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(15000));
        const RunReport report = finished.first().at(0).value<RunReport>();
        QCOMPARE(report.outcome, RunOutcome::NeedsConfirmation);
        QTRY_VERIFY(prompt());
        const QString reasons = prompt()->reasonsText();
        QVERIFY2(reasons.contains(u"Line 2"_s) && reasons.contains(u"PY-ENV"_s), qPrintable(reasons));
        // The LLM's answer, or why there was none, when the check escalated.
        QVERIFY2(reasons.contains(report.classificationNote), qPrintable(reasons));
        QVERIFY(reasons.contains(u"Decided by: "_s + report.decidedBy));
        answer(u"cancelButton"_s, false);
        QCOMPARE(finished.size(), 1);
        QVERIFY(!m_window->isTrusted(m_code));
    }

    void aReasonShowsItsLineAndEnterDoesNotRun()
    {
        m_window->setCode(m_code);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(15000));
        QTRY_VERIFY(prompt() && prompt()->isVisible());
        auto *list = prompt()->findChild<QListWidget *>(u"findingsList"_s);
        QVERIFY(list && list->count() >= 1);
        QVERIFY(list->item(0)->text().startsWith(u"Line 2"_s));
        QSignalSpy shown(prompt(), &AmbiguityDialog::lineActivated);
        list->setFocus();
        QTest::keyClick(list, Qt::Key_Return); // activates the reason, does not answer
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown.first().at(0).toInt(), 2);
        int line = -1, column = -1;
        m_window->editor()->getCursorPosition(&line, &column);
        QCOMPARE(line, 1); // 0-based: the second line, where os.getenv is
        QVERIFY(prompt());
        // Enter on the dialog itself presses the default button: Cancel.
        QTest::keyClick(prompt(), Qt::Key_Return);
        QTRY_VERIFY(!prompt());
        QTest::qWait(300);
        QCOMPARE(finished.size(), 1);
        QVERIFY(!m_window->outputText().contains(u"trusted-run"_s));
    }

    void cancelRunsNothingAndTrustsNothing()
    {
        m_window->setCode(m_code);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(15000));
        answer(u"cancelButton"_s, true); // ticking the box and cancelling trusts nothing
        QTest::qWait(300);
        QCOMPARE(finished.size(), 1);
        QVERIFY(!m_window->outputText().contains(u"trusted-run"_s));
        QVERIFY(!m_window->isTrusted(m_code));
    }

    void trustedSnippetRunsWithoutAskingUntilItChanges()
    {
        m_window->setCode(m_code);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(15000));
        answer(u"runAnywayButton"_s, true);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
        QCOMPARE(finished.at(1).at(0).value<RunReport>().outcome, RunOutcome::Ok);
        QVERIFY(m_window->isTrusted(m_code));

        // The same code again: no question, it runs (confirmed by the analyst).
        m_window->run();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 30000);
        const RunReport again = finished.at(2).at(0).value<RunReport>();
        QCOMPARE(again.outcome, RunOutcome::Ok);
        QVERIFY(!prompt());
        QVERIFY(m_window->outputText().contains(u"trusted-run"_s));

        // One character changed: a different hash, so it asks again.
        m_window->setCode(m_code + u"# changed\n"_s);
        QVERIFY(!m_window->isTrusted(m_window->code()));
        m_window->run();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, 30000);
        QCOMPARE(finished.at(3).at(0).value<RunReport>().outcome, RunOutcome::NeedsConfirmation);
        QTRY_VERIFY(prompt());
        answer(u"cancelButton"_s, false);

        // Dangerous code is never run, trusted or not.
        m_window->setCode(u"import os\nos.system('true')\n"_s);
        m_window->run();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 5, 30000);
        QCOMPARE(finished.at(4).at(0).value<RunReport>().outcome, RunOutcome::Blocked);
        QVERIFY(!prompt());
    }

    void trustLastsForTheSessionOnly()
    {
        QVERIFY(!m_window->isTrusted(m_code)); // a new window: a new session
    }
};

QTEST_MAIN(TestGuiTrust)
#include "tst_guitrust.moc"
