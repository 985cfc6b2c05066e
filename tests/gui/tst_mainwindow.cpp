#include "gui/Confirmation.h"
#include "gui/EditorFindings.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/FindingsPanel.h"
#include "gui/ImageResultView.h"
#include "gui/MainWindow.h"
#include "gui/ResultsPanel.h"
#include "gui/RunResultsView.h"
#include "gui/TabAutosave.h"
#include "gui/TabSession.h"
#include "gui/TableResultView.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestMainWindow : public QObject {
    Q_OBJECT
    // A service name of the test's own: never the user's keys.
    KeyStore m_keys{QStringLiteral("org.safecell.tests.mainwindow")};
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<MainWindow> m_window;

    QString tabText(EditorTab *tab)
    {
        auto *widget = m_window->findChild<QTabWidget *>(u"editorTabs"_s);
        return widget->tabText(widget->indexOf(tab));
    }

    QAction *action(const QString &name) { return m_window->findChild<QAction *>(name); }
    QsciScintilla *editor() { return m_window->editor(); }

private Q_SLOTS:
    void init()
    {
        QVERIFY(startWithOneEmptyTab());
        Confirmation::clearAsked();
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

    void typeCodeClickRunSeeHello()
    {
        editor()->setFocus();
        QTest::keyClicks(editor(), u"print(\"hello\")"_s);
        QCOMPARE(m_window->code(), u"print(\"hello\")"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        QWidget *runButton = m_window->findChild<QToolBar *>(u"runToolBar"_s)->widgetForAction(action(u"actionRun"_s));
        QVERIFY(runButton);
        QTest::mouseClick(runButton, Qt::LeftButton);
        QVERIFY(m_window->isRunning());
        QVERIFY(!action(u"actionRun"_s)->isEnabled());
        QVERIFY(action(u"actionStop"_s)->isEnabled());
        QVERIFY(finished.wait(30000));
        QVERIFY2(m_window->outputText().contains(u"hello"_s), qPrintable(m_window->outputText()));
        QVERIFY(action(u"actionRun"_s)->isEnabled());
        // Beside the results: the outcome and the cost (the local sandbox and no LLM: nothing to pay).
        auto *summary = m_window->resultsView()->findChild<QLabel *>(u"runSummary"_s);
        QVERIFY(summary && summary->isVisible());
        QCOMPARE(m_window->runSummary(), u"Finished · no charge"_s);
        QVERIFY(summary->toolTip().contains(u"Sandbox: local"_s));
    }

    void ctrlEnterRunsAndStopStops()
    {
        m_window->setCode(u"import time\nprint('started', flush=True)\ntime.sleep(30)\n"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        QTest::keyClick(editor(), Qt::Key_Return, Qt::ControlModifier);
        QVERIFY(m_window->isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->outputText().contains(u"started"_s), 15000);
        action(u"actionStop"_s)->trigger();
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().at(0).value<RunReport>().outcome, RunOutcome::Cancelled);
    }

    void stderrIsShownToo()
    {
        m_window->setCode(u"import sys\nsys.stderr.write('oops\\n')\n"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(30000));
        QVERIFY(m_window->outputText().contains(u"oops"_s));
    }

    void restartSessionClearsTheVariables()
    {
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->setCode(u"kept = 41"_s);
        m_window->run();
        QVERIFY(finished.wait(30000));
        m_window->setCode(u"print(kept + 1)"_s);
        m_window->run();
        QVERIFY(finished.wait(30000));
        QVERIFY2(m_window->outputText().contains(u"42"_s), qPrintable(m_window->outputText()));

        QAction *restart = action(u"actionRestartSession"_s);
        QVERIFY(restart);
        QVERIFY(m_window->findChild<QToolBar *>(u"runToolBar"_s)->widgetForAction(restart));
        // The session holds a variable: the window asks first. No keeps it.
        Confirmation::setNextAnswers({false});
        restart->trigger();
        QCOMPARE(Confirmation::asked().size(), 1);
        QCOMPARE(Confirmation::asked().first().id, u"restart-session"_s);
        m_window->setCode(u"print(kept)"_s);
        m_window->run();
        QVERIFY(finished.wait(30000));
        QVERIFY2(m_window->outputText().contains(u"41"_s), qPrintable(m_window->outputText()));
        // Yes restarts it.
        Confirmation::setNextAnswers({true});
        restart->trigger();
        QCOMPARE(Confirmation::asked().size(), 2);
        m_window->setCode(u"print(kept + 1)"_s);
        m_window->run();
        QVERIFY(finished.wait(30000));
        const RunReport report = finished.last().at(0).value<RunReport>();
        QCOMPARE(report.outcome, RunOutcome::Failed);
        QCOMPARE(report.error->name, u"NameError"_s);
        // The traceback is shown, with the user's line.
        QVERIFY2(m_window->outputText().contains(u"NameError: name 'kept' is not defined"_s),
                 qPrintable(m_window->outputText()));
    }

    void tablesAndFiguresGetTheirOwnTabs()
    {
        m_window->setCode(u"import pandas as pd\nimport matplotlib.pyplot as plt\n"
                          "plt.plot([1, 2, 3], [4, 1, 9])\nplt.show()\n"
                          "pd.DataFrame({'city': ['Oslo', 'Rome'], 'sales': [9, 10]})\n"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(60000));
        const RunReport report = finished.first().at(0).value<RunReport>();
        QVERIFY2(report.outcome == RunOutcome::Ok, qPrintable(m_window->outputText()));
        QTabWidget *tabs = m_window->resultTabs();
        QCOMPARE(m_window->resultsPanel()->resultCount(), 2);
        auto *image = tabs->findChild<ImageResultView *>();
        QVERIFY(image);
        QVERIFY(image->isValid());
        auto *table = tabs->findChild<TableResultView *>();
        QVERIFY(table);
        QCOMPARE(table->view()->model()->rowCount(), 2);
        QCOMPARE(table->view()->model()->index(1, 0).data().toString(), u"Rome"_s);
        // The main result (the table) is what the analyst sees after the run.
        QCOMPARE(tabs->currentWidget(), table);
        QCOMPARE(tabs->tabText(tabs->currentIndex()), u"Result"_s);

        // The next run starts clean.
        m_window->setCode(u"print(1)"_s);
        m_window->run();
        QVERIFY(finished.wait(30000));
        QCOMPARE(m_window->resultsPanel()->resultCount(), 0);
        QCOMPARE(tabs->currentIndex(), 0);
    }

    void aFailureHighlightsItsLine()
    {
        m_window->setCode(u"x = 1\ndef f():\n    return 1 / 0\nf()\n"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).value<RunReport>().outcome, RunOutcome::Failed);
        QCOMPARE(m_window->errorLine(), 3);
        QVERIFY(editor()->markersAtLine(2) & (1 << 10));
        QVERIFY(editor()->annotation(2).contains(u"ZeroDivisionError"_s));
        int line = -1, column = -1;
        editor()->getCursorPosition(&line, &column);
        QCOMPARE(line, 2);
        QVERIFY(m_window->outputText().contains(u"division by zero"_s));
        QCOMPARE(m_window->resultTabs()->currentIndex(), 0);

        m_window->setCode(u"print('fixed')"_s);
        m_window->run();
        QVERIFY(finished.wait(30000));
        QCOMPARE(m_window->errorLine(), 0);
        QCOMPARE(editor()->markersAtLine(0) & (1 << 10), 0u);
    }

    void aFloodOfLinesArrivesWhole()
    {
        m_window->setCode(u"for i in range(100000):\n    print(i)\n"_s);
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(60000));
        const QString text = m_window->outputText();
        QVERIFY(text.contains(u"\n99999\n"_s));
        QVERIFY(text.startsWith(u"0\n1\n"_s));
    }

    void tabsHoldSeveralSnippets()
    {
        EditorTabs *tabs = m_window->tabs();
        const int before = tabs->count();
        m_window->setCode(u"print('first tab')"_s);
        EditorTab *first = tabs->current();
        QTest::keyClick(editor(), Qt::Key_T, Qt::ControlModifier);
        QCOMPARE(tabs->count(), before + 1);
        EditorTab *second = tabs->current();
        QVERIFY(second != first);
        QCOMPARE(m_window->code(), QString());
        m_window->setLanguage(Language::Sql);
        m_window->setCode(u"SELECT 42 AS answer;"_s);
        QCOMPARE(first->language(), Language::Python); // each tab its own language
        QVERIFY2(m_window->windowTitle().startsWith(u"Untitled "_s),
                 qPrintable(m_window->windowTitle())); // "Untitled 2"
        QVERIFY(m_window->windowTitle().endsWith(u"* - SafeCell"_s));
        QCOMPARE(tabText(first), u"Untitled*"_s);

        // Run acts on the current tab: SQL here.
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->run();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(0).value<RunReport>().outcome, RunOutcome::Ok);
        QVERIFY(!m_window->outputText().contains(u"first tab"_s));

        // Previous / next tab, from the keyboard.
        QTest::keyClick(editor(), Qt::Key_PageUp, Qt::ControlModifier);
        QCOMPARE(tabs->current(), first);
        QCOMPARE(m_window->language(), Language::Python);
        auto *languageBox = m_window->findChild<QToolBar *>(u"runToolBar"_s)->findChild<QComboBox *>();
        QCOMPARE(languageBox->currentText(), u"Python"_s);
        QTest::keyClick(editor(), Qt::Key_PageDown, Qt::ControlModifier);
        QCOMPARE(tabs->current(), second);
        QCOMPARE(languageBox->currentText(), u"SQL"_s);
        QTest::keyClick(editor(), Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(tabs->current(), first);
        QCOMPARE(m_window->code(), u"print('first tab')"_s); // Ctrl+Tab switched, typed nothing
        QTest::keyClick(editor(), Qt::Key_Tab, Qt::ControlModifier);
        QCOMPARE(tabs->current(), second);

        // A blocked run's markers stay with its tab.
        auto *panel = m_window->findChild<FindingsPanel *>(u"findingsPanel"_s);
        first->editor()->setText(u"import os\nos.system('ls')\n"_s);
        tabs->setCurrentIndex(tabs->indexOf(first));
        m_window->run();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.last().at(0).value<RunReport>().outcome, RunOutcome::Blocked);
        QCOMPARE(panel->count(), 1);
        QVERIFY(first->editor()->markersAtLine(1) & (1 << EditorFindings::kDangerMarker));
        tabs->setCurrentIndex(tabs->indexOf(second));
        QCOMPARE(panel->count(), 0);
        QCOMPARE(second->editor()->markersAtLine(0), 0u);
        tabs->setCurrentIndex(tabs->indexOf(first));
        QCOMPARE(panel->count(), 1);
        tabs->setCurrentIndex(tabs->indexOf(second));

        // Close asks about unsaved work; Cancel keeps the tab, Discard closes it.
        int asked = 0;
        QMessageBox::StandardButton answer = QMessageBox::Cancel;
        tabs->setUnsavedPrompt([&](QWidget *, const QString &) {
            ++asked;
            return answer;
        });
        QTest::keyClick(editor(), Qt::Key_W, Qt::ControlModifier);
        QCOMPARE(asked, 1);
        QCOMPARE(tabs->count(), before + 1);
        answer = QMessageBox::Discard;
        action(u"actionCloseTab"_s)->trigger();
        QCOMPARE(asked, 2);
        QCOMPARE(tabs->count(), before);
        QCOMPARE(tabs->current(), first);
        // Closing the last tab leaves a fresh one.
        while (tabs->count() > 1)
            tabs->closeTab(tabs->count() - 1);
        m_window->setCode(QString());
        editor()->setModified(false);
        action(u"actionCloseTab"_s)->trigger();
        QCOMPARE(tabs->count(), 1);
        QVERIFY(m_window->editor());
    }

    void everyTabIsRestoredAfterARestart()
    {
        EditorTabs *tabs = m_window->tabs();
        while (tabs->count() > 1)
            tabs->closeTab(tabs->count() - 1);
        m_window->setLanguage(Language::Python);
        m_window->setCode(u"a = 1"_s);
        tabs->addTab(u"SELECT 2;"_s, Language::Sql);
        tabs->addTab(u"print('third')"_s, Language::Python);
        tabs->setCurrentIndex(1);
        QVERIFY(m_window->close());
        QVERIFY(QFile::exists(QDir(TabAutosave::defaultFolder()).filePath(u"tabs-1.json"_s)));

        MainWindow reopened(*m_settings, m_keys);
        EditorTabs *restored = reopened.tabs();
        QCOMPARE(restored->count(), 3);
        QCOMPARE(restored->currentIndex(), 1);
        QCOMPARE(reopened.code(), u"SELECT 2;"_s);
        QCOMPARE(reopened.language(), Language::Sql);
        QCOMPARE(restored->tab(0)->editor()->text(), u"a = 1"_s);
        QCOMPARE(restored->tab(0)->language(), Language::Python);
        QCOMPARE(restored->tab(2)->editor()->text(), u"print('third')"_s);
        reopened.close();
    }

    void languageSwitchAndRestore()
    {
        m_window->setLanguage(Language::Sql);
        QCOMPARE(m_window->language(), Language::Sql);
        m_window->setCode(u"SELECT 1;"_s);
        m_window->close();
        MainWindow reopened(*m_settings, m_keys);
        QCOMPARE(reopened.code(), u"SELECT 1;"_s);
        QCOMPARE(reopened.language(), Language::Sql);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
