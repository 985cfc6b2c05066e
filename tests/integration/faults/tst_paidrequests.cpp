// No paid call outside the budget (issue 15.8): the CLI (`safecell run`),
// the HTTP API (`safecell serve`) and the window (a run, an Ask, and the
// Settings key checks) all work against FakeCohere and FakeE2b on one
// ledger. Afterwards every paid request a fake received has its ledger
// entry: each Cohere chat an LLM entry, each E2B sandbox a sandbox entry of
// the run that used it. The key checks are free and leave none.
#include "EscalatedSnippet.h"
#include "FakeE2b.h"
#include "SafecellProcess.h"
#include "cohere/FakeCohere.h"
#include "gui/AskPanel.h"
#include "gui/MainWindow.h"
#include "gui/SettingsDialog.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <QUuid>

using namespace safecell;
using namespace safecell::fake;
using namespace Qt::StringLiterals;

namespace {

const QString kCohereKey = u"co-paid-requests-0123456789abcdef"_s;
const QString kE2bKey = u"e2b_paid_requests_0123456789abcdef"_s;
const QString kSafeLabel = u"{\"label\":\"safe\",\"confidence\":0.95,\"reason\":\"reads a CSV\"}"_s;

struct LedgerCounts {
    int llmEntries = 0;
    QSet<QString> sandboxRuns; // runs with an E2B sandbox entry
    int unpricedEntries = 0;   // an LLM entry at $0
};

} // namespace

