// Issue 22, item 1: warm kernels and named sessions through the HTTP API.
// Requests without a session share nothing; a session keeps its variables
// (locally and on E2B, faked) until DELETE, its idle timeout, and within
// its caps.
#include "ApiTestClient.h"
#include "FakeE2b.h"
#include "api/ApiServer.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace safecell::api;
using safecell::testing::ApiResponse;
using safecell::testing::ApiTestClient;
using namespace Qt::StringLiterals;

namespace {

const QString kToken = u"test-token-0123456789abcdef"_s;

QJsonObject python(const QString &code, const QString &sessionId = {})
{
    return ApiTestClient::python(code, sessionId);
}

bool isNameError(const ApiResponse &r)
{
    return r.status == 200 && r.body.value(u"outcome"_s).toString() == u"failed"_s
           && r.body.value(u"error"_s).toString().startsWith(u"NameError"_s);
}

} // namespace

class TestApiSessions : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<fake::FakeE2b> m_fake;
    std::unique_ptr<ApiServer> m_server;
    std::unique_ptr<ApiTestClient> m_client;

    ApiServerConfig localConfig(int maxRuns = 2)
    {
        ApiServerConfig config;
        config.token = kToken;
        config.maxRunsInFlight = maxRuns;
        return config;
    }

    void start(const ApiServerConfig &config)
    {
        m_client.reset();
        m_server = std::make_unique<ApiServer>(config);
        const auto port = m_server->listenLocal(QHostAddress::LocalHost, 0);
        QVERIFY2(port, qPrintable(port ? QString() : port.error()));
        m_client = std::make_unique<ApiTestClient>(*port, kToken);
    }

    ApiResponse post(const QJsonObject &body) { return m_client->post(body); }
    ApiResponse del(const QString &id) { return m_client->send("DELETE", u"/api/sessions/"_s + id); }

