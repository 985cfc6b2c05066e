// The run history as the analyst sees it: every run with its columns,
// filters, reopening a run's code in a new tab, exporting, and the
// per-run view of what was sent to Cohere.
#include "budget/LedgerLocation.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/HistoryDialog.h"
#include "gui/LlmRequestView.h"
#include "gui/MainWindow.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"
#include "support/RunAndWait.h"

#include <Qsci/qsciscintilla.h>

#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestGuiHistory : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<KeyStore> m_keys;
    std::unique_ptr<MainWindow> m_window;

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("SAFECELL_DATA_DIR", m_dir.filePath(u"data"_s).toUtf8());
        QVERIFY(startWithOneEmptyTab());
        qunsetenv("COHERE_API_KEY");
        qunsetenv("E2B_API_KEY");
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"gui.ini"_s));
        m_keys = std::make_unique<KeyStore>(u"org.safecell.tests.guihistory"_s);
        m_window = std::make_unique<MainWindow>(*m_settings, *m_keys);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(runAndWait(*m_window, u"print('history one')"_s, Language::Python));
        QVERIFY(runAndWait(*m_window, u"raise ValueError('history two')"_s, Language::Python));
        QVERIFY(runAndWait(*m_window, u"SELECT 3 AS three;"_s, Language::Sql));
        QVERIFY(runAndWait(*m_window, u"import os\nos.system('history blocked')"_s, Language::Python));
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_settings.reset();
    }

    void everyRunIsListedWithItsColumns()
    {
        HistoryDialog *history = m_window->openHistory();
        QTRY_VERIFY(!history->isLoading()); // read on the query thread
        QVERIFY(history->isVisible());
        auto *table = history->findChild<QTableWidget *>(u"runsTable"_s);
        QCOMPARE(table->rowCount(), 4);
        QCOMPARE(table->columnCount(), int(HistoryDialog::ColumnCount));
        const QStringList headers = [&] {
            QStringList h;
            for (int c = 0; c < table->columnCount(); ++c)
                h << table->horizontalHeaderItem(c)->text();
            return h;
        }();
        QCOMPARE(headers, (QStringList{u"Time"_s, u"Language"_s, u"Outcome"_s, u"Verdict"_s, u"Decided by"_s,
                                       u"Model"_s, u"Sandbox"_s, u"Duration"_s, u"Cost"_s, u"Sent to E2B"_s}));
        // Newest first: the blocked one never reached a sandbox.
        QCOMPARE(table->item(0, HistoryDialog::Outcome)->text(), u"Blocked by the safety check"_s);
        QCOMPARE(table->item(0, HistoryDialog::Verdict)->text(), u"dangerous"_s);
        QCOMPARE(table->item(0, HistoryDialog::Sandbox)->text(), QString());
        QCOMPARE(table->item(1, HistoryDialog::LanguageColumn)->text(), u"sql"_s);
        QCOMPARE(table->item(1, HistoryDialog::Sandbox)->text(), u"local"_s);
        QCOMPARE(table->item(1, HistoryDialog::DecidedBy)->text(), u"local rules"_s);
        QCOMPARE(table->item(2, HistoryDialog::Outcome)->text(), u"The code raised an error"_s);
        QCOMPARE(table->item(3, HistoryDialog::Cost)->text(), u"$0.00"_s);
        QVERIFY(table->item(3, HistoryDialog::Duration)->text().endsWith(u" s"_s));
        history->close();
    }

    void filtersNarrowTheList()
    {
        HistoryDialog *history = m_window->openHistory();
        QTRY_VERIFY(!history->isLoading()); // read on the query thread
        auto *table = history->findChild<QTableWidget *>(u"runsTable"_s);
        auto *outcome = history->findChild<QComboBox *>(u"outcomeBox"_s);
        outcome->setCurrentIndex(outcome->findData(u"failed"_s));
        QTRY_VERIFY(!history->isLoading());
        QCOMPARE(table->rowCount(), 1);
        QVERIFY(history->runs().first().code.contains(u"history two"_s));
        outcome->setCurrentIndex(0);
        auto *language = history->findChild<QComboBox *>(u"languageBox"_s);
        language->setCurrentIndex(language->findData(u"sql"_s));
        QTRY_VERIFY(!history->isLoading());
        QCOMPARE(table->rowCount(), 1);
        language->setCurrentIndex(0);
        QTest::keyClicks(history->findChild<QLineEdit *>(u"textEdit"_s), u"history one"_s);
        QTRY_COMPARE(table->rowCount(), 1); // after a pause in typing
        QTRY_VERIFY(!history->isLoading());
        QCOMPARE(history->runs().first().code, u"print('history one')"_s);
        history->close();
    }

    void aRunReopensInANewTab()
    {
        HistoryDialog *history = m_window->openHistory();
        QTRY_VERIFY(!history->isLoading()); // read on the query thread
        auto *table = history->findChild<QTableWidget *>(u"runsTable"_s);
        const int tabsBefore = m_window->tabs()->count();
        QVERIFY(QTest::qWaitForWindowExposed(history));
        // Double-click the SQL run.
        const QRect rect = table->visualItemRect(table->item(1, 0));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(m_window->tabs()->count(), tabsBefore + 1);
        QCOMPARE(m_window->code(), u"SELECT 3 AS three;"_s);
        QCOMPARE(m_window->language(), Language::Sql);
        // And with the button.
        table->selectRow(2);
        QTest::mouseClick(history->findChild<QPushButton *>(u"openButton"_s), Qt::LeftButton);
        QCOMPARE(m_window->tabs()->count(), tabsBefore + 2);
        QCOMPARE(m_window->code(), u"raise ValueError('history two')"_s);
        QCOMPARE(m_window->language(), Language::Python);
        history->close();
    }

    void exportsCsvAndJson()
    {
        HistoryDialog *history = m_window->openHistory();
        QTRY_VERIFY(!history->isLoading()); // read on the query thread
        const QString csvPath = m_dir.filePath(u"runs.csv"_s);
        const QString jsonPath = m_dir.filePath(u"runs.json"_s);
        QVERIFY(history->exportTo(csvPath, HistoryDialog::Format::Csv));
        QVERIFY(history->exportTo(jsonPath, HistoryDialog::Format::Json));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QVERIFY(lines.size() >= 5); // a header and the four runs (code may hold newlines)
        QVERIFY(lines.first().contains("outcome"));
        QFile json(jsonPath);
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonArray runs = QJsonDocument::fromJson(json.readAll()).array();
        QCOMPARE(runs.size(), 4);
        history->close();
    }

    void whatWasSentFromTheHistoryAndTheLastRun()
    {
        // A run classified by the LLM, as the pipeline records it.
        auto ledger = SpendLedger::open(defaultLedgerPath());
        QVERIFY(ledger);
        RunHistory store(**ledger);
        RunRecord record;
        record.runId = u"run-with-llm"_s;
        record.started = QDateTime::currentDateTimeUtc();
        record.code = u"print('classified')"_s;
        record.codeHash = codeHash(record.code);
        record.language = u"python"_s;
        record.outcome = u"ok"_s;
        record.model = u"command-r7b-12-2024"_s;
        record.llmRequest = uR"({"model":"command-r7b-12-2024","messages":[{"role":"user","content":"classify"}]})"_s;
        QVERIFY(store.record(record));
        ledger->reset();

        HistoryDialog *history = m_window->openHistory();
        QTRY_VERIFY(!history->isLoading()); // read on the query thread
        auto *sent = history->findChild<QPushButton *>(u"sentButton"_s);
        history->findChild<QTableWidget *>(u"runsTable"_s)->selectRow(0);
        QVERIFY(sent->isEnabled());
        QTest::mouseClick(sent, Qt::LeftButton);
        auto *view = history->findChild<LlmRequestView *>();
        QVERIFY(view);
        const QString shown = view->shownText();
        QVERIFY2(shown.contains(u"\"model\": \"command-r7b-12-2024\""_s), qPrintable(shown)); // pretty-printed
        QVERIFY(shown.contains(u"\"content\": \"classify\""_s));
        QVERIFY(view->findChild<QPlainTextEdit *>(u"requestText"_s)->isReadOnly());
        // A run without an LLM call has nothing to show.
        history->findChild<QTableWidget *>(u"runsTable"_s)->selectRow(1);
        QVERIFY(!sent->isEnabled());
        view->close();
        history->close();

        // The last run of the window: local rules only, so nothing was sent.
        QAction *action = m_window->findChild<QAction *>(u"actionWhatWasSent"_s);
        QVERIFY(action->isEnabled());
        QCOMPARE(m_window->lastLlmRequest(), QByteArray());
        LlmRequestView *last = m_window->showWhatWasSent();
        QVERIFY(last->shownText().isEmpty());
        QVERIFY(last->findChild<QLabel *>(u"contextLabel"_s)->text().contains(u"nothing was sent"_s));
        last->close();
    }
};

QTEST_MAIN(TestGuiHistory)
#include "tst_guihistory.moc"
