// Issue 22 item 3: `POST /api/code` with `Accept: application/x-ndjson`
// streams a run's events as they happen, so a client sees the output of a
// long run before it ends; the last line is the whole JSON answer.
#include "api/ApiServer.h"

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

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Collects a streamed answer's lines as they arrive.
struct StreamReader {
    explicit StreamReader(QNetworkReply *r)
        : reply(r)
    {
        QObject::connect(reply, &QNetworkReply::readyRead, reply, [this] { read(); });
    }
    void read()
    {
        buffer += reply->readAll();
        for (qsizetype end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
            events << QJsonDocument::fromJson(buffer.left(end)).object();
            lines << buffer.left(end);
            buffer.remove(0, end + 1);
        }
    }
    // The event types in order, consecutive stdout (or stderr) chunks as
    // one: a chunk is what one read of a pipe gave, not a line.
    QStringList types() const
    {
        QStringList list;
        for (const QJsonObject &event : events) {
            const QString type = event.value(u"type"_s).toString();
            if (list.isEmpty() || list.last() != type || (type != u"stdout"_s && type != u"stderr"_s))
                list << type;
        }
        return list;
    }
    QString text(const QString &type) const
    {
        QString joined;
        for (const QJsonObject &event : events) {
            if (event.value(u"type"_s).toString() == type)
                joined += event.value(u"text"_s).toString();
        }
        return joined;
    }
    const QJsonObject *last(const QString &type) const
    {
        for (qsizetype i = events.size() - 1; i >= 0; --i) {
            if (events.at(i).value(u"type"_s).toString() == type)
                return &events.at(i);
        }
        return nullptr;
    }
    QNetworkReply *reply;
    QByteArray buffer;
    QList<QJsonObject> events;
    QList<QByteArray> lines;
};

} // namespace

class TestApiStream : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<ApiServer> m_server;
    QNetworkAccessManager m_network;
    quint16 m_port = 0;

    QNetworkReply *postStreamed(const QByteArray &body, const QByteArray &accept = "application/x-ndjson")
    {
        QNetworkRequest r(QUrl(u"http://127.0.0.1:%1/api/code"_s.arg(m_port)));
        r.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        r.setRawHeader("Authorization", "Bearer " + kToken.toUtf8());
        r.setRawHeader("Accept", accept);
        r.setTransferTimeout(60000);
        return m_network.post(r, body);
    }

    static bool waitFinished(QNetworkReply *reply)
    {
        return reply->isFinished() || QSignalSpy(reply, &QNetworkReply::finished).wait(60000);
    }

