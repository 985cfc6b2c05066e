// What the API's gate decides from a request's head alone (the socket
// side, answering before a body is sent, is in tst_apiserver and tst_serve).
#include "api/RequestGate.h"

#include <QTest>

using namespace safecell::api;
using namespace Qt::StringLiterals;

namespace {

const GateRules kRules{"token-0123456789abcdef",
                       1 << 20,
                       {{"/api/code", false, {"GET", "POST"}}, {"/api/sessions/", true, {"DELETE"}}}};
constexpr quint16 kPort = 8765;

QByteArray head(const QByteArray &requestLine, const QByteArray &fields)
{
    return requestLine + "\r\n" + fields + "\r\n";
}

const QByteArray kGood = "Host: 127.0.0.1:8765\r\nAuthorization: Bearer token-0123456789abcdef\r\n";

} // namespace

class TestRequestGate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void decidesFromTheHead_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("status");
        QTest::newRow("good GET") << head("GET /api/code HTTP/1.1", kGood) << 0;
        QTest::newRow("good POST") << head("POST /api/code HTTP/1.1", kGood + "Content-Length: 1048576\r\n") << 0;
        QTest::newRow("query string") << head("GET /api/code?x=1 HTTP/1.1", kGood) << 0;
        QTest::newRow("bare LF") << QByteArray("GET /api/code HTTP/1.1\nHost: localhost:8765\n"
                                               "Authorization: Bearer token-0123456789abcdef\n\n")
                                 << 0;
        QTest::newRow("no token") << head("POST /api/code HTTP/1.1",
                                          "Host: 127.0.0.1:8765\r\nContent-Length: 1500000000\r\n")
                                  << 401;
        QTest::newRow("wrong token") << head("GET /api/code HTTP/1.1",
                                             "Host: [::1]:8765\r\nAuthorization: Bearer token-0123456789abcdeX\r\n")
                                     << 401;
        QTest::newRow("two tokens") << head("GET /api/code HTTP/1.1", kGood + "Authorization: Bearer x\r\n") << 401;
        QTest::newRow("rebound name")
            << head("GET /api/code HTTP/1.1",
                    "Host: attacker.example:8765\r\nAuthorization: Bearer token-0123456789abcdef\r\n")
            << 421;
        QTest::newRow("two hosts") << head("GET /api/code HTTP/1.1", kGood + "Host: attacker.example:8765\r\n") << 421;
        QTest::newRow("no host") << head("GET /api/code HTTP/1.1", "Authorization: Bearer token-0123456789abcdef\r\n")
                                 << 421;
        QTest::newRow("other path") << head("GET /elsewhere HTTP/1.1", kGood) << 404;
        QTest::newRow("PUT") << head("PUT /api/code HTTP/1.1", kGood) << 405;
        QTest::newRow("too long") << head("POST /api/code HTTP/1.1", kGood + "Content-Length: 1048577\r\n") << 413;
        QTest::newRow("chunked") << head("POST /api/code HTTP/1.1", kGood + "Transfer-Encoding: chunked\r\n") << 411;
        QTest::newRow("two lengths") << head("POST /api/code HTTP/1.1",
                                             kGood + "Content-Length: 1\r\nContent-Length: 2\r\n")
                                     << 400;
        QTest::newRow("negative length") << head("POST /api/code HTTP/1.1", kGood + "Content-Length: -1\r\n") << 400;
        QTest::newRow("not HTTP") << QByteArray("hello\r\n\r\n") << 400;
        // The sessions route: one id after its prefix, DELETE only.
        QTest::newRow("DELETE a session") << head("DELETE /api/sessions/abc-1.x HTTP/1.1", kGood) << 0;
        QTest::newRow("GET a session") << head("GET /api/sessions/abc HTTP/1.1", kGood) << 405;
        QTest::newRow("DELETE the code") << head("DELETE /api/code HTTP/1.1", kGood) << 405;
        QTest::newRow("no id") << head("DELETE /api/sessions/ HTTP/1.1", kGood) << 404;
        QTest::newRow("sessions list") << head("DELETE /api/sessions HTTP/1.1", kGood) << 404;
        QTest::newRow("deeper path") << head("DELETE /api/sessions/a/b HTTP/1.1", kGood) << 404;
        QTest::newRow("session, no token")
            << head("DELETE /api/sessions/abc HTTP/1.1", "Host: 127.0.0.1:8765\r\nContent-Length: 1500000000\r\n")
            << 401;
        QTest::newRow("session, huge body")
            << head("DELETE /api/sessions/abc HTTP/1.1", kGood + "Content-Length: 1500000000\r\n") << 413;
    }

    void decidesFromTheHead()
    {
        QFETCH(QByteArray, head);
        QFETCH(int, status);
        const GateVerdict verdict = judgeRequestHead(head, kRules, kPort);
        QVERIFY2(verdict.status == status, qPrintable(u"%1: %2"_s.arg(verdict.status).arg(verdict.message)));
    }

    void bearerSchemeInAnyCase_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("Bearer") << QByteArray("Bearer token-0123456789abcdef") << true;
        QTest::newRow("lower case") << QByteArray("bearer token-0123456789abcdef") << true;
        QTest::newRow("upper case") << QByteArray("BEARER token-0123456789abcdef") << true;
        QTest::newRow("mixed case") << QByteArray("bEaReR token-0123456789abcdef") << true;
        QTest::newRow("several spaces") << QByteArray("bearer   token-0123456789abcdef") << true;
        QTest::newRow("wrong token, lower-case scheme") << QByteArray("bearer token-0123456789abcdeX") << false;
        QTest::newRow("token in other case") << QByteArray("Bearer TOKEN-0123456789ABCDEF") << false;
        QTest::newRow("no space") << QByteArray("Bearertoken-0123456789abcdef") << false;
        QTest::newRow("other scheme") << QByteArray("Basic token-0123456789abcdef") << false;
        QTest::newRow("scheme only") << QByteArray("bearer") << false;
        QTest::newRow("token only") << QByteArray("token-0123456789abcdef") << false;
        QTest::newRow("token prefix") << QByteArray("bearer token-0123456789abcde") << false;
    }

    void bearerSchemeInAnyCase()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(bool, accepted);
        QCOMPARE(tokenMatches(authorization, kRules.token), accepted);
        const GateVerdict verdict = judgeRequestHead(head("GET /api/code HTTP/1.1",
                                                          "Host: 127.0.0.1:8765\r\nAuthorization: " + authorization
                                                              + "\r\n"),
                                                     kRules, kPort);
        QCOMPARE(verdict.status, accepted ? 0 : 401);
    }

    void refusalsSayWhatToDo()
    {
        const GateVerdict unauthorised = judgeRequestHead(head("GET /api/code HTTP/1.1", "Host: localhost:8765\r\n"),
                                                          kRules, kPort);
        QVERIFY(unauthorised.message.contains(u"safecell token"_s));
        QCOMPARE(unauthorised.headers.value(0).first, QByteArray("WWW-Authenticate"));
        const GateVerdict large = judgeRequestHead(head("POST /api/code HTTP/1.1",
                                                        kGood + "Content-Length: 1500000000\r\n"),
                                                   kRules, kPort);
        QCOMPARE(large.message, u"body: must be at most 1048576 bytes (got 1500000000)"_s);
        const GateVerdict get = judgeRequestHead(head("GET /api/sessions/abc HTTP/1.1", kGood), kRules, kPort);
        QCOMPARE(get.headers.value(0), (QPair<QByteArray, QByteArray>("Allow", "DELETE")));
        QCOMPARE(get.message, u"method not allowed: use DELETE"_s);
        const GateVerdict elsewhere = judgeRequestHead(head("GET /elsewhere HTTP/1.1", kGood), kRules, kPort);
        QCOMPARE(elsewhere.message, u"not found: the API is at /api/code and /api/sessions/{id}"_s);
    }

    void loopbackNamesOnly()
    {
        QVERIFY(isLoopbackHost("LocalHost:8765", kPort));
        QVERIFY(isLoopbackHost("[::1]:8765", kPort));
        QVERIFY(!isLoopbackHost("127.0.0.1", kPort));
        QVERIFY(!isLoopbackHost("127.0.0.2:8765", kPort));
        QVERIFY(!isLoopbackHost("localhost.:8765", kPort));
        QVERIFY(!isLoopbackHost("127.0.0.1:87650", kPort));
    }
};

QTEST_GUILESS_MAIN(TestRequestGate)
#include "tst_requestgate.moc"
