// Secrets (issue 10.4), beyond tst_secretsleak's CLI: `safecell serve`
// handles requests that reach both services (an escalated snippet goes to
// the LLM classifier on FakeCohere, then runs on FakeE2b; another asks for
// a run the budget refuses), and the GUI starts offscreen, all with
// sentinel keys in the environment. The keys may only travel in the
// services' auth headers: never in a request body (a prompt, code sent to
// a sandbox), never in the API's answers, the logs, or any file SafeCell
// leaves in its config and data folders.
#include "EscalatedSnippet.h"
#include "FakeE2b.h"
#include "SafecellProcess.h"
#include "cohere/FakeCohere.h"
#include "integration/SentinelScan.h"

#include <QTest>
#include <QUuid>

using namespace safecell::fake;
using namespace Qt::StringLiterals;

namespace {

using faulttest::kEscalated;

} // namespace

class TestSecretsFrontEnds : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_root;
    QByteArray m_sentinel;
    QString m_cohereKey;
    QString m_e2bKey;
    QByteArray m_seen; // every answer and every line of output

    QProcessEnvironment environment(const FakeCohere &cohere, const FakeE2b &e2b)
    {
        QProcessEnvironment env = faulttest::environment(m_root.path(), e2b.url(), m_e2bKey, 0.01);
        env.insert(u"COHERE_API_KEY"_s, m_cohereKey);
        env.insert(u"SAFECELL_COHERE_URL"_s, cohere.baseUrl().toString());
        env.insert(u"QT_LOGGING_RULES"_s, u"safecell.*=true"_s); // every log line, to be scanned
        env.insert(u"TMPDIR"_s, m_root.filePath(u"tmp"_s));
        return env;
    }

    QByteArray post(QNetworkAccessManager &network, const QUrl &url, const QString &token, const QString &code,
                    qint64 timeLimitMs, int *status)
    {
        QNetworkReply *reply = faulttest::postCode(network, url, token, code, timeLimitMs);
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!done.wait(60000))
            return {};
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        reply->deleteLater();
        m_seen += body;
        return body;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!faulttest::binary().isEmpty());
        m_sentinel = "SENTINEL" + QUuid::createUuid().toByteArray(QUuid::Id128).left(12);
        m_cohereKey = QString::fromLatin1(m_sentinel + "-cohere-0123456789abcdef");
        m_e2bKey = QString::fromLatin1("e2b_" + m_sentinel + "0123456789abcdef");
        QVERIFY(QDir(m_root.path()).mkpath(u"tmp"_s));
    }

    void serveAndGuiLeakNoKey()
    {
        FakeCohere cohere;
        QVERIFY(cohere.listen());
        cohere.setExpectedKey(m_cohereKey);
        cohere.enqueue(
            ScriptedResponse::chat(u"{\"label\":\"safe\",\"confidence\":0.95,\"reason\":\"reads a CSV\"}"_s, 300, 20));
        FakeE2b e2b;
        QVERIFY(e2b.listen());
        e2b.setApiKey(m_e2bKey);
        e2b.setScriptContaining(u"read_csv"_s, {FakeStep::out(u"ran\n"_s)});
        const QProcessEnvironment env = environment(cohere, e2b);
        const QString token = faulttest::token(env);
        QVERIFY(!token.isEmpty());

        // The HTTP API front end.
        QProcess server;
        const QUrl url = faulttest::startServe(server, env);
        QVERIFY2(!url.isEmpty(), server.readAllStandardError().constData());
        QNetworkAccessManager network;
        int status = 0;
        const QByteArray escalated = post(network, url, token, kEscalated, 5000, &status);
        QVERIFY2(status == 200 && escalated.contains("ran\\n"), escalated.constData());
        QVERIFY2(escalated.contains("\"decidedBy\":\"llm\""), escalated.constData());
        post(network, url, token, u"print(\"hi\")"_s, 5000, &status);
        QCOMPARE(status, 200);
        post(network, url, token, u"print(\"hi\")"_s, 600000, &status); // its worst case is more than the $0.01 budget
        QCOMPARE(status, 402);
        post(network, url, token, u"import os\nos.system('ls')\n"_s, 5000, &status);
        QCOMPARE(status, 403);
        server.terminate();
        QVERIFY(server.waitForFinished(30000));
        m_seen += server.readAllStandardOutput() + server.readAllStandardError();

        // The GUI front end, offscreen, for a few seconds.
        QProcess gui;
        QProcessEnvironment guiEnv = env;
        guiEnv.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        gui.setProcessEnvironment(guiEnv);
        gui.start(faulttest::binary(), {});
        QVERIFY(gui.waitForStarted(30000));
        QTest::qWait(3000);
        QCOMPARE(gui.state(), QProcess::Running); // it came up and stayed up
        gui.terminate();
        if (!gui.waitForFinished(15000)) {
            gui.kill();
            gui.waitForFinished(5000);
        }
        m_seen += gui.readAllStandardOutput() + gui.readAllStandardError();

        // What the services received: keys in their auth headers only.
        QCOMPARE(cohere.requests().size(), 1);
        for (const RecordedRequest &request : cohere.requests()) {
            QVERIFY2(!request.body.contains(m_sentinel), request.body.constData());
            QVERIFY(request.header("authorization").contains(m_sentinel)); // it was used, where it belongs
        }
        QVERIFY(e2b.sandboxesCreated() >= 1);
        int e2bBodies = 0;
        for (const HttpRequest &request : e2b.requests()) {
            ++e2bBodies;
            QVERIFY2(!request.body.contains(m_sentinel), request.body.constData());
            QVERIFY2(!request.target.contains(m_sentinel), request.target.constData());
        }

        // Answers, logs and files.
        QVERIFY(m_seen.contains("safecell.")); // the logs were on
        QVERIFY2(!m_seen.contains(m_sentinel), m_seen.constData());
        const SentinelScan scan = scanFilesFor(m_root.path(), m_sentinel);
        const int files = scan.files;
        const QStringList &hits = scan.hits;
        qInfo("secrets: serve (4 requests, LLM + E2B) and the GUI: %d Cohere and %d E2B requests, %lld bytes of "
              "answers and output and %d files scanned, %lld hits",
              int(cohere.requests().size()), e2bBodies, qlonglong(m_seen.size()), files, qlonglong(hits.size()));
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u", "_s)));
        QVERIFY2(files >= 2, "the settings and the ledger at least");
    }
};

QTEST_GUILESS_MAIN(TestSecretsFrontEnds)
#include "tst_secretsfrontends.moc"