private Q_SLOTS:
    void cleanup()
    {
        m_client.reset();
        m_server.reset();
        if (m_fake) {
            QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 10000);
            m_fake.reset();
        }
    }

    void requestsWithoutASessionShareNothing()
    {
        start(localConfig(2));
        QCOMPARE(m_server->pool().workers(), 2); // warm before the first request
        QCOMPARE(post(python(u"x = 41\nprint(x + 1)"_s)).body.value(u"stdout"_s).toString(), u"42\n"_s);
        // Both workers have served once now: the next runs are on reused workers.
        for (int i = 0; i < 3; ++i) {
            const ApiResponse r = post(python(u"print(x)\nx = 41"_s));
            QVERIFY2(isNameError(r), r.raw.constData());
            QVERIFY(!r.body.contains(u"sessionId"_s));
        }
        QCOMPARE(m_server->pool().workers(), 2);
    }

    void aSessionKeepsItsVariables()
    {
        start(localConfig(1));
        const ApiResponse first = post(python(u"x = 41"_s, u"analysis-1"_s));
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body.value(u"sessionId"_s).toString(), u"analysis-1"_s);
        PooledWorker *worker = m_server->pool().sessionWorker(u"analysis-1"_s);
        QVERIFY(worker);
        // A request without a session never lands on the session's worker.
        const ApiResponse other = post(python(u"print(x)"_s));
        QVERIFY2(isNameError(other), other.raw.constData());
        const ApiResponse second = post(python(u"print(x + 1)"_s, u"analysis-1"_s));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.body.value(u"stdout"_s).toString(), u"42\n"_s);
        QCOMPARE(second.body.value(u"sessionId"_s).toString(), u"analysis-1"_s);
        QCOMPARE(m_server->pool().sessionWorker(u"analysis-1"_s), worker);
        QCOMPARE(worker->runsServed(), 2);
        QCOMPARE(m_server->pool().sessions(), 1);
    }

    void deleteEndsASession()
    {
        start(localConfig());
        QCOMPARE(post(python(u"x = 1"_s, u"s"_s)).status, 200);
        QSignalSpy ended(&m_server->pool(), &RunPool::sessionEnded);
        QCOMPARE(del(u"s"_s).status, 204);
        QCOMPARE(ended.size(), 1);
        QCOMPARE(m_server->pool().sessions(), 0);
        const ApiResponse again = del(u"s"_s);
        QCOMPARE(again.status, 404);
        QVERIFY2(again.body.value(u"error"_s).toString().contains(u"no session s"_s), again.raw.constData());
        // The same id now starts a new session, without the old variables.
        const ApiResponse after = post(python(u"print(x)"_s, u"s"_s));
        QVERIFY2(isNameError(after), after.raw.constData());
        // The route answers DELETE only, with the token, for a well-formed id.
        QCOMPARE(m_client->send("GET", u"/api/sessions/s"_s).status, 405);
        QCOMPARE(m_client->send("DELETE", u"/api/code"_s).status, 405);
        QCOMPARE(del(u"a%20b"_s).status, 400);
        QCOMPARE(m_client->send("DELETE", u"/api/sessions/s/deeper"_s).status, 404);
        QNetworkRequest anonymous = m_client->request(u"/api/sessions/s"_s);
        anonymous.setRawHeader("Authorization", QByteArray());
        QCOMPARE(ApiTestClient::await(m_client->network().sendCustomRequest(anonymous, "DELETE")).status, 401);
        QCOMPARE(m_server->pool().sessions(), 1);
    }

    void anIdleSessionEnds()
    {
        ApiServerConfig config = localConfig();
        config.sessionIdleTimeoutMs = 200;
        start(config);
        QSignalSpy ended(&m_server->pool(), &RunPool::sessionEnded);
        QCOMPARE(post(python(u"x = 1"_s, u"idle"_s)).status, 200);
        QVERIFY(ended.wait(30000));
        QCOMPARE(ended.first().at(0).toString(), u"idle"_s);
        QVERIFY(ended.first().at(1).toString().contains(u"idle"_s));
        QCOMPARE(m_server->pool().sessions(), 0);
        const ApiResponse after = post(python(u"print(x)"_s, u"idle"_s));
        QVERIFY2(isNameError(after), after.raw.constData());
    }

    void sessionsPastTheCapGet429()
    {
        ApiServerConfig config = localConfig();
        config.maxSessions = 1;
        start(config);
        QCOMPARE(post(python(u"x = 1"_s, u"one"_s)).status, 200);
        const ApiResponse second = post(python(u"x = 2"_s, u"two"_s));
        QCOMPARE(second.status, 429);
        QVERIFY2(second.body.value(u"error"_s).toString().contains(u"at most 1"_s), second.raw.constData());
        QCOMPARE(post(python(u"print(x)"_s, u"one"_s)).body.value(u"stdout"_s).toString(), u"1\n"_s);
        QCOMPARE(del(u"one"_s).status, 204);
        QCOMPARE(post(python(u"x = 2"_s, u"two"_s)).status, 200);
    }

    void aBusySessionAnswers409()
    {
        start(localConfig(2));
        QCOMPARE(post(python(u"x = 7"_s, u"busy"_s)).status, 200);
        QNetworkReply *slow = m_client->postLater(python(u"import time\ntime.sleep(30)"_s, u"busy"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->runsInFlight(), 1, 20000);
        const ApiResponse second = post(python(u"print(1)"_s, u"busy"_s));
        QCOMPARE(second.status, 409);
        QVERIFY2(second.body.value(u"error"_s).toString().contains(u"busy"_s), second.raw.constData());
        QCOMPARE(second.body.value(u"sessionId"_s).toString(), u"busy"_s);
        // The client leaving stops its run; the session and its kernel stay.
        slow->abort();
        slow->deleteLater();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->runsInFlight(), 0, 20000);
        QCOMPARE(post(python(u"print(x)"_s, u"busy"_s)).body.value(u"stdout"_s).toString(), u"7\n"_s);
    }

    void deletingABusySessionStopsItsRunAndStillAnswersIt()
    {
        start(localConfig(2));
        QNetworkReply *slow = m_client->postLater(python(u"import time\ntime.sleep(30)"_s, u"gone"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->runsInFlight(), 1, 20000);
        QCOMPARE(del(u"gone"_s).status, 204);
        QCOMPARE(m_server->pool().sessions(), 0);
        const ApiResponse answer = ApiTestClient::await(slow);
        QCOMPARE(answer.status, 503);
        QCOMPARE(answer.body.value(u"outcome"_s).toString(), u"cancelled"_s);
        QCOMPARE(answer.body.value(u"sessionId"_s).toString(), u"gone"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->runsInFlight(), 0, 20000);
    }

    void aBadSessionIdIsNamed_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("space") << QByteArray(R"({"code":"1","language":"python","sessionId":"a b"})");
        QTest::newRow("number") << QByteArray(R"({"code":"1","language":"python","sessionId":5})");
        QTest::newRow("empty") << QByteArray(R"({"code":"1","language":"python","sessionId":""})");
        QTest::newRow("65 characters") << ApiTestClient::json(python(u"1"_s, QString(65, u'a')));
        QTest::newRow("slash") << QByteArray(R"({"code":"1","language":"python","sessionId":"a/b"})");
        // Path segments to every HTTP client: DELETE could never name them.
        QTest::newRow("dot") << QByteArray(R"({"code":"1","language":"python","sessionId":"."})");
        QTest::newRow("dot dot") << QByteArray(R"({"code":"1","language":"python","sessionId":".."})");
    }

    void aBadSessionIdIsNamed()
    {
        QFETCH(QByteArray, body);
        if (!m_server)
            start(localConfig());
        const ApiResponse r = m_client->post(body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.body.value(u"fields"_s).toArray().last().toObject().value(u"field"_s).toString(), u"sessionId"_s);
        QVERIFY2(r.body.value(u"error"_s).toString().contains(u"sessionId"_s), r.raw.constData());
        QCOMPARE(m_server->pool().sessions(), 0);
    }

    void anE2bSessionKeepsItsSandbox()
    {
        m_fake = std::make_unique<fake::FakeE2b>();
        QVERIFY(m_fake->listen());
        ApiServerConfig config = localConfig();
        config.worker.ledgerPath = m_dir.filePath(u"e2b-ledger.sqlite"_s);
        config.worker.budgetPolicy.setLimit(ScopeLevel::Org, Money::fromUsd(5.0));
        E2bConfig e2b;
        e2b.apiKey = fake::FakeE2b::defaultApiKey();
        e2b.apiUrl = m_fake->url();
        e2b.sandboxUrl = m_fake->url();
        e2b.requestTimeoutMs = 5000;
        config.worker.e2b = e2b;
        start(config);
        QCOMPARE(m_fake->sandboxesCreated(), 0); // warm workers start no paid sandbox
        QCOMPARE(post(python(u"x = 41"_s, u"cloud"_s)).status, 200);
        const ApiResponse second = post(python(u"x + 1"_s, u"cloud"_s));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.body.value(u"result"_s).toString(), u"42"_s);
        QCOMPARE(second.body.value(u"sandbox"_s).toString(), u"e2b"_s);
        QCOMPARE(m_fake->sandboxesCreated(), 1); // one sandbox served both
        QCOMPARE(m_fake->liveSandboxes(), 1);
        // Without the session: a sandbox of its own, which does not know x.
        const ApiResponse other = post(python(u"x"_s));
        QVERIFY2(isNameError(other), other.raw.constData());
        QCOMPARE(m_fake->sandboxesCreated(), 2);
        // It ends with its run: killed, and never kept warm (no lifetime
        // extension asked, nor paid, for a sandbox about to go).
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 1, 10000);
        QByteArray killed;
        for (const fake::HttpRequest &request : m_fake->requests()) {
            if (request.method == "DELETE")
                killed = request.path;
        }
        QVERIFY(!killed.isEmpty());
        for (const fake::HttpRequest &request : m_fake->requests())
            QVERIFY2(request.path != killed + "/timeout", request.path.constData());
        // allowInternet holds for the whole session.
        QJsonObject open = python(u"x"_s, u"cloud"_s);
        open.insert(u"allowInternet"_s, true);
        QCOMPARE(post(open).status, 409);
        QCOMPARE(del(u"cloud"_s).status, 204);
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 10000);
    }

    void anIdleE2bSessionsSandboxIsKilled()
    {
        m_fake = std::make_unique<fake::FakeE2b>();
        QVERIFY(m_fake->listen());
        ApiServerConfig config = localConfig();
        config.sessionIdleTimeoutMs = 200;
        config.worker.ledgerPath = m_dir.filePath(u"e2b-idle-ledger.sqlite"_s);
        E2bConfig e2b;
        e2b.apiKey = fake::FakeE2b::defaultApiKey();
        e2b.apiUrl = m_fake->url();
        e2b.sandboxUrl = m_fake->url();
        e2b.requestTimeoutMs = 5000;
        config.worker.e2b = e2b;
        start(config);
        QSignalSpy ended(&m_server->pool(), &RunPool::sessionEnded);
        QCOMPARE(post(python(u"x = 41"_s, u"cloud"_s)).status, 200);
        QCOMPARE(m_fake->liveSandboxes(), 1);
        QVERIFY(ended.wait(30000));
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 10000);
        QCOMPARE(m_fake->sandboxesCreated(), 1);
    }
};

QTEST_GUILESS_MAIN(TestApiSessions)
#include "tst_apisessions.moc"
