// The safety check as the analyst sees it: margin markers with reasons,
// the findings list, and the Run anyway / Cancel question.
#include "gui/AmbiguityDialog.h"
#include "gui/EditorFindings.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/FindingsPanel.h"
#include "gui/MainWindow.h"
#include "gui/support/OneEmptyTab.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestSafetyGui : public QObject {
    Q_OBJECT
    // A service name of the test's own: never the user's keys.
    KeyStore m_keys{QStringLiteral("org.safecell.tests.safetygui")};
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;

    QsciScintilla *editor() { return m_window->editor(); }
    FindingsPanel *panel() { return m_window->findChild<FindingsPanel *>(u"findingsPanel"_s); }
    EditorFindings *marks() { return m_window->tabs()->current()->findings(); }
    AmbiguityDialog *prompt() { return m_window->findChild<AmbiguityDialog *>(u"ambiguousDialog"_s); }

private Q_SLOTS:
    void init()
    {
        QVERIFY(startWithOneEmptyTab());
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"gui.ini"_s));
        m_window = std::make_unique<MainWindow>(*m_settings, m_keys);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        m_settings.reset();
    }

    void blockedSnippetIsMarkedAndListed()
    {
        m_window->setCode(u"x = 1\nimport os\nos.system('ls')\n"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(15000));
        const RunReport report = finished.first().at(0).value<RunReport>();
        QCOMPARE(report.outcome, RunOutcome::Blocked);
        QVERIFY(report.sandbox.isEmpty());
        QVERIFY(!prompt()); // dangerous is never offered
        // margin marker on line 3 (0-based 2), none on line 1
        QVERIFY(editor()->markersAtLine(2) & (1 << EditorFindings::kDangerMarker));
        QCOMPARE(editor()->markersAtLine(0), 0u);
        QVERIFY(marks()->reasonsForLine(3).startsWith(u"PY-PROC: "_s));
        QVERIFY(editor()->annotation(2).contains(u"PY-PROC"_s));
        // listed under the editor; clicking jumps to the line
        QVERIFY(panel()->isVisible());
        QCOMPARE(panel()->count(), 1);
        QListWidget *list = panel()->list();
        editor()->setCursorPosition(0, 0);
        const QRect rect = list->visualItemRect(list->item(0));
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, rect.center());
        int line = -1, index = -1;
        editor()->getCursorPosition(&line, &index);
        QCOMPARE(line, 2);
    }

    void ambiguousAsksAndRunAnywayRuns()
    {
        m_window->setCode(u"import os\nprint(os.getenv('NOPE_Z', 'gui-fallback'))\n"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(15000));
        QCOMPARE(finished.first().at(0).value<RunReport>().outcome, RunOutcome::NeedsConfirmation);
        QTRY_VERIFY(prompt());
        QVERIFY(prompt()->reasonsText().contains(u"PY-ENV"_s));
        QVERIFY(editor()->markersAtLine(1) & (1 << EditorFindings::kWarnMarker));
        auto *runAnyway = prompt()->findChild<QPushButton *>(u"runAnywayButton"_s);
        QVERIFY(runAnyway);
        QTest::mouseClick(runAnyway, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
        const RunReport second = finished.at(1).at(0).value<RunReport>();
        QCOMPARE(second.outcome, RunOutcome::Ok);
        QVERIFY2(m_window->outputText().contains(u"gui-fallback"_s), qPrintable(m_window->outputText()));
    }

    void ambiguousCancelDoesNotRun()
    {
        m_window->setCode(u"with open('out.txt', 'w') as f:\n    f.write('x')\nprint('wrote')\n"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(15000));
        QTRY_VERIFY(prompt());
        auto *cancel = prompt()->findChild<QPushButton *>(u"cancelButton"_s);
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTest::qWait(500);
        QCOMPARE(finished.size(), 1);
        QVERIFY(!m_window->isRunning());
        QVERIFY(!m_window->outputText().contains(u"wrote"_s));
        QCOMPARE(panel()->count(), 1); // the reason stays listed
    }

    void safeSnippetClearsOldFindings()
    {
        m_window->setCode(u"import os\n"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(15000));
        QCOMPARE(panel()->count(), 1);
        m_window->setCode(u"print(40 + 2)\n"_s);
        m_window->run();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
        QCOMPARE(panel()->count(), 0);
        QVERIFY(!panel()->isVisible());
        QCOMPARE(editor()->markersAtLine(0), 0u);
    }
};

QTEST_MAIN(TestSafetyGui)
#include "tst_safetygui.moc"