class TestPaidRequests : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_root;
    FakeCohere m_cohere;
    FakeE2b m_e2b;
    QProcessEnvironment m_env;

    int cohereChats() const
    {
        int chats = 0;
        for (const RecordedRequest &request : m_cohere.requests())
            chats += request.path == "/v2/chat";
        return chats;
    }

    LedgerCounts ledger() const
    {
        LedgerCounts counts;
        const QString connection = QUuid::createUuid().toString();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
            db.setDatabaseName(m_root.filePath(u"data/ledger.sqlite"_s));
            db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
            if (db.open()) {
                QSqlQuery query(u"SELECT kind, resource, run_id, cost_nanos, step FROM entries"_s, db);
                while (query.next()) {
                    const QString kind = query.value(0).toString();
                    if (kind == u"llm"_s)
                        ++counts.llmEntries;
                    // A warm sandbox's idle time is charged apart, under a run id of its own.
                    if (kind == u"sandbox"_s && query.value(1).toString() == u"e2b"_s
                        && query.value(4).toString() != u"keep-warm"_s)
                        counts.sandboxRuns.insert(query.value(2).toString());
                    if (kind == u"llm"_s && query.value(3).toLongLong() <= 0)
                        ++counts.unpricedEntries;
                }
            }
        }
        QSqlDatabase::removeDatabase(connection);
        return counts;
    }

    int runCli(const QString &file)
    {
        QProcess process;
        process.setProcessEnvironment(m_env);
        QSignalSpy done(&process, &QProcess::finished);
        process.start(faulttest::binary(), {u"run"_s, file});
        if (!done.wait(60000))
            return -1;
        return process.exitCode();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!faulttest::binary().isEmpty());
        QVERIFY(m_cohere.listen());
        m_cohere.setExpectedKey(kCohereKey);
        QVERIFY(m_e2b.listen());
        m_e2b.setApiKey(kE2bKey);
        m_e2b.setScriptContaining(u"read_csv"_s, {FakeStep::out(u"ran\n"_s)});
        m_env = faulttest::environment(m_root.path(), m_e2b.url(), kE2bKey, 5.0);
        m_env.insert(u"COHERE_API_KEY"_s, kCohereKey);
        m_env.insert(u"SAFECELL_COHERE_URL"_s, m_cohere.baseUrl().toString());
        m_env.insert(u"SAFECELL_API_TOKEN"_s, u"paid-requests-token-0123456789abcdef0123456789"_s);
        // The window in this process: the same keys, endpoints and ledger.
        for (const QString &name : {u"COHERE_API_KEY"_s, u"E2B_API_KEY"_s, u"SAFECELL_COHERE_URL"_s,
                                    u"SAFECELL_E2B_API_URL"_s, u"SAFECELL_E2B_SANDBOX_URL"_s, u"SAFECELL_DATA_DIR"_s})
            qputenv(name.toLatin1().constData(), m_env.value(name).toUtf8());
    }

    void everyPaidRequestHasItsLedgerEntry()
    {
        // The CLI: classified by the LLM, then run on E2B.
        QFile snippet(m_root.filePath(u"escalated.py"_s));
        QVERIFY(snippet.open(QIODevice::WriteOnly));
        snippet.write(faulttest::kEscalated.toUtf8());
        snippet.close();
        m_cohere.enqueue(ScriptedResponse::chat(kSafeLabel, 300, 20));
        QCOMPARE(runCli(snippet.fileName()), 0);

        // The HTTP API: the same, and a plain run.
        QProcess server;
        const QUrl url = faulttest::startServe(server, m_env);
        QVERIFY2(!url.isEmpty(), server.readAllStandardError().constData());
        QNetworkAccessManager network;
        const QString token = m_env.value(u"SAFECELL_API_TOKEN"_s);
        m_cohere.enqueue(ScriptedResponse::chat(kSafeLabel, 300, 20));
        for (const QString &code : {faulttest::kEscalated, u"print(1)"_s}) {
            QNetworkReply *reply = faulttest::postCode(network, url, token, code);
            QSignalSpy done(reply, &QNetworkReply::finished);
            QVERIFY(done.wait(60000));
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
            reply->deleteLater();
        }
        server.terminate();
        QVERIFY(server.waitForFinished(30000));

        // The window: a run the LLM clears, an Ask, and both key checks.
        {
            Settings settings(m_root.filePath(u"gui.ini"_s));
            KeyStore keys(u"org.safecell.tests.paidrequests"_s);
            MainWindow window(settings, keys);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            m_cohere.enqueue(ScriptedResponse::chat(kSafeLabel, 300, 20));
            window.setCode(faulttest::kEscalated);
            QSignalSpy finished(&window, &MainWindow::runFinished);
            window.run();
            QVERIFY(finished.wait(60000));
            QCOMPARE(finished.first().at(0).value<RunReport>().outcome, RunOutcome::Ok);

            auto *ask = window.findChild<AskPanel *>(u"askPanel"_s);
            QVERIFY(ask);
            QSignalSpy answered(ask, &AskPanel::finished);
            ask->ask(u"count the rows of a table"_s);
            QVERIFY(answered.wait(60000));

            window.openSettings();
            SettingsDialog *dialog = nullptr;
            QTRY_VERIFY((dialog = window.findChild<SettingsDialog *>()));
            QSignalSpy tested(dialog, &SettingsDialog::keyTestFinished);
            dialog->testCohereKey();
            QVERIFY(tested.wait(30000));
            dialog->testE2bKey();
            QVERIFY(tested.wait(30000));
            QCOMPARE(tested.at(0).at(0).toBool(), true);
            QCOMPARE(tested.at(1).at(0).toBool(), true);
            dialog->reject();
        } // closing the window ends its E2B session

        const LedgerCounts counts = ledger();
        const int chats = cohereChats();
        qInfo("paid requests: %d Cohere chats, %d E2B sandboxes; ledger: %d LLM entries, %d runs with E2B entries",
              chats, m_e2b.sandboxesCreated(), counts.llmEntries, int(counts.sandboxRuns.size()));
        QCOMPARE(chats, 4); // three classifications and an Ask; the key check is no chat
        QCOMPARE(counts.llmEntries, chats);
        QCOMPARE(m_e2b.sandboxesCreated(), 4); // CLI, two API requests, the window
        QCOMPARE(int(counts.sandboxRuns.size()), m_e2b.sandboxesCreated());
        QCOMPARE(counts.unpricedEntries, 0);
    }
};

QTEST_MAIN(TestPaidRequests)
#include "tst_paidrequests.moc"
