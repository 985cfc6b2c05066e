#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
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
        QNetworkReply *reply = network.post(request, QJsonDocument(QJsonObject{{u"code"_s, u"print('hello')"_s}, {u"language"_s, u"python"_s}}).toJson());
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
