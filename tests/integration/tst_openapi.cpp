// Issue 22 item 7: docs/openapi.json describes the API that `safecell serve`
// really answers. Every answer below comes from the real binary over a raw
// socket and is checked against the description (status, content type,
// body, strictly: an undocumented field fails), and every answer the
// description documents must have been seen, so it holds no fiction.
#include "FakeE2b.h"
#include "OpenApiCheck.h"
#include "faults/SafecellProcess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Answer {
    int status = 0;
    QByteArray contentType;
    QByteArray body; // de-chunked
    QByteArray raw;
};

QByteArray headerOf(const QByteArray &head, const QByteArray &name)
{
    for (const QByteArray &line : head.split('\n')) {
        if (line.toLower().startsWith(QByteArray(name.toLower() + ':')))
            return line.mid(name.size() + 1).trimmed();
    }
    return {};
}

QByteArray dechunk(QByteArray data)
{
    QByteArray body;
    while (true) {
        const qsizetype end = data.indexOf("\r\n");
        if (end < 0)
            return body;
        bool ok = false;
        const qsizetype size = data.left(end).toLongLong(&ok, 16);
        if (!ok || size == 0)
            return body;
        body += data.mid(end + 2, size);
        data.remove(0, end + 2 + size + 2);
    }
}

} // namespace

