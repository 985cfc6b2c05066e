#include "ApiTestClient.h"
#include "api/ApiServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using namespace safecell;
using namespace safecell::api;
using namespace Qt::StringLiterals;

namespace {

const QString kToken = u"test-token-0123456789abcdef"_s;

using Response = safecell::testing::ApiResponse;
using safecell::testing::ApiTestClient;

} // namespace

class TestApiServer : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<ApiServer> m_server;
    QNetworkAccessManager m_network;
    quint16 m_port = 0;

    void startServer(int maxRuns = 4)
    {
        ApiServerConfig config;
        config.token = kToken;
        config.maxRunsInFlight = maxRuns;
        m_server = std::make_unique<ApiServer>(config);
        const auto port = m_server->listenLocal(QHostAddress::LocalHost, 0);
        QVERIFY2(port, qPrintable(port ? QString() : port.error()));
        m_port = *port;
    }

    QNetworkRequest request(const QString &token = kToken, const QString &path = u"/api/code"_s)
    {
        QNetworkRequest r(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path)));
        r.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        r.setTransferTimeout(60000);
        if (!token.isEmpty())
            r.setRawHeader("Authorization", "Bearer " + token.toUtf8());
        return r;
    }

    static Response await(QNetworkReply *reply) { return ApiTestClient::await(reply); }

    Response post(const QByteArray &body, const QString &token = kToken)
    {
        return await(m_network.post(request(token), body));
    }

    static QByteArray json(const QJsonObject &object) { return ApiTestClient::json(object); }

    // Sends `head` (request line and headers) on a raw connection and
    // returns whatever the server answers within `waitMs`, without ever
    // sending a body.
    QByteArray rawAnswer(const QByteArray &head, int waitMs = 5000, bool *closed = nullptr)
    {
        // The server runs in this thread: wait with the event loop running.
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (!socket.waitForConnected(5000))
            return "not connected";
        socket.write(head);
        QByteArray answer;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < waitMs && !answer.contains("\r\n\r\n")) {
            QTest::qWait(10);
            answer += socket.readAll();
        }
        if (closed) {
            while (clock.elapsed() < waitMs && socket.state() == QAbstractSocket::ConnectedState)
                QTest::qWait(10);
            *closed = socket.state() != QAbstractSocket::ConnectedState;
        }
        return answer;
    }

    QByteArray head(const QByteArray &method, const QByteArray &headers) const
    {
        return method + " /api/code HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n" + headers
               + "\r\n";
    }

