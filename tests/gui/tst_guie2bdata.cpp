// Issue 23 in the window: an E2B sandbox gets no internet unless Settings
// allows it for this session (never saved; the status bar says so), and
// before the first run that would send local data to E2B's cloud the window
// lists it and asks once, then honours the answer for the session. The
// history shows what was uploaded. E2B is FakeE2b here.
#include "FakeE2b.h"

#include "gui/Confirmation.h"
#include "gui/DataFrameModel.h"
#include "gui/DataFrameViewer.h"
#include "gui/DataViewers.h"
#include "gui/FilesPane.h"
#include "gui/HelpDialogs.h"
#include "gui/HistoryDialog.h"
#include "gui/MainWindow.h"
#include "gui/OutputFilesView.h"
#include "gui/RunController.h"
#include "gui/SettingsDialog.h"
#include "gui/VariablesPane.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"
#include "support/OneEmptyTab.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using safecell::fake::FakeE2b;
using namespace Qt::StringLiterals;

class TestGuiE2bData : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    FakeE2b m_fake;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<KeyStore> m_keys;
    std::unique_ptr<MainWindow> m_window;
    QString m_database;

    QLabel *sandboxLabel() { return m_window->findChild<QLabel *>(u"sandboxLabel"_s); }

    void openWindow()
    {
        m_window = std::make_unique<MainWindow>(*m_settings, *m_keys);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_COMPARE(m_window->runController()->sandbox(), RunController::Sandbox::E2b);
    }

    // Presses Run; `whileAsked` answers a question the run asks first.
    RunReport runCode(const QString &code, Language language, const std::function<void()> &whileAsked = {})
    {
        QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
        m_window->setLanguage(language);
        m_window->setCode(code);
        m_window->run();
        if (whileAsked)
            whileAsked();
        if (finished.isEmpty() && !finished.wait(60000))
            return {};
        return finished.first().at(0).value<RunReport>();
    }

    QJsonValue internetOfLastCreate() const { return m_fake.createBodies().last().value(u"allow_internet_access"_s); }

    int uploadQuestions() const
    {
        int n = 0;
        for (const Confirmation::Question &question : Confirmation::asked())
            n += question.id == u"upload-data"_s ? 1 : 0;
        return n;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_fake.listen());
        m_keys = std::make_unique<KeyStore>(u"org.safecell.tests.guie2bdata"_s);
        m_database = m_dir.filePath(u"shop.db"_s);
        QFile file(m_database);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray("SQLite format 3\0", 16) + QByteArray(2048, 'x'));
    }

    void init()
    {
        QVERIFY(startWithOneEmptyTab());
        Confirmation::clearAsked();
        Confirmation::setNextAnswers({});
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"gui.ini"_s));
        m_settings->setValue(Setting::SandboxWorkspaceDatabase, m_database);
        qputenv("SAFECELL_E2B_API_URL", m_fake.url().toString().toUtf8());
        qputenv("SAFECELL_E2B_SANDBOX_URL", m_fake.url().toString().toUtf8());
        qputenv("E2B_API_KEY", FakeE2b::defaultApiKey().toUtf8());
    }

    void cleanup()
    {
        m_window.reset();
        m_settings.reset();
        qunsetenv("E2B_API_KEY");
        QTRY_COMPARE_WITH_TIMEOUT(m_fake.liveSandboxes(), 0, 10000);
    }

    // Issue 20 item 5 on E2B: the Variables pane shows the listing the
    // window's E2B sandbox asked for after the run.
    void theVariablesPaneShowsTheE2bSessionsVariables()
    {
        openWindow();
        m_fake.setScriptContaining(u"_safecell_scope['_safecell_show']"_s,
                                   {safecell::fake::FakeStep::result(
                                       {{u"json"_s,
                                         QJsonObject{{u"safecell_variables"_s,
                                                      QJsonObject{{u"variables"_s,
                                                                   QJsonArray{QJsonObject{{u"name"_s, u"x"_s},
                                                                                          {u"type"_s, u"int"_s},
                                                                                          {u"kind"_s, u"number"_s},
                                                                                          {u"preview"_s, u"41"_s}}}},
                                                                  {u"truncated"_s, false}}}}}},
                                       false)});
        const RunReport report = runCode(u"x = 41"_s, Language::Python);
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QCOMPARE(report.sandbox, u"e2b"_s);
        const QTableWidget *table = m_window->variablesPane()->table();
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->item(0, VariablesPane::NameColumn)->text(), u"x"_s);
        QCOMPARE(table->item(0, VariablesPane::PreviewColumn)->text(), u"41"_s);
    }

    // And the table viewer pages a DataFrame of the E2B session, in its
    // context (E2bDataView.h), as it does the local kernel's.
    void aDataFrameOfTheE2bSessionOpensInTheTableViewer()
    {
        openWindow();
        const QJsonObject frame{{u"name"_s, u"sales"_s},
                                {u"type"_s, u"DataFrame"_s},
                                {u"kind"_s, u"dataframe"_s},
                                {u"shape"_s, u"3 x 2"_s},
                                {u"preview"_s, u"region, amount"_s}};
        m_fake.setScriptContaining(
            u"_safecell_scope['_safecell_show']"_s,
            {safecell::fake::FakeStep::result({{u"json"_s, QJsonObject{{u"safecell_variables"_s,
                                                                        QJsonObject{{u"variables"_s, QJsonArray{frame}},
                                                                                    {u"truncated"_s, false}}}}}},
                                              false)});
        const QJsonObject page{{u"columns"_s, QJsonArray{u"region"_s, u"amount"_s}},
                               {u"dtypes"_s, QJsonArray{u"object"_s, u"int64"_s}},
                               {u"totalColumns"_s, 2},
                               {u"totalRows"_s, 3},
                               {u"filteredRows"_s, 3},
                               {u"offset"_s, 0},
                               {u"rowIndex"_s, QJsonArray{u"0"_s, u"1"_s, u"2"_s}},
                               {u"rows"_s, QJsonArray{QJsonArray{u"North"_s, u"5"_s}, QJsonArray{u"South"_s, u"9"_s},
                                                      QJsonArray{u"East"_s, u"1"_s}}}};
        m_fake.setScriptContaining(u"_safecell_scope['_safecell_show_page']"_s,
                                   {safecell::fake::FakeStep::result({{u"json"_s,
                                                                       QJsonObject{{u"safecell_data_page"_s, page}}}},
                                                                     false)});
        const RunReport report = runCode(u"x = 41"_s, Language::Python);
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QTableWidget *table = m_window->variablesPane()->table();
        const QList<QTableWidgetItem *> found = table->findItems(u"sales"_s, Qt::MatchExactly);
        QCOMPARE(found.size(), 1);
        const QPoint at = table->visualItemRect(found.first()).center();
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
        DataFrameViewer *viewer = m_window->dataViewers()->viewer(u"sales"_s);
        QVERIFY(viewer);
        QTRY_VERIFY_WITH_TIMEOUT(viewer->model()->isRowLoaded(0), 10000);
        QVERIFY2(viewer->model()->error().isEmpty(), qPrintable(viewer->model()->error()));
        QCOMPARE(viewer->model()->rowCount(), 3);
        QCOMPARE(viewer->model()->index(1, 0).data().toString(), u"South"_s);
        viewer->close();
    }

    // Issue 20 item 4 on E2B: a file the snippet wrote in the sandbox is
    // listed in the Files pane, copied here, and saved out.
    void aFileWrittenOnE2bIsListedAndSavedAs()
    {
        openWindow();
        QCOMPARE(runCode(u"x = 1"_s, Language::Python).outcome, RunOutcome::Ok);
        QCOMPARE(m_fake.sandboxIds().size(), 1);
        m_fake.putFile(m_fake.sandboxIds().first(), u"/home/user/totals.csv"_s, "region,total\nnorth,10\n");
        // The variables and the files are listed in one cell (E2bExecuteStream.cpp).
        m_fake.setScriptContaining(
            u"_safecell_scope['_safecell_show']"_s,
            {safecell::fake::FakeStep::result(
                {{u"json"_s, QJsonObject{{u"safecell_work_files"_s,
                                          QJsonObject{{u"files"_s, QJsonArray{QJsonObject{{u"path"_s, u"totals.csv"_s},
                                                                                          {u"size"_s, 22},
                                                                                          {u"modifiedMs"_s, 1000},
                                                                                          {u"changedMs"_s, 1000}}}},
                                                      {u"truncated"_s, false}}}}}},
                false)});
        QCOMPARE(runCode(u"x = 2"_s, Language::Python).outcome, RunOutcome::Ok);
        OutputFilesView *outputs = m_window->filesPane()->outputs();
        const QList<QTableWidgetItem *> found = outputs->table()->findItems(u"totals.csv"_s, Qt::MatchExactly);
        QCOMPARE(found.size(), 1);
        QCOMPARE(outputs->unsaved().size(), 1);
        const QString destination = m_dir.filePath(u"totals-out.csv"_s);
        outputs->setDestinationChooser([&destination](const QString &) { return destination; });
        outputs->table()->selectRow(found.first()->row());
        QSignalSpy saved(outputs, &OutputFilesView::saved);
        outputs->findChild<QAbstractButton *>(u"outputsSaveAs"_s)->click();
        QVERIFY(saved.wait(10000));
        QFile out(destination);
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readAll(), QByteArray("region,total\nnorth,10\n"));
        QVERIFY(outputs->unsaved().isEmpty());
    }

    void internetIsOffUnlessSettingsAllowItForThisSession()
    {
        openWindow();
        QVERIFY(!sandboxLabel()->text().contains(u"internet"_s));
        QVERIFY2(sandboxLabel()->toolTip().contains(u"Internet: off"_s), qPrintable(sandboxLabel()->toolTip()));
        QVERIFY2(sandboxLabel()->toolTip().contains(u"template's"_s), qPrintable(sandboxLabel()->toolTip()));
        QCOMPARE(runCode(u"print(\"closed\")"_s, Language::Python).outcome, RunOutcome::Ok);
        QCOMPARE(internetOfLastCreate(), QJsonValue(false));

        // Settings > Sandbox: the box starts unticked; ticked and saved, the
        // session (which ran code) asks to restart: yes.
        m_window->openSettings();
        auto *dialog = m_window->findChild<SettingsDialog *>();
        QVERIFY(dialog);
        auto *box = dialog->findChild<QCheckBox *>(u"allowInternetBox"_s);
        QVERIFY(box && !box->isChecked());
        box->setChecked(true);
        Confirmation::setNextAnswers({true});
        dialog->accept();
        QTRY_VERIFY(sandboxLabel()->text().contains(u" · internet on"_s));
        QVERIFY(sandboxLabel()->toolTip().contains(u"Internet: ON for this session"_s));
        QVERIFY(m_window->runController()->sessionHasInternet());
        QCOMPARE(runCode(u"print(\"open\")"_s, Language::Python).outcome, RunOutcome::Ok);
        QCOMPARE(internetOfLastCreate(), QJsonValue(true));
        QVERIFY(help::snippetRulesHtml(*m_settings, 30000, true).contains(u"This session allows it."_s));
        // Shown again, the dialog has it ticked; it never reaches the settings file.
        m_window->openSettings();
        auto *again = m_window->findChildren<SettingsDialog *>().last();
        QVERIFY(again->findChild<QCheckBox *>(u"allowInternetBox"_s)->isChecked());
        again->reject();
        m_settings->sync();
        QFile ini(m_settings->filePath());
        QVERIFY(ini.open(QIODevice::ReadOnly));
        QVERIFY(!ini.readAll().toLower().contains("internet"));

        // SafeCell started again: off, as by default.
        m_window.reset();
        QTRY_COMPARE_WITH_TIMEOUT(m_fake.liveSandboxes(), 0, 10000);
        openWindow();
        QVERIFY(!m_window->runController()->internetAllowed());
        QVERIFY(!sandboxLabel()->text().contains(u"internet"_s));
        QCOMPARE(runCode(u"print(\"closed again\")"_s, Language::Python).outcome, RunOutcome::Ok);
        QCOMPARE(internetOfLastCreate(), QJsonValue(false));
    }

    void uploadingIsAskedOnceAndANoIsHonouredForTheSession()
    {
        openWindow();
        const int uploads = m_fake.count("POST", "/files");
        Confirmation::setNextAnswers({false});
        RunReport report = runCode(u"SELECT 1"_s, Language::Sql);
        QCOMPARE(uploadQuestions(), 1);
        const Confirmation::Question question = Confirmation::asked().last();
        QVERIFY2(question.text.contains(u"uploaded to E2B's cloud"_s), qPrintable(question.text));
        QVERIFY2(question.details.contains(m_database), qPrintable(question.details));
        QVERIFY2(question.details.contains(u"the workspace database"_s), qPrintable(question.details));
        QCOMPARE(report.outcome, RunOutcome::NeedsConfirmation);
        QCOMPARE(report.skippedUploads, QStringList{m_database});
        QVERIFY2(m_window->statusText().contains(u"you chose not to send data to E2B"_s),
                 qPrintable(m_window->statusText()));
        QVERIFY(!m_window->findChild<QDialog *>(u"ambiguousDialog"_s)); // not taken for ambiguous code
        // Asked once: the next SQL run is refused without a question.
        report = runCode(u"SELECT 2"_s, Language::Sql);
        QCOMPARE(report.outcome, RunOutcome::NeedsConfirmation);
        QCOMPARE(uploadQuestions(), 1);
        QCOMPARE(m_fake.count("POST", "/files"), uploads);
        // Python needs nothing uploaded: it runs, and asks nothing.
        QCOMPARE(runCode(u"print(\"fine\")"_s, Language::Python).outcome, RunOutcome::Ok);
        QCOMPARE(uploadQuestions(), 1);
    }

    // The real dialog, answered with a click: the files go, once, and the
    // history lists them.
    void uploadingIsAskedOnceAndAYesIsHonouredForTheSession()
    {
        openWindow();
        const int uploads = m_fake.count("POST", "/files");
        m_fake.setScriptContaining(u"SELECT 7"_s, {fake::FakeStep::out(u"7\n"_s)});
        RunReport report = runCode(u"SELECT 7"_s, Language::Sql, [this, uploads] {
            QMessageBox *box = nullptr;
            QTRY_VERIFY((box = m_window->findChild<QMessageBox *>()) && box->isVisible());
            QVERIFY2(box->informativeText().contains(m_database), qPrintable(box->informativeText()));
            QCOMPARE(m_fake.count("POST", "/files"), uploads); // nothing sent while it asks
            QPushButton *upload = nullptr;
            for (QAbstractButton *button : box->buttons())
                if (button->text().contains(u"Upload"_s))
                    upload = qobject_cast<QPushButton *>(button);
            QVERIFY(upload);
            QVERIFY(box->defaultButton() != upload); // Enter does not send data away
            upload->click();
        });
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QCOMPARE(report.uploadedFiles, QStringList{m_database});
        QCOMPARE(m_fake.count("POST", "/files"), uploads + 1);
        QCOMPARE(uploadQuestions(), 1);
        QVERIFY(m_window->uploadConsent().allowed());

        report = runCode(u"SELECT 7"_s, Language::Sql); // no second question
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QCOMPARE(uploadQuestions(), 1);
        QVERIFY(report.uploadedFiles.isEmpty()); // already there
        for (const QMessageBox *box : m_window->findChildren<QMessageBox *>())
            QVERIFY(!box->isVisible()); // the answered one, not yet deleted

        HistoryDialog *history = m_window->openHistory();
        QTRY_VERIFY(!history->isLoading()); // read on the query thread
        QVERIFY(!history->runs().isEmpty());
        QCOMPARE(history->runs().at(1).uploadedFiles, QStringList{m_database});
        auto *table = history->findChild<QTableWidget *>(u"runsTable"_s);
        QVERIFY(table);
        QCOMPARE(table->horizontalHeaderItem(HistoryDialog::SentToE2b)->text(), u"Sent to E2B"_s);
        QCOMPARE(table->item(1, HistoryDialog::SentToE2b)->text(), u"shop.db"_s);
        QCOMPARE(table->item(1, HistoryDialog::SentToE2b)->toolTip(), m_database);
        QCOMPARE(table->item(0, HistoryDialog::SentToE2b)->text(), QString());
        history->close();
    }
};

QTEST_MAIN(TestGuiE2bData)
#include "tst_guie2bdata.moc"