private Q_SLOTS:
    void init()
    {
        ApiServerConfig config;
        config.token = kToken;
        m_server = std::make_unique<ApiServer>(config);
        const auto port = m_server->listenLocal(QHostAddress::LocalHost, 0);
        QVERIFY2(port, qPrintable(port ? QString() : port.error()));
        m_port = *port;
    }
    void cleanup() { m_server.reset(); }

    void outputArrivesBeforeTheRunEnds()
    {
        // The run prints, then waits far longer than the test does: its
        // first line can only be seen while it still runs.
        QNetworkReply *reply = postStreamed(
            json({{u"code"_s, u"print('started', flush=True)\nimport time\ntime.sleep(60)"_s},
                  {u"language"_s, u"python"_s}}));
        StreamReader stream(reply);
        QTRY_COMPARE_WITH_TIMEOUT(stream.text(u"stdout"_s), u"started\n"_s, 30000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(), u"application/x-ndjson"_s);
        QCOMPARE(stream.types(), QStringList{u"stdout"_s});
        QVERIFY(!reply->isFinished());
        QCOMPARE(m_server->runsInFlight(), 1);
        reply->abort(); // the client leaves: its run is stopped
        reply->deleteLater();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->runsInFlight(), 0, 10000);
    }

    void eventsComeInOrderAndEndWithTheWholeAnswer()
    {
        QNetworkReply *reply = postStreamed(
            json({{u"code"_s, u"import sys\nprint('out')\nprint('warn', file=sys.stderr)\n6 * 7"_s},
                  {u"language"_s, u"python"_s}}));
        StreamReader stream(reply);
        QVERIFY(waitFinished(reply));
        stream.read();
        reply->deleteLater();
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QVERIFY2(stream.buffer.isEmpty(), stream.buffer.constData()); // every line ends with a newline
        QCOMPARE(stream.types(), (QStringList{u"stdout"_s, u"stderr"_s, u"result"_s, u"end"_s}));
        QCOMPARE(stream.text(u"stdout"_s), u"out\n"_s);
        QCOMPARE(stream.text(u"stderr"_s), u"warn\n"_s);
        const QJsonObject result = *stream.last(u"result"_s);
        QVERIFY(result.value(u"isMainResult"_s).toBool());
        QCOMPARE(result.value(u"data"_s).toObject().value(u"text/plain"_s).toString(), u"42"_s);
        const QJsonObject end = stream.events.last();
        QCOMPARE(end.value(u"status"_s).toInt(), 200);
        const QJsonObject response = end.value(u"response"_s).toObject();
        QCOMPARE(response.value(u"stdout"_s).toString(), u"out\n"_s);
        QCOMPARE(response.value(u"stderr"_s).toString(), u"warn\n"_s);
        QCOMPARE(response.value(u"result"_s).toString(), u"42"_s);
        QCOMPARE(response.value(u"outcome"_s).toString(), u"ok"_s);
        QCOMPARE(response.value(u"results"_s).toArray().size(), 1);
    }

    void aRefusedRunAnswersItsStatusWithOneEndLine()
    {
        QNetworkReply *reply = postStreamed(
            json({{u"code"_s, u"import os\nos.system('rm -rf ~')"_s}, {u"language"_s, u"python"_s}}));
        StreamReader stream(reply);
        QVERIFY(waitFinished(reply));
        stream.read();
        reply->deleteLater();
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 403);
        QCOMPARE(stream.types(), QStringList{u"end"_s});
        QCOMPARE(stream.events.first().value(u"status"_s).toInt(), 403);
        const QJsonObject response = stream.events.first().value(u"response"_s).toObject();
        QCOMPARE(response.value(u"outcome"_s).toString(), u"blocked"_s);
        QVERIFY(!response.value(u"findings"_s).toArray().isEmpty());
    }

    // A client that asks for a stream and never reads cannot make the
    // server hold its run's output without bound: past the backlog limit
    // the run is stopped and the connection dropped.
    void aClientThatDoesNotReadLosesItsRun()
    {
        m_server.reset();
        ApiServerConfig config;
        config.token = kToken;
        config.maxStreamBacklogBytes = 64 << 10;
        m_server = std::make_unique<ApiServer>(config);
        const auto port = m_server->listenLocal(QHostAddress::LocalHost, 0);
        QVERIFY(port);
        const QByteArray body = json(
            {{u"code"_s, u"import time\nfor i in range(40):\n    print('x' * 100000, flush=True)\n"
                         "    time.sleep(0.05)\ntime.sleep(60)"_s},
             {u"language"_s, u"python"_s},
             {u"maxExecutionTimeMs"_s, 120000}}); // only the backlog can stop it within the test
        QTcpSocket client;
        client.setReadBufferSize(1); // it reads (almost) nothing
        client.connectToHost(QHostAddress::LocalHost, *port);
        QVERIFY(client.waitForConnected(5000));
        client.write("POST /api/code HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(*port)
                     + "\r\nAuthorization: Bearer " + kToken.toUtf8()
                     + "\r\nAccept: application/x-ndjson\r\nContent-Type: application/json\r\nContent-Length: "
                     + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        QTRY_COMPARE_WITH_TIMEOUT(m_server->runsInFlight(), 1, 10000);
        // Stopped long before its 60 s sleep ends, with its client gone.
        QTRY_COMPARE_WITH_TIMEOUT(m_server->runsInFlight(), 0, 20000);
        // The client reads at last: it gets the end of the connection after
        // a bounded part of the 4 MB the run printed. (While it did not read,
        // its full buffer hid the end from it on a loaded machine.)
        client.setReadBufferSize(0);
        qint64 received = 0;
        QTRY_VERIFY_WITH_TIMEOUT((received += client.readAll().size(),
                                  client.state() == QAbstractSocket::UnconnectedState),
                                 10000);
        QVERIFY2(received < 2'000'000, qPrintable(QString::number(received)));
    }

    void withoutTheAcceptHeaderTheAnswerIsOneJsonBody()
    {
        QNetworkReply *reply = postStreamed(json({{u"code"_s, u"print('once')"_s}, {u"language"_s, u"python"_s}}),
                                            "*/*");
        QVERIFY(waitFinished(reply));
        reply->deleteLater();
        QCOMPARE(reply->header(QNetworkRequest::ContentTypeHeader).toString(), u"application/json"_s);
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(body.value(u"stdout"_s).toString(), u"once\n"_s);
    }
};

QTEST_GUILESS_MAIN(TestApiStream)
#include "tst_apistream.moc"
