#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// `safecell serve` and `safecell token` as a script would use them, against
// the keyring fixture's real Secret Service.
class TestServe : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString binary() const { return qEnvironmentVariable("SAFECELL_BINARY"); }

    QString token()
    {
        QProcess process;
        process.start(binary(), {u"token"_s});
        if (!process.waitForFinished(30000) || process.exitCode() != 0)
            return {};
        return QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    }

    // The resident memory of a process, in KiB, from /proc.
    static qint64 residentKb(qint64 pid)
    {
        QFile status(u"/proc/%1/status"_s.arg(pid));
        if (!status.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmRSS:"))
                return line.mid(6).trimmed().split(' ').constFirst().toLongLong();
        }
        return -1;
    }

    // `safecell serve` on a free port; its port, or 0.
    static int startServe(QProcess &server)
    {
        server.start(qEnvironmentVariable("SAFECELL_BINARY"), {u"serve"_s, u"--port"_s, u"0"_s});
        if (!server.waitForReadyRead(30000))
            return 0;
        const QString banner = QString::fromUtf8(server.readLine());
        const auto match = QRegularExpression(u"http://127\\.0\\.0\\.1:(\\d+)/api/code"_s).match(banner);
        return match.hasMatch() ? match.captured(1).toInt() : 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!binary().isEmpty());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(u"config"_s).toUtf8());
    }

    void tokenIsCreatedOnceAndKept()
    {
        const QString first = token();
        QVERIFY2(first.size() >= 40, qPrintable(first));
        QCOMPARE(token(), first);
    }

    void servesTheApiWithTheToken()
    {
        QProcess server;
        server.start(binary(), {u"serve"_s, u"--port"_s, u"0"_s});
        QVERIFY(server.waitForReadyRead(30000));
        const QString banner = QString::fromUtf8(server.readLine());
        const auto match = QRegularExpression(u"http://127\\.0\\.0\\.1:(\\d+)/api/code"_s).match(banner);
        QVERIFY2(match.hasMatch(), qPrintable(banner));
        const QUrl url(u"http://127.0.0.1:%1/api/code"_s.arg(match.captured(1)));

        QNetworkAccessManager network;
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer " + token().toUtf8());
        QNetworkReply *reply = network.post(request, QJsonDocument(QJsonObject{{u"code"_s, u"print('hello')"_s},
                                                                               {u"language"_s, u"python"_s}})
                                                         .toJson());
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(30000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QCOMPARE(QJsonDocument::fromJson(reply->readAll()).object().value(u"stdout"_s).toString(), u"hello\n"_s);
        reply->deleteLater();

        QNetworkRequest anonymous(url);
        QNetworkReply *refused = network.get(anonymous);
        QSignalSpy refusedDone(refused, &QNetworkReply::finished);
        QVERIFY(refusedDone.wait(30000));
        QCOMPARE(refused->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
        refused->deleteLater();

        server.terminate();
        QVERIFY(server.waitForFinished(10000));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
    }

    void anUnauthenticatedHugeBodyCostsServeNoMemory()
    {
        QProcess server;
        const int port = startServe(server);
        QVERIFY(port > 0);
        QTest::qWait(500);
        const qint64 before = residentKb(server.processId());
        QVERIFY(before > 0);

        // 1.5 GB announced without a token; the client then pushes body
        // bytes as fast as serve takes them, for up to 3 s or 400 MB.
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(port));
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST /api/code HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
                     + "\r\nContent-Type: application/json\r\nContent-Length: 1500000000\r\n\r\n");
        const QByteArray chunk(1 << 20, 'x');
        QByteArray answer;
        qint64 sent = 0;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 3000 && sent < (qint64(400) << 20)
               && socket.state() == QAbstractSocket::ConnectedState) {
            if (socket.bytesToWrite() < (4 << 20))
                sent += socket.write(chunk);
            socket.waitForBytesWritten(50);
            answer += socket.readAll();
        }
        socket.waitForReadyRead(1000);
        answer += socket.readAll();
        const qint64 after = residentKb(server.processId());
        qInfo("serve RSS %lld KiB before, %lld KiB after %lld MB of an unauthenticated body", before, after,
              sent >> 20);
        QVERIFY2(answer.startsWith("HTTP/1.1 401"), answer.left(200).constData());
        QVERIFY2(after - before < 32 * 1024, qPrintable(QString::number(after - before)));

        server.terminate();
        QVERIFY(server.waitForFinished(10000));
    }

    void refusesANonLoopbackAddress()
    {
        QProcess server;
        server.start(binary(), {u"serve"_s, u"--address"_s, u"0.0.0.0"_s, u"--port"_s, u"0"_s});
        QVERIFY(server.waitForFinished(30000));
        QCOMPARE(server.exitCode(), 2);
        QVERIFY(QString::fromUtf8(server.readAllStandardError()).contains(u"loopback"_s));
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