class TestOpenApi : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QJsonObject m_document;
    std::unique_ptr<OpenApiCheck> m_check;
    quint16 m_port = 0;
    QString m_token;

    // One request on its own connection, exactly as given; the server
    // closes each connection after its answer.
    Answer exchange(const QByteArray &request)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (!socket.waitForConnected(5000))
            return {};
        socket.write(request);
        QByteArray raw;
        while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(60000))
            raw += socket.readAll();
        raw += socket.readAll();
        Answer answer;
        answer.raw = raw;
        const qsizetype headEnd = raw.indexOf("\r\n\r\n");
        const QByteArray head = raw.left(headEnd);
        answer.status = head.mid(9, 3).toInt();
        answer.contentType = headerOf(head, "Content-Type");
        const QByteArray rest = raw.mid(headEnd + 4);
        answer.body = headerOf(head, "Transfer-Encoding").toLower() == "chunked" ? dechunk(rest) : rest;
        return answer;
    }

    QByteArray head(const QByteArray &method, const QByteArray &path, const QByteArray &extra = {}) const
    {
        return method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port)
               + "\r\nAuthorization: Bearer " + m_token.toUtf8() + "\r\n" + extra;
    }

    QByteArray post(const QJsonObject &body, const QByteArray &extra = {}) const
    {
        const QByteArray bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);
        return head("POST", "/api/code", extra) + "Content-Type: application/json\r\nContent-Length: "
               + QByteArray::number(bytes.size()) + "\r\n\r\n" + bytes;
    }

    static QJsonObject python(const QString &code) { return {{u"code"_s, code}, {u"language"_s, u"python"_s}}; }

    // Sends `request`, expects `status`, and checks the answer against the description.
    Answer expect(const QByteArray &request, int status)
    {
        const Answer answer = exchange(request);
        const QList<QByteArray> line = request.left(request.indexOf('\r')).split(' ');
        [&] {
            QVERIFY2(answer.status == status, answer.raw.left(2000).constData());
            const QStringList errors = m_check->check(line.at(0), QString::fromLatin1(line.at(1)), answer.status,
                                                      answer.contentType, answer.body);
            QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
            }();
        return answer;
    }

    QProcessEnvironment startServe(QProcess &server, const QString &name, const QUrl &e2b, const QString &e2bKey,
                                   double limitUsd)
    {
        QProcessEnvironment env = faulttest::environment(m_dir.filePath(name), e2b, e2bKey, limitUsd);
        if (e2bKey.isEmpty())
            env.remove(u"E2B_API_KEY"_s);
        const QUrl url = faulttest::startServe(server, env, {u"--max-runs"_s, u"2"_s, u"--max-sessions"_s, u"1"_s});
        m_port = quint16(url.port());
        m_token = faulttest::token(env);
        return env;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!faulttest::binary().isEmpty());
        QFile file(qEnvironmentVariable("SAFECELL_OPENAPI"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        QJsonParseError error;
        m_document = QJsonDocument::fromJson(file.readAll(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        m_check = std::make_unique<OpenApiCheck>(m_document);
    }

    void theDescriptionIsWellFormed()
    {
        QCOMPARE(m_document.value(u"openapi"_s).toString(), u"3.1.0"_s);
        QVERIFY(!m_document.value(u"info"_s).toObject().value(u"title"_s).toString().isEmpty());
        QCOMPARE(m_check->unresolvedRefs(), QStringList());
        QVERIFY(m_check->documentedResponses().size() > 10);
    }

    void theCheckerRejectsWhatIsNotDescribed()
    {
        // The checker itself must be able to fail: an extra field, a missing
        // one, a wrong type, an unknown status.
        const QJsonObject schema{{u"$ref"_s, u"#/components/schemas/Error"_s}};
        QVERIFY(m_check->validate(QJsonObject{{u"error"_s, u"x"_s}}, schema, u"ok"_s).isEmpty());
        QVERIFY(!m_check->validate(QJsonObject{{u"error"_s, u"x"_s}, {u"extra"_s, 1}}, schema, u"extra"_s).isEmpty());
        QVERIFY(!m_check->validate(QJsonObject{}, schema, u"missing"_s).isEmpty());
        QVERIFY(!m_check->validate(QJsonObject{{u"error"_s, 1}}, schema, u"type"_s).isEmpty());
        QVERIFY(!m_check->check("POST", u"/api/code"_s, 418, "application/json", "{}").isEmpty());
        QVERIFY(!m_check->check("GET", u"/api/code"_s, 200, "text/html", "{}").isEmpty());
    }

    void theLocalServerAnswersAsDescribed()
    {
        QProcess server;
        startServe(server, u"local"_s, QUrl(u"http://127.0.0.1:1"_s), QString(), 5.0);
        QVERIFY(m_port != 0 && !m_token.isEmpty());

        expect(post(python(u"print('hello')"_s)), 200);
        expect(post(python(u"1/0"_s)), 200);
        const Answer rows = expect(post({{u"code"_s, u"SELECT region_id, name FROM regions LIMIT 2"_s},
                                         {u"language"_s, u"sql"_s}}),
                                   200);
        const QJsonArray results = QJsonDocument::fromJson(rows.body).object().value(u"results"_s).toArray();
        QVERIFY(!results.isEmpty());
        QVERIFY(results.first().toObject().value(u"data"_s).toObject().contains(u"application/json"_s));
        const Answer plot = expect(post(python(u"import matplotlib.pyplot as plt\nplt.plot([1, 2])\n"_s)), 200);
        QVERIFY(plot.body.contains("image/png"));
        expect(post(python(u"import os\nos.system('rm -rf ~')"_s)), 403);
        expect(post({{u"code"_s, u"CREATE TABLE t (x INTEGER)"_s}, {u"language"_s, u"sql"_s}}), 409);
        expect(post({{u"code"_s, u"print(1)"_s}}), 400);
        const QByteArray notAnObject = "\"print(1)\"";
        expect(head("POST", "/api/code") + "Content-Length: " + QByteArray::number(notAnObject.size()) + "\r\n\r\n"
                   + notAnObject,
               400);

        const QByteArray ndjson = "Accept: application/x-ndjson\r\n";
        const Answer streamed = expect(post(python(u"print('a')\n1 + 1"_s), ndjson), 200);
        QCOMPARE(streamed.contentType, QByteArray("application/x-ndjson"));
        QVERIFY(streamed.body.contains("\"type\":\"end\""));
        expect(post(python(u"import os\nos.system('rm -rf ~')"_s), ndjson), 403);

        expect(head("GET", "/api/code") + "\r\n", 200);
        const Answer description = expect(head("GET", "/api/openapi.json") + "\r\n", 200);
        QCOMPARE(QJsonDocument::fromJson(description.body).object(), m_document);

        // What the door refuses from the head alone.
        const QByteArray anonymousGet = "GET /api/code HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port)
                                        + "\r\n\r\n";
        expect(anonymousGet, 401);
        QByteArray anonymousPost = post(python(u"print(1)"_s));
        anonymousPost.replace(QByteArray("Authorization: Bearer " + m_token.toUtf8() + "\r\n"), QByteArray());
        expect(anonymousPost, 401);
        expect(QByteArray(anonymousGet).replace("/api/code", "/api/openapi.json"), 401);
        // Outside the description's operations: no path, no method.
        QCOMPARE(exchange(head("GET", "/api/nothing") + "\r\n").status, 404);
        QCOMPARE(exchange(head("PUT", "/api/code") + "Content-Length: 0\r\n\r\n").status, 405);
        expect(head("POST", "/api/code") + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 411);
        expect(head("POST", "/api/code") + "Content-Length: 999999999\r\n\r\n", 413);
        // A page whose name was rebound to 127.0.0.1 sends its own Host, on every path.
        const auto badHost = [](QByteArray request) {
            return request.replace("Host: 127.0.0.1", "Host: evil.example");
        };
        expect(badHost(head("GET", "/api/code") + "\r\n"), 421);
        expect(badHost(post(python(u"print(1)"_s))), 421);
        expect(badHost(head("GET", "/api/openapi.json") + "\r\n"), 421);
        expect(badHost(head("DELETE", "/api/sessions/s1") + "\r\n"), 421);

        // Sessions (--max-sessions 1): one kept, a second refused, a busy
        // one refused, then ended.
        QJsonObject inSession = python(u"kept = 1"_s);
        inSession.insert(u"sessionId"_s, u"s1"_s);
        const Answer kept = expect(post(inSession), 200);
        QCOMPARE(QJsonDocument::fromJson(kept.body).object().value(u"sessionId"_s).toString(), u"s1"_s);
        QJsonObject another = inSession;
        another.insert(u"sessionId"_s, u"s2"_s);
        expect(post(another), 429);
        QJsonObject badId = inSession;
        badId.insert(u"sessionId"_s, u"not an id"_s);
        expect(post(badId), 400);

        const QByteArray longRun = "print('busy', flush=True)\nimport time\ntime.sleep(60)";
        QJsonObject longInSession = python(QString::fromLatin1(longRun));
        longInSession.insert(u"sessionId"_s, u"s1"_s);
        QTcpSocket sessionRun;
        sessionRun.connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(sessionRun.waitForConnected(5000));
        sessionRun.write(post(longInSession, ndjson));
        QVERIFY(sessionRun.waitForReadyRead(30000)); // its first event: the code runs
        expect(post(inSession), 409);                // the session is busy

        // --max-runs 2: with two running, a third gets 429.
        QTcpSocket busy;
        busy.connectToHost(QHostAddress::LocalHost, m_port);
        QVERIFY(busy.waitForConnected(5000));
        busy.write(post(python(QString::fromLatin1(longRun)), ndjson));
        QVERIFY(busy.waitForReadyRead(30000));
        expect(post(python(u"print(2)"_s)), 429);
        busy.abort();

        expect(head("DELETE", "/api/sessions/s1") + "\r\n", 204); // its run is stopped too
        expect(head("DELETE", "/api/sessions/s1") + "\r\n", 404);
        expect(head("DELETE", "/api/sessions/not%20an%20id") + "\r\n", 400);
        QByteArray anonymousDelete = head("DELETE", "/api/sessions/s1") + "\r\n";
        anonymousDelete.replace(QByteArray("Authorization: Bearer " + m_token.toUtf8() + "\r\n"), QByteArray());
        expect(anonymousDelete, 401);
        sessionRun.abort();

        server.terminate();
        QVERIFY(server.waitForFinished(15000));
    }

    void theE2bServerAnswersAsDescribed()
    {
        safecell::fake::FakeE2b fake;
        QVERIFY(fake.listen());
        {
            QProcess server;
            startServe(server, u"poor"_s, fake.url(), safecell::fake::FakeE2b::defaultApiKey(), 0.000001);
            QVERIFY(m_port != 0 && !m_token.isEmpty());
            expect(post(python(u"print('x')"_s)), 402);
            expect(post(python(u"print('x')"_s), "Accept: application/x-ndjson\r\n"), 402);
            server.terminate();
            QVERIFY(QTest::qWaitFor([&] { return server.state() == QProcess::NotRunning; }, 15000));
        }
        {
            QProcess server;
            startServe(server, u"unreachable"_s, fake.url(), safecell::fake::FakeE2b::defaultApiKey(), 5.0);
            QVERIFY(m_port != 0 && !m_token.isEmpty());
            fake.refuseConnections();
            expect(post(python(u"print('x')"_s)), 503);
            server.terminate();
            QVERIFY(QTest::qWaitFor([&] { return server.state() == QProcess::NotRunning; }, 15000));
        }
    }

    void aLedgerThatCannotOpenAnswers503()
    {
        QProcess server;
        QProcessEnvironment env = faulttest::environment(m_dir.filePath(u"noledger"_s), QUrl(u"http://127.0.0.1:1"_s),
                                                         QString(), 5.0);
        env.remove(u"E2B_API_KEY"_s);
        QFile blocker(m_dir.filePath(u"noledger/not-a-folder"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        env.insert(u"SAFECELL_DATA_DIR"_s, blocker.fileName()); // the ledger's folder is a file
        const QUrl url = faulttest::startServe(server, env, {u"--max-runs"_s, u"1"_s});
        m_port = quint16(url.port());
        m_token = faulttest::token(env);
        QVERIFY(m_port != 0 && !m_token.isEmpty());
        expect(head("GET", "/api/code") + "\r\n", 503);
        server.terminate();
        QVERIFY(server.waitForFinished(15000));
    }

    // Last: nothing documented that no real answer showed.
    void everyDescribedAnswerWasSeen()
    {
        QSet<QString> unseen = m_check->documentedResponses() - m_check->seenResponses();
        QStringList list(unseen.begin(), unseen.end());
        list.sort();
        QVERIFY2(list.isEmpty(), qPrintable(u"described but never seen: "_s + list.join(u", "_s)));
    }
};

QTEST_GUILESS_MAIN(TestOpenApi)
#include "tst_openapi.moc"
