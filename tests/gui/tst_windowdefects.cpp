// Issue 18's defects of the window, each tried the way an analyst meets it:
// through the window's own widgets, keys and layout (offscreen).
#include "gui/AskPanel.h"
#include "gui/Confirmation.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/FindingsPanel.h"
#include "gui/ImageResultView.h"
#include "gui/MainWindow.h"
#include "gui/PaneFocus.h"
#include "gui/ResultsPanel.h"
#include "gui/ResultsPerTab.h"
#include "gui/RunController.h"
#include "gui/RunResultsView.h"
#include "gui/SettingsDialog.h"
#include "gui/TableResultView.h"
#include "gui/TimeLimitControl.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"

#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QToolButton>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestWindowDefects : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_n = 0;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<KeyStore> m_keys;
    std::unique_ptr<MainWindow> m_window;

    QComboBox *languageBox() { return m_window->findChild<QComboBox *>(u"languageBox"_s); }

    RunReport runAndWait(int timeoutMs = 60000)
    {
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        if (!finished.wait(timeoutMs))
            return {};
        return finished.first().at(0).value<RunReport>();
    }

    RunReport run(const QString &code, int timeoutMs = 60000)
    {
        m_window->setCode(code);
        return runAndWait(timeoutMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("COHERE_API_KEY");
        qunsetenv("E2B_API_KEY");
        m_keys = std::make_unique<KeyStore>(u"org.safecell.tests.windowdefects"_s);
    }

    void init()
    {
        QVERIFY(startWithOneEmptyTab());
        Confirmation::clearAsked();
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"defects%1.ini"_s.arg(++m_n)));
        m_window = std::make_unique<MainWindow>(*m_settings, *m_keys);
        m_window->resize(1100, 760);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTRY_VERIFY(m_window->runController()->sandbox() != RunController::Sandbox::Unknown);
    }

    void cleanup()
    {
        m_window.reset();
        m_settings.reset();
        qunsetenv("E2B_API_KEY");
    }

    // 1. The box's choice is the tab's language, and a new tab starts with it.
    void theLanguageBoxSetsTheTabsLanguage()
    {
        QComboBox *box = languageBox();
        QVERIFY(box);
        box->setFocus();
        QTest::keyClick(box, Qt::Key_Down); // Python -> SQL, as from the keyboard
        QCOMPARE(box->currentText(), u"SQL"_s);
        QCOMPARE(m_window->language(), Language::Sql);
        RunReport report = run(u"SELECT 42 AS answer;"_s);
        QVERIFY2(report.outcome == RunOutcome::Ok, qPrintable(m_window->outputText()));

        EditorTab *sqlTab = m_window->tabs()->current();
        m_window->editor()->setFocus();
        QTest::keyClick(m_window->editor(), Qt::Key_T, Qt::ControlModifier);
        QVERIFY(m_window->tabs()->current() != sqlTab);
        QCOMPARE(m_window->language(), Language::Sql); // the box's choice
        box->setFocus();
        QTest::keyClick(box, Qt::Key_Up); // SQL -> Python for the new tab
        QCOMPARE(m_window->language(), Language::Python);
        QCOMPARE(sqlTab->language(), Language::Sql);
        report = run(u"import pandas as pd\nprint(pd.__name__)\n"_s);
        // The same choice from the keyboard's menu path: Run > Language > SQL.
        auto *menu = m_window->findChild<QMenu *>(u"menuLanguage"_s);
        QVERIFY(menu);
        QAction *sql = nullptr;
        for (QAction *choice : menu->actions())
            sql = choice->text() == u"&SQL"_s ? choice : sql;
        QVERIFY(sql);
        sql->trigger();
        QCOMPARE(m_window->language(), Language::Sql);
        QCOMPARE(box->currentText(), u"SQL"_s);
        box->setCurrentIndex(0);
        QCOMPARE(m_window->language(), Language::Python);
        QVERIFY2(report.outcome == RunOutcome::Ok, qPrintable(m_window->outputText()));
        QVERIFY(report.findings.isEmpty()); // no SQL-WRITE for a Python import
        QVERIFY(m_window->outputText().contains(u"pandas"_s));
    }

    // 2. Esc stops a run while the editor has the keyboard.
    void escStopsARunFromTheEditor()
    {
        m_window->setCode(u"import time\nprint('started', flush=True)\ntime.sleep(30)\n"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->outputText().contains(u"started"_s), 20000);
        m_window->editor()->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(m_window->editor()));
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Escape);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(0).value<RunReport>().outcome, RunOutcome::Cancelled);
        // No run: Esc stays the editor's (nothing stops, nothing breaks).
        m_window->setCode(u"x = 1"_s);
        QTest::keyClick(m_window->editor(), Qt::Key_Escape);
        QCOMPARE(m_window->code(), u"x = 1"_s);
        QVERIFY(!m_window->isRunning());
    }

    // 3. The time limit is in the toolbar, set from the keyboard, kept, capped,
    // and the outcome names it.
    void theTimeLimitIsShownSetCappedAndNamed()
    {
        QSpinBox *box = m_window->timeLimit()->spinBox();
        QVERIFY(m_window->findChild<QToolBar *>(u"runToolBar"_s)->isAncestorOf(box));
        QVERIFY(box->isVisible());
        QCOMPARE(box->value(), 30); // the recipe's default
        QCOMPARE(box->text(), u"Time limit 30 s"_s);
        QCOMPARE(box->maximum(), 600); // Settings' cap
        m_window->editor()->setFocus();
        QTest::keyClick(m_window->editor(), Qt::Key_T, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(box->hasFocus());
        QTest::keyClicks(QApplication::focusWidget(), u"2"_s);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
        QCOMPARE(box->value(), 2);
        QCOMPARE(m_settings->integer(Setting::RunTimeLimitMs), 2000);

        const RunReport report = run(u"import time\ntime.sleep(20)\n"_s, 30000);
        QCOMPARE(report.outcome, RunOutcome::TimedOut);
        QCOMPARE(report.timeLimitMs, 2000);
        QVERIFY(!report.timeLimitFromBudget);
        QVERIFY2(m_window->statusText().startsWith(u"Stopped at the 2 s time limit"_s),
                 qPrintable(m_window->statusText()));
        QVERIFY2(m_window->runSummary().startsWith(u"Stopped at the 2 s time limit · "_s),
                 qPrintable(m_window->runSummary()));

        // A lower cap in Settings brings the limit down with it.
        m_settings->setValue(Setting::RunTimeLimitMs, 45000);
        m_settings->setValue(Setting::RequestTimeLimitCapMs, 20000);
        m_window->timeLimit()->reload();
        QCOMPARE(box->maximum(), 20);
        QCOMPARE(box->value(), 20);
        QCOMPARE(m_window->timeLimit()->limitMs(), 20000);
    }

    // 4. Settings renew the session only when they must, and never without asking.
    void settingsRenewTheSessionOnlyWhenTheyNeedTo()
    {
        auto *restartButton = qobject_cast<QToolButton *>(
            m_window->findChild<QToolBar *>(u"runToolBar"_s)
                ->widgetForAction(m_window->findChild<QAction *>(u"actionRestartSession"_s)));
        QVERIFY(restartButton);
        QCOMPARE(restartButton->toolButtonStyle(), Qt::ToolButtonTextBesideIcon); // a label, not an icon alone
        QCOMPARE(restartButton->text(), u"Restart session"_s);

        QCOMPARE(run(u"kept = 41"_s).outcome, RunOutcome::Ok);
        QSignalSpy renewed(m_window->runController(), &RunController::sessionRenewed);
        // A budget limit changed in Settings and OK: the session stays.
        m_window->openSettings();
        auto *dialog = m_window->findChild<SettingsDialog *>();
        QVERIFY(dialog);
        auto *limit = dialog->findChild<QLineEdit *>(u"budgetLimitEdit"_s);
        QVERIFY(limit);
        limit->setText(u"7.50"_s);
        QTest::mouseClick(dialog->findChild<QDialogButtonBox *>(u"buttons"_s)->button(QDialogButtonBox::Ok),
                          Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<SettingsDialog *>());
        QCOMPARE(run(u"print(kept + 1)"_s).outcome, RunOutcome::Ok);
        QVERIFY2(m_window->outputText().contains(u"42"_s), qPrintable(m_window->outputText()));
        QCOMPARE(renewed.size(), 0);
        QVERIFY(Confirmation::asked().isEmpty());

        // A new E2B key needs a fresh session: asked first; "Later" keeps this one.
        qputenv("E2B_API_KEY", "e2b_not_used_by_this_test");
        Confirmation::setNextAnswers({false});
        m_window->runController()->reload();
        QTRY_COMPARE(Confirmation::asked().size(), 1);
        QCOMPARE(Confirmation::asked().first().id, u"fresh-session"_s);
        QCOMPARE(renewed.size(), 0);
        QVERIFY(m_window->runController()->hasPendingFreshSession());
        QCOMPARE(m_window->runController()->sandbox(), RunController::Sandbox::Local);
        // The label also names the memory bound in force and, with no
        // session bus here, that the keychain could not be read.
        const QString label = m_window->findChild<QLabel *>(u"sandboxLabel"_s)->text();
        QVERIFY2(label.startsWith(u"Sandbox: local, "_s) && label.contains(u"(E2B after a restart)"_s),
                 qPrintable(label));
        QCOMPARE(run(u"print(kept)"_s).sandbox, u"local"_s);
        QVERIFY(m_window->outputText().contains(u"41"_s));
        // Restarting (asked again: it holds a variable) applies the waiting settings.
        Confirmation::setNextAnswers({true});
        m_window->restartSession();
        QCOMPARE(Confirmation::asked().size(), 2);
        QCOMPARE(Confirmation::asked().last().id, u"restart-session"_s);
        QCOMPARE(renewed.size(), 1);
        QCOMPARE(m_window->runController()->sandbox(), RunController::Sandbox::E2b);
        QVERIFY(!m_window->runController()->hasPendingFreshSession());
    }

    // 5. Each tab keeps its own output, figures and tables, even while a
    // run writes into a tab that is not shown.
    void eachTabKeepsItsOwnResults()
    {
        EditorTabs *tabs = m_window->tabs();
        EditorTab *first = tabs->current();
        QCOMPARE(run(u"import pandas as pd\nprint('from the first tab')\npd.DataFrame({'a': [1, 2]})\n"_s).outcome,
                 RunOutcome::Ok);
        QCOMPARE(m_window->resultsPanel()->resultCount(), 1);
        EditorTab *second = tabs->addTab(QString(), Language::Python);
        QCOMPARE(m_window->resultsPanel()->resultCount(), 0);
        QVERIFY(!m_window->outputText().contains(u"from the first tab"_s));
        QCOMPARE(run(u"print('from the second tab')"_s).outcome, RunOutcome::Ok);
        tabs->setCurrentIndex(tabs->indexOf(first));
        QVERIFY(m_window->outputText().contains(u"from the first tab"_s));
        QVERIFY(!m_window->outputText().contains(u"from the second tab"_s));
        QCOMPARE(m_window->resultsPanel()->resultCount(), 1);
        QVERIFY(m_window->runSummary().startsWith(u"Finished"_s));

        // A run in the second tab goes on while the first is shown: its output lands in the second.
        tabs->setCurrentIndex(tabs->indexOf(second));
        m_window->setCode(u"import time\ntime.sleep(1)\nprint('late line')\n"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        tabs->setCurrentIndex(tabs->indexOf(first));
        QVERIFY(finished.wait(30000));
        QVERIFY(!m_window->outputText().contains(u"late line"_s));
        tabs->setCurrentIndex(tabs->indexOf(second));
        QTRY_VERIFY(m_window->outputText().contains(u"late line"_s));
        // A closed tab takes its results with it.
        const int views = m_window->resultsPerTab()->viewCount();
        tabs->setUnsavedPrompt([](QWidget *, const QString &) { return QMessageBox::Discard; });
        QVERIFY(tabs->closeTab(tabs->indexOf(second)));
        QTRY_COMPARE(m_window->resultsPerTab()->viewCount(), views - 1);
    }

    // 6a. A long message never widens the window (it was 1,973 px on a 1,400 px screen).
    void aLongMessageNeverWidensTheWindow()
    {
        const int width = m_window->width();
        RunReport report;
        report.outcome = RunOutcome::Unavailable;
        report.message = u"The sandbox could not start: "_s + QString(u"a very long reason "_s).repeated(120);
        report.model = u"command-a-reasoning-and-a-very-long-model-name-08-2025"_s.repeated(4);
        Q_EMIT m_window->runController()->finished(report);
        QApplication::processEvents();
        QCOMPARE(m_window->width(), width);
        QVERIFY2(m_window->minimumSizeHint().width() < 1000,
                 qPrintable(QString::number(m_window->minimumSizeHint().width())));
        QVERIFY(m_window->statusText().startsWith(u"The sandbox could not start"_s)); // whole, in the tooltip
        // The Ask box's status wraps instead of widening too.
        QLabel *askStatus = m_window->askPanel()->findChild<QLabel *>(u"askStatus"_s);
        QVERIFY(askStatus->wordWrap());
    }

    // 6b. A small window keeps the editor usable and no blank band above the tabs.
    void aSmallWindowKeepsTheEditorUsable()
    {
        m_window->resize(720, 480);
        QTRY_COMPARE(m_window->height(), 480);
        QApplication::processEvents();
        const int line = m_window->editor()->fontMetrics().lineSpacing();
        QVERIFY2(m_window->editor()->height() >= 5 * line,
                 qPrintable(u"%1 px for lines of %2 px"_s.arg(m_window->editor()->height()).arg(line)));
        QLabel *askStatus = m_window->askPanel()->findChild<QLabel *>(u"askStatus"_s);
        QVERIFY(!askStatus->isVisible() || !askStatus->text().isEmpty());
        const int promptRow = std::max(m_window->askPanel()->findChild<QLineEdit *>(u"askPrompt"_s)->height(),
                                       m_window->askPanel()->findChild<QPushButton *>(u"askButton"_s)->height());
        if (!askStatus->isVisible())
            QVERIFY2(m_window->askPanel()->height() <= promptRow + 8,
                     qPrintable(QString::number(m_window->askPanel()->height())));
    }

    // 6c/d. Figures open fitted at full resolution with SVG; tables show the DataFrame's index.
    void figuresOpenFittedAndTablesShowTheIndex()
    {
        const RunReport report = run(u"import pandas as pd\nimport matplotlib.pyplot as plt\n"
                                     "plt.plot([1, 2, 3], [4, 1, 9])\nplt.show()\n"
                                     "pd.DataFrame({'a': [3, 1, 2]}).sort_values('a')\n"_s);
        QVERIFY2(report.outcome == RunOutcome::Ok, qPrintable(m_window->outputText()));
        QTabWidget *tabs = m_window->resultTabs();
        auto *image = tabs->findChild<ImageResultView *>();
        QVERIFY(image);
        QVERIFY2(image->imageSize().width() >= 1000, "the figure at its full resolution, not 552 px");
        QVERIFY(image->hasSvg());
        tabs->setCurrentWidget(image);
        QTRY_VERIFY(image->isVisible());
        QVERIFY(image->isFitted());
        QVERIFY2(image->zoom() < 1.0, qPrintable(QString::number(image->zoom())));
        auto *table = tabs->findChild<TableResultView *>();
        QVERIFY(table);
        QAbstractItemModel *model = table->view()->model();
        QCOMPARE(model->headerData(0, Qt::Vertical).toString(), u"1"_s);
        QCOMPARE(model->headerData(1, Qt::Vertical).toString(), u"2"_s);
        QCOMPARE(model->headerData(2, Qt::Vertical).toString(), u"0"_s);
    }

    // 7. F6 moves the keyboard between the panes; Tab still indents in the editor.
    void f6MovesBetweenPanesAndTabStillIndents()
    {
        QCOMPARE(run(u"import os\nos.system('ls')\n"_s).outcome, RunOutcome::Blocked); // findings are shown
        QsciScintilla *editor = m_window->editor();
        editor->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(editor));
        const int before = editor->text().size();
        QTest::keyClick(editor, Qt::Key_Tab);
        QVERIFY(editor->text().size() > before); // indented, focus kept
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(editor));

        const auto pressF6 = [](Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_F6, modifiers);
        };
        pressF6();
        QVERIFY(m_window->resultTabs()->isAncestorOf(QApplication::focusWidget()));
        pressF6();
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(m_window->findingsPanel()->list()));
        pressF6();
        QVERIFY(m_window->askPanel()->isAncestorOf(QApplication::focusWidget()));
        pressF6();
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(m_window->editor()));
        pressF6(Qt::ShiftModifier);
        QVERIFY(m_window->askPanel()->isAncestorOf(QApplication::focusWidget()));
        // Enter on a finding shows its line in the editor.
        pressF6(Qt::ShiftModifier);
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(m_window->findingsPanel()->list()));
        m_window->findingsPanel()->list()->setCurrentRow(0);
        QTest::keyClick(m_window->findingsPanel()->list(), Qt::Key_Return);
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(m_window->editor()));
        int line = -1, column = -1;
        m_window->editor()->getCursorPosition(&line, &column);
        QCOMPARE(line, 1);
    }

    // 7. In the results, Ctrl+PgDown moves between their tabs (elsewhere, the snippets').
    void ctrlPgDownMovesBetweenResultTabsInTheResults()
    {
        QCOMPARE(run(u"import pandas as pd\nprint('x')\npd.DataFrame({'a': [1]})\n"_s).outcome, RunOutcome::Ok);
        QTabWidget *results = m_window->resultTabs();
        QCOMPARE(results->count(), 2);
        results->setCurrentIndex(0);
        m_window->paneFocus()->move(1); // into the results
        QVERIFY(results->isAncestorOf(QApplication::focusWidget()));
        const int snippet = m_window->tabs()->currentIndex();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(results->currentIndex(), 1);
        QCOMPARE(m_window->tabs()->currentIndex(), snippet);
    }
};

QTEST_MAIN(TestWindowDefects)
#include "tst_windowdefects.moc"
