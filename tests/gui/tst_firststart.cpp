// Issue 18's first start, help and plain words: a first start shows sample
// snippets that run as they are, the Help menu explains the keys and what a
// snippet may do, messages use plain words, and the Ask box says when it
// needs a Cohere key.
#include "gui/AmbiguityDialog.h"
#include "gui/AskPanel.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/FindingsPanel.h"
#include "gui/HelpDialogs.h"
#include "gui/ImageResultView.h"
#include "gui/MainWindow.h"
#include "gui/ResultsPanel.h"
#include "gui/ServiceHealth.h"
#include "gui/SettingsDialog.h"
#include "gui/SnippetFile.h"
#include "gui/TabAutosave.h"
#include "gui/TableResultView.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"

#include <QAction>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestFirstStart : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_n = 0;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<KeyStore> m_keys;

    std::unique_ptr<MainWindow> openWindow()
    {
        auto window = std::make_unique<MainWindow>(*m_settings, *m_keys);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        return window;
    }

    static RunReport runCurrent(MainWindow &window)
    {
        QSignalSpy finished(&window, &MainWindow::runFinished);
        window.run();
        if (!finished.wait(90000))
            return {};
        return finished.first().at(0).value<RunReport>();
    }

    QAction *helpAction(MainWindow &window, const QString &name)
    {
        auto *menu = window.findChild<QMenu *>(u"menuHelp"_s);
        return menu ? menu->findChild<QAction *>(name) : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("COHERE_API_KEY");
        qunsetenv("E2B_API_KEY");
        m_keys = std::make_unique<KeyStore>(u"org.safecell.tests.firststart"_s);
    }

    void init() { m_settings = std::make_unique<Settings>(m_dir.filePath(u"first%1.ini"_s.arg(++m_n))); }

    void cleanup()
    {
        m_settings.reset();
        qunsetenv("COHERE_API_KEY");
    }

    // 9. Nothing restored: the samples, each runnable as it is.
    void aFirstStartOpensSamplesThatRunAsTheyAre()
    {
        QDir(TabAutosave::defaultFolder()).removeRecursively();
        auto window = openWindow();
        QVERIFY(window);
        EditorTabs *tabs = window->tabs();
        QCOMPARE(tabs->count(), 2);
        QCOMPARE(tabs->currentIndex(), 0);
        QCOMPARE(tabs->tab(0)->file()->displayName(), u"Welcome"_s);
        QCOMPARE(tabs->tab(0)->language(), Language::Python);
        QCOMPARE(tabs->tab(1)->file()->displayName(), u"Example query"_s);
        QCOMPARE(tabs->tab(1)->language(), Language::Sql);
        QVERIFY(window->code().contains(u"Ctrl+Enter"_s));

        RunReport report = runCurrent(*window);
        QVERIFY2(report.outcome == RunOutcome::Ok, qPrintable(window->outputText()));
        QTabWidget *results = window->resultTabs();
        QVERIFY(results->findChild<ImageResultView *>());
        auto *table = results->findChild<TableResultView *>();
        QVERIFY(table);
        QCOMPARE(table->view()->model()->rowCount(), 5);
        QCOMPARE(table->view()->model()->headerData(0, Qt::Horizontal).toString(), u"region"_s);
        // Sorted by growth: the rows keep the DataFrame's index (North was row 0, Central row 4).
        QCOMPARE(table->view()->model()->headerData(0, Qt::Vertical).toString(), u"0"_s);
        QCOMPARE(table->view()->model()->headerData(1, Qt::Vertical).toString(), u"4"_s);

        tabs->setCurrentIndex(1);
        report = runCurrent(*window);
        QVERIFY2(report.outcome == RunOutcome::Ok, qPrintable(window->outputText()));
        auto *sqlTable = window->resultTabs()->findChild<TableResultView *>();
        QVERIFY(sqlTable);
        QCOMPARE(sqlTable->view()->model()->rowCount(), 5); // the five regions
        QCOMPARE(sqlTable->view()->model()->headerData(2, Qt::Horizontal).toString(), u"revenue"_s);

        // The samples' names come back after a restart; the welcome does not come again.
        QVERIFY(window->close());
        window.reset();
        auto again = openWindow();
        QCOMPARE(again->tabs()->count(), 2);
        QCOMPARE(again->tabs()->tab(0)->file()->displayName(), u"Welcome"_s);
        QCOMPARE(again->tabs()->currentIndex(), 1);
    }

    // 9. Help: every key, what snippets may do, about.
    void theHelpMenuExplainsKeysAndSnippets()
    {
        QVERIFY(startWithOneEmptyTab());
        auto window = openWindow();
        QVERIFY(window);
        QAction *shortcuts = helpAction(*window, u"actionShortcuts"_s);
        QVERIFY(shortcuts && helpAction(*window, u"actionSnippetRules"_s) && helpAction(*window, u"actionAbout"_s));
        QCOMPARE(shortcuts->shortcut(), QKeySequence(QKeySequence::HelpContents));
        shortcuts->trigger();
        auto *table = window->findChild<QTableWidget *>(u"shortcutsTable"_s);
        QVERIFY(table);
        QStringList rows;
        for (int i = 0; i < table->rowCount(); ++i)
            rows << table->item(i, 1)->text() + u" = "_s + table->item(i, 2)->text();
        const QString all = rows.join(u'\n');
        QVERIFY2(all.contains(u"Run = Ctrl+Return"_s), qPrintable(all));
        QVERIFY2(all.contains(u"Stop = Esc"_s), qPrintable(all));
        QVERIFY2(all.contains(u"Next pane = F6"_s), qPrintable(all));
        QVERIFY2(all.contains(u"Time limit = Ctrl+Shift+T"_s), qPrintable(all));
        QVERIFY2(all.contains(u"Ask Cohere for code = Ctrl+K"_s), qPrintable(all));

        m_settings->setValue(Setting::SandboxMemoryLimitMb, 1536);
        const QString rules = help::snippetRulesHtml(*m_settings, 30000);
        QVERIFY(rules.contains(u"<h3>Network</h3><p>None."_s));
        QVERIFY(rules.contains(u"<code>/work</code>"_s));
        QVERIFY(rules.contains(u"<code>/data</code>"_s));
        QVERIFY(rules.contains(u"30 s per run"_s));
        QVERIFY(rules.contains(u"at most 600 s"_s));
        QVERIFY(rules.contains(u"Memory: 1536 MB"_s));
        helpAction(*window, u"actionSnippetRules"_s)->trigger();
        auto *browser = window->findChild<QTextBrowser *>(u"snippetRules"_s);
        QVERIFY(browser && browser->isVisible());
        QVERIFY(browser->toPlainText().contains(u"Time: 30 s per run"_s));
    }

    // 10. Plain words: findings with their sentence and what to do instead, proper plurals.
    void findingsSayWhatToDoInsteadInProperPlurals()
    {
        QCOMPARE(FindingsPanel::findingCountText(1), u"1 finding"_s);
        QCOMPARE(FindingsPanel::findingCountText(2), u"2 findings"_s);
        QVERIFY(startWithOneEmptyTab());
        auto window = openWindow();
        QVERIFY(window);
        window->setCode(u"import subprocess\nsubprocess.run(['ls'])\nsubprocess.run(['pwd'])\n"_s);
        const RunReport report = runCurrent(*window);
        QCOMPARE(report.outcome, RunOutcome::Blocked);
        FindingsPanel *panel = window->findingsPanel();
        QVERIFY2(panel->title().endsWith(u"(%1)"_s.arg(FindingsPanel::findingCountText(panel->count()))),
                 qPrintable(panel->title()));
        QVERIFY(!panel->title().contains(u"(s)"_s));
        const QString first = panel->list()->item(0)->text();
        QVERIFY2(first.contains(u"PY-PROC"_s) && first.contains(u"starts a program or a shell"_s)
                     && first.contains(u": do the work in Python itself (pandas, pathlib) instead"_s),
                 qPrintable(first));
        // The status bar's Cohere label in plain words.
        auto *cohere = window->findChild<QLabel *>(u"cohereHealth"_s);
        QTRY_COMPARE(cohere->text(), u"Cohere: no key"_s);
    }

    // 11. Without a Cohere key, Ask says so and leads to Settings.
    void theAskBoxSaysItNeedsAKey()
    {
        QVERIFY(startWithOneEmptyTab());
        auto window = openWindow();
        QVERIFY(window);
        AskPanel *ask = window->askPanel();
        QTRY_VERIFY(!ask->isKeyAvailable());
        auto *prompt = ask->findChild<QLineEdit *>(u"askPrompt"_s);
        QVERIFY(!prompt->isEnabled());
        QCOMPARE(prompt->placeholderText(), u"Ask needs a Cohere key"_s);
        QVERIFY(!ask->findChild<QPushButton *>(u"askButton"_s)->isEnabled());
        auto *status = ask->findChild<QLabel *>(u"askStatus"_s);
        QVERIFY(status->isVisible());
        QVERIFY(status->text().contains(u"needs a Cohere key"_s));
        QVERIFY(status->text().contains(u"href"_s));
        Q_EMIT status->linkActivated(u"settings"_s);
        QTRY_VERIFY(window->findChild<SettingsDialog *>());
        auto *dialog = window->findChild<SettingsDialog *>();
        // A key (here from the environment) and OK: Ask is ready.
        qputenv("COHERE_API_KEY", "co-test-key-not-sent");
        dialog->accept();
        QTRY_VERIFY(ask->isKeyAvailable());
        QVERIFY(prompt->isEnabled());
        QVERIFY(!status->isVisible());
        auto *cohere = window->findChild<QLabel *>(u"cohereHealth"_s);
        QTRY_COMPARE(cohere->text(), u"Cohere: ready"_s);
    }
};

QTEST_MAIN(TestFirstStart)
#include "tst_firststart.moc"
