// E2B over HTTPS with a certificate nobody trusts: the run fails with a
// message that names the certificate problem, and the key never crosses.
#include "sandbox/e2b/E2bSandbox.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpSocket>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestE2bTls : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void selfSignedCertificateIsRefused()
    {
        // The throwaway certificate of tests/data/cohere (CN 127.0.0.1).
        const QString data = qEnvironmentVariable("SAFECELL_TEST_DATA") + u"/cohere/"_s;
        QFile certFile(data + u"selfsigned.crt"_s);
        QFile keyFile(data + u"selfsigned.key"_s);
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(QSslCertificate(certFile.readAll()));
        tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
        QSslServer server;
        server.setSslConfiguration(tls);
        QByteArray received;
        int handshakes = 0;
        connect(&server, &QSslServer::startedEncryptionHandshake, this, [&handshakes] { ++handshakes; });
        connect(&server, &QSslServer::pendingConnectionAvailable, this, [&server, &received] {
            while (QTcpSocket *s = server.nextPendingConnection())
                connect(s, &QTcpSocket::readyRead, &server, [s, &received] { received += s->readAll(); });
        });
        QVERIFY(server.listen(QHostAddress::LocalHost));

        QNetworkAccessManager network;
        E2bConfig config;
        config.apiKey = u"e2b_tls_test_key_0123456789abcdef"_s;
        config.apiUrl = QUrl(u"https://127.0.0.1:%1"_s.arg(server.serverPort()));
        config.sandboxUrl = config.apiUrl;
        config.requestTimeoutMs = 10000;
        E2bSandbox sandbox(&network, config);
        QSignalSpy finished(&sandbox, &Sandbox::finished);
        sandbox.execute({u"print('x')"_s, Language::Python, 5000, false});
        QVERIFY(finished.wait(20000));
        const auto outcome = finished.first().first().value<ExecutionOutcome>();
        QCOMPARE(outcome.status, ExecutionStatus::SandboxFailed);
        QVERIFY2(outcome.message.contains(u"certificate"_s, Qt::CaseInsensitive)
                     && (outcome.message.contains(u"self signed"_s, Qt::CaseInsensitive)
                         || outcome.message.contains(u"self-signed"_s, Qt::CaseInsensitive)),
                 qPrintable(outcome.message));
        QVERIFY2(outcome.message.startsWith(u"E2B: refused the TLS certificate of 127.0.0.1"_s),
                 qPrintable(outcome.message));
        QVERIFY(handshakes >= 1); // it did try TLS, and gave up on the certificate
        QVERIFY(!received.contains(config.apiKey.toUtf8()));
        QVERIFY(!outcome.message.contains(config.apiKey));
    }
};

QTEST_GUILESS_MAIN(TestE2bTls)
#include "tst_e2btls.moc"