private Q_SLOTS:
    void init() { startServer(); }
    void cleanup() { m_server.reset(); }

    void helloGives200WithStdout()
    {
        const Response r = post(json({{u"code"_s, u"print(\"hello\")"_s}, {u"language"_s, u"python"_s}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(u"stdout"_s).toString(), u"hello\n"_s);
        QVERIFY(r.body.value(u"error"_s).isNull());
        QVERIFY(r.body.contains(u"result"_s));
        QVERIFY(!r.body.value(u"executionId"_s).toString().isEmpty());
        QCOMPARE(r.body.value(u"outcome"_s).toString(), u"ok"_s);
    }

    void raisedCodeStillGives200WithTheErrorInTheBody()
    {
        const Response r = post(json({{u"code"_s, u"1/0"_s}, {u"language"_s, u"python"_s}}));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(u"error"_s).toString(), u"ZeroDivisionError: division by zero"_s);
        QCOMPARE(r.body.value(u"outcome"_s).toString(), u"failed"_s);
    }

    void badInputMatrix_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("invalid json") << QByteArray("{\"code\": ") << u"body"_s << u"not valid JSON"_s;
        QTest::newRow("not an object") << QByteArray("[]") << u"body"_s << u"the body must be a JSON object"_s;
        QTest::newRow("json string") << QByteArray(R"x("print(1)")x") << u"body"_s
                                     << u"the body must be a JSON object"_s;
        QTest::newRow("json number") << QByteArray("123") << u"body"_s << u"the body must be a JSON object"_s;
        QTest::newRow("json array") << QByteArray("[1]") << u"body"_s << u"the body must be a JSON object"_s;
        QTest::newRow("json null") << QByteArray("null") << u"body"_s << u"the body must be a JSON object"_s;
        QTest::newRow("code wrong type") << QByteArray(R"({"code":1,"language":"python"})") << u"code"_s
                                         << u"must be a string"_s;
        QTest::newRow("language wrong type")
            << QByteArray(R"({"code":"1","language":2})") << u"language"_s << u"must be a string"_s;
        QTest::newRow("time wrong type") << QByteArray(R"({"code":"1","language":"python","maxExecutionTimeMs":"5"})")
                                         << u"maxExecutionTimeMs"_s << u"must be a number"_s;
        QTest::newRow("missing code") << QByteArray(R"({"language":"python"})") << u"code"_s << u"is required"_s;
        QTest::newRow("missing language") << QByteArray(R"({"code":"1"})") << u"language"_s << u"is required"_s;
        QTest::newRow("unknown language")
            << QByteArray(R"({"code":"1","language":"ruby"})") << u"language"_s << u"\"python\" or \"sql\""_s;
        QTest::newRow("50001 characters") << json({{u"code"_s, QString(50001, u'x')}, {u"language"_s, u"python"_s}})
                                          << u"code"_s << u"at most 50000 characters (got 50001)"_s;
        QTest::newRow("negative time") << QByteArray(R"({"code":"1","language":"python","maxExecutionTimeMs":-1})")
                                       << u"maxExecutionTimeMs"_s << u"positive"_s;
    }

    void badInputMatrix()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        QFETCH(QString, mentions);
        const Response r = post(body);
        QCOMPARE(r.status, 400);
        const QJsonArray fields = r.body.value(u"fields"_s).toArray();
        QVERIFY(!fields.isEmpty());
        QCOMPARE(fields.first().toObject().value(u"field"_s).toString(), field);
        QVERIFY2(r.body.value(u"error"_s).toString().contains(mentions), r.raw.constData());
    }

    void nonObjectJsonGets400SayingSo_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("string") << QByteArray(R"x("print(1)")x");
        QTest::newRow("number") << QByteArray("123");
        QTest::newRow("array") << QByteArray("[1]");
        QTest::newRow("null") << QByteArray("null");
    }

    void nonObjectJsonGets400SayingSo()
    {
        QFETCH(QByteArray, body);
        const Response r = post(body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.body.value(u"error"_s).toString(), u"the body must be a JSON object"_s);
        QCOMPARE(r.body.value(u"outcome"_s).toString(), u"invalid"_s);
    }

    void bearerSchemeIsCaseInsensitive_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<int>("status");
        QTest::newRow("lower case") << "bearer " + kToken.toUtf8() << 200;
        QTest::newRow("upper case") << "BEARER " + kToken.toUtf8() << 200;
        QTest::newRow("two spaces") << "Bearer  " + kToken.toUtf8() << 200;
        QTest::newRow("wrong token, lower case") << QByteArray("bearer wrong-token-0123456789abcdef") << 401;
        QTest::newRow("token in upper case") << "bearer " + kToken.toUpper().toUtf8() << 401;
    }

    void bearerSchemeIsCaseInsensitive()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(int, status);
        m_server->setBudgetProvider([] {
            return Expected<QJsonObject, QString>(QJsonObject{{u"state"_s, u"Active"_s}});
        });
        QNetworkRequest r = request(QString());
        r.setRawHeader("Authorization", authorization);
        const Response get = await(m_network.get(r));
        QCOMPARE(get.status, status);
        // POST too: a run needs the token as much as the budget does.
        const Response post = await(
            m_network.post(r, json({{u"code"_s, u"print(1)"_s}, {u"language"_s, u"python"_s}})));
        QCOMPARE(post.status, status);
        if (status == 200)
            QCOMPARE(post.body.value(u"stdout"_s).toString(), u"1\n"_s);
    }

    void hugeBodyGives413()
    {
        const Response r = post(json({{u"code"_s, QString(1100000, u'x')}, {u"language"_s, u"python"_s}}));
        QCOMPARE(r.status, 413);
        QVERIFY(r.body.value(u"error"_s).toString().contains(u"at most 1048576 bytes"_s));
    }

    void noTokenOrWrongTokenGives401()
    {
        const QByteArray body = json({{u"code"_s, u"print(1)"_s}, {u"language"_s, u"python"_s}});
        QCOMPARE(post(body, QString()).status, 401);
        QCOMPARE(post(body, u"wrong-token-0123456789abcdef"_s).status, 401);
        QCOMPARE(post(body, kToken.left(kToken.size() - 1)).status, 401);
        QCOMPARE(await(m_network.get(request(QString()))).status, 401);
    }

    void tokenIsCheckedBeforeTheBodyIsSent()
    {
        // A 1.5 GB body announced without a token: refused at once and the
        // connection closed, with not one byte of the body sent.
        bool closed = false;
        const QByteArray answer = rawAnswer(head("POST",
                                                 "Content-Type: application/json\r\nContent-Length: 1500000000\r\n"),
                                            5000, &closed);
        QVERIFY2(answer.startsWith("HTTP/1.1 401"), answer.constData());
        QVERIFY(closed);
    }

    void declaredLengthIsCheckedBeforeTheBodyIsSent()
    {
        bool closed = false;
        const QByteArray answer = rawAnswer(head("POST", "Authorization: Bearer " + kToken.toUtf8()
                                                             + "\r\nContent-Length: 1500000000\r\n"),
                                            5000, &closed);
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
        QVERIFY(closed);
        // A body of unknown length (chunked) is refused the same way.
        const QByteArray chunked = rawAnswer(
            head("POST", "Authorization: Bearer " + kToken.toUtf8() + "\r\nTransfer-Encoding: chunked\r\n"));
        QVERIFY2(chunked.startsWith("HTTP/1.1 411"), chunked.constData());
    }

    void hostMustBeALoopbackName_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("127.0.0.1 with the port") << QByteArray("127.0.0.1:%1") << true;
        QTest::newRow("localhost with the port") << QByteArray("localhost:%1") << true;
        QTest::newRow("[::1] with the port") << QByteArray("[::1]:%1") << true;
        QTest::newRow("LOCALHOST") << QByteArray("LOCALHOST:%1") << true;
        QTest::newRow("a rebinding name") << QByteArray("attacker.example:%1") << false;
        QTest::newRow("a name under localhost's") << QByteArray("127.0.0.1.attacker.example:%1") << false;
        QTest::newRow("another port") << QByteArray("127.0.0.1:1") << false;
        QTest::newRow("no port") << QByteArray("localhost") << false;
        QTest::newRow("empty") << QByteArray("") << false;
    }

    void hostMustBeALoopbackName()
    {
        QFETCH(QByteArray, host);
        QFETCH(bool, allowed);
        m_server->setBudgetProvider([] { return Expected<QJsonObject, QString>(QJsonObject{{u"spent"_s, 0}}); });
        const QByteArray request = "GET /api/code HTTP/1.1\r\nHost: " + host.replace("%1", QByteArray::number(m_port))
                                   + "\r\nAuthorization: Bearer " + kToken.toUtf8() + "\r\n\r\n";
        const QByteArray answer = rawAnswer(request);
        if (allowed)
            QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        else
            QVERIFY2(answer.startsWith("HTTP/1.1 421") || answer.startsWith("HTTP/1.1 400"), answer.constData());
    }

    void aSecondRequestOnTheConnectionCannotSkipTheChecks()
    {
        // An authorised request, then on the same connection an anonymous
        // one announcing 1.5 GB: the second is never read as a request.
        m_server->setBudgetProvider([] { return Expected<QJsonObject, QString>(QJsonObject{{u"spent"_s, 0}}); });
        bool closed = false;
        const QByteArray first = "GET /api/code HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port)
                                 + "\r\nAuthorization: Bearer " + kToken.toUtf8() + "\r\n\r\n";
        const QByteArray answer = rawAnswer(first + head("POST", "Content-Length: 1500000000\r\n"), 5000, &closed);
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
        QVERIFY2(closed, answer.constData());
    }

    void tooManyRunsInFlightGives429()
    {
        startServer(1);
        QNetworkReply *slow = m_network.post(request(), json({{u"code"_s, u"import time\ntime.sleep(2)"_s},
                                                              {u"language"_s, u"python"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->runsInFlight(), 1, 10000);
        const Response second = post(json({{u"code"_s, u"print(1)"_s}, {u"language"_s, u"python"_s}}));
        QCOMPARE(second.status, 429);
        QCOMPARE(await(slow).status, 200);
        QCOMPARE(post(json({{u"code"_s, u"print(1)"_s}, {u"language"_s, u"python"_s}})).status, 200);
    }

    void requestsReuseAWorkerAndShareNothing()
    {
        startServer(1); // one worker: the second request is on the first's
        const Response first = post(json({{u"code"_s, u"x = 41\nprint(x + 1)"_s}, {u"language"_s, u"python"_s}}));
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body.value(u"stdout"_s).toString(), u"42\n"_s);
        const Response second = post(json({{u"code"_s, u"print(x)"_s}, {u"language"_s, u"python"_s}}));
        QCOMPARE(second.status, 200);
        QCOMPARE(second.body.value(u"outcome"_s).toString(), u"failed"_s);
        QVERIFY2(second.body.value(u"error"_s).toString().startsWith(u"NameError"_s), second.raw.constData());
        QCOMPARE(m_server->pool().workers(), 1); // one after the other: the same worker
    }

    void clientLeavingCancelsItsRun()
    {
        QNetworkReply *reply = m_network.post(request(), json({{u"code"_s, u"import time\ntime.sleep(30)"_s},
                                                               {u"language"_s, u"python"_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->runsInFlight(), 1, 10000);
        reply->abort();
        reply->deleteLater();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->runsInFlight(), 0, 5000);
    }

    void getReportsTheBudget()
    {
        QCOMPARE(await(m_network.get(request())).status, 503);
        m_server->setBudgetProvider([] {
            return Expected<QJsonObject, QString>(
                QJsonObject{{u"spent"_s, 1.5}, {u"remaining"_s, 3.5}, {u"state"_s, u"Active"_s}, {u"limit"_s, 5.0}});
        });
        const Response r = await(m_network.get(request()));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.value(u"remaining"_s).toDouble(), 3.5);
    }

    void otherPathsAndMethods()
    {
        QCOMPARE(await(m_network.get(request(kToken, u"/elsewhere"_s))).status, 404);
        QCOMPARE(await(m_network.put(request(), QByteArray("{}"))).status, 405);
    }

    void refusesNonLoopbackAddresses()
    {
        ApiServerConfig config;
        config.token = kToken;
        ApiServer server(config);
        const auto any = server.listenLocal(QHostAddress::Any, 0);
        QVERIFY(!any);
        QVERIFY(any.error().contains(u"loopback"_s));
        QVERIFY(!server.listenLocal(QHostAddress(u"192.168.1.10"_s), 0));
        QVERIFY(server.listenLocal(QHostAddress(u"127.0.0.1"_s), 0));
    }

    void refusesToServeWithoutAToken()
    {
        ApiServer server(ApiServerConfig{});
        QVERIFY(!server.listenLocal(QHostAddress::LocalHost, 0));
    }
};

QTEST_GUILESS_MAIN(TestApiServer)
#include "tst_apiserver.moc"
