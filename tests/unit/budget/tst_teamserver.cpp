// The team server URL (issue 21): what it accepts, what it refuses and
// says why, the TLS default, and that a description never holds the password.
#include "budget/TeamServer.h"

#include <QTest>

using safecell::TeamServer;

class TestTeamServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesAFullUrl()
    {
        const auto server = TeamServer::fromUrl(QStringLiteral("postgresql://alice:s3cret@db.example.com:6543/team"));
        QVERIFY2(server, server ? "" : qPrintable(server.error()));
        QCOMPARE(server->host, QStringLiteral("db.example.com"));
        QCOMPARE(server->port, 6543);
        QCOMPARE(server->user, QStringLiteral("alice"));
        QCOMPARE(server->password, QStringLiteral("s3cret"));
        QCOMPARE(server->database, QStringLiteral("team"));
        QCOMPARE(server->tlsMode, QStringLiteral("verify-full"));
        QVERIFY(!server->isLocal());
    }

    void describeNeverShowsThePassword()
    {
        const auto server = TeamServer::fromUrl(QStringLiteral("postgres://bob:hunter2@10.0.0.5/ledger"));
        QVERIFY(server);
        const QString text = server->describe();
        QVERIFY2(!text.contains(QStringLiteral("hunter2")), qPrintable(text));
        QCOMPARE(text, QStringLiteral("bob@10.0.0.5:5432/ledger, TLS verify-full"));
    }

    void tlsDefaultsToVerifyFullExceptOnThisMachine_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("mode");
        QTest::newRow("remote name") << "postgresql://db.example.com/t"
                                     << "verify-full";
        QTest::newRow("remote address") << "postgresql://192.168.1.20/t"
                                        << "verify-full";
        QTest::newRow("127.0.0.1") << "postgresql://127.0.0.1/t"
                                   << "prefer";
        QTest::newRow("127.1.2.3") << "postgresql://127.1.2.3/t"
                                   << "prefer";
        QTest::newRow("localhost") << "postgresql://localhost/t"
                                   << "prefer";
        QTest::newRow("::1") << "postgresql://[::1]/t"
                             << "prefer";
        QTest::newRow("socket folder") << "postgresql:///t?host=/run/postgresql"
                                       << "prefer";
        QTest::newRow("default socket") << "postgresql:///t"
                                        << "prefer";
        QTest::newRow("not loopback: 1270.0.0.1") << "postgresql://1270.0.0.1/t"
                                                  << "verify-full";
        QTest::newRow("explicit wins") << "postgresql://db.example.com/t?sslmode=require"
                                       << "require";
    }
    void tlsDefaultsToVerifyFullExceptOnThisMachine()
    {
        QFETCH(QString, url);
        QFETCH(QString, mode);
        const auto server = TeamServer::fromUrl(url);
        QVERIFY2(server, server ? "" : qPrintable(server.error()));
        QCOMPARE(server->tlsMode, mode);
    }

    void socketFolderFromTheQuery()
    {
        const auto server = TeamServer::fromUrl(QStringLiteral("postgresql:///safecell?host=/tmp/pg%20sock&port=5433"));
        QVERIFY(server);
        QCOMPARE(server->host, QStringLiteral("/tmp/pg sock"));
        QCOMPARE(server->port, 5433);
        QVERIFY(server->isLocal());
        QCOMPARE(server->describe(), QStringLiteral("socket /tmp/pg sock/safecell, TLS prefer"));
    }

    void refusesWhatItCannotUse_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("named");
        QTest::newRow("scheme") << "mysql://db/t"
                                << "postgresql://";
        QTest::newRow("no database") << "postgresql://db.example.com"
                                     << "no database";
        QTest::newRow("two path parts") << "postgresql://db/a/b"
                                        << "one database";
        QTest::newRow("bad sslmode") << "postgresql://db/t?sslmode=maybe"
                                     << "sslmode";
        QTest::newRow("bad port") << "postgresql://db/t?port=70000"
                                  << "port";
        QTest::newRow("unknown setting") << "postgresql://db/t?sslcert=x"
                                         << "sslcert";
    }
    void refusesWhatItCannotUse()
    {
        QFETCH(QString, url);
        QFETCH(QString, named);
        const auto server = TeamServer::fromUrl(url);
        QVERIFY(!server);
        QVERIFY2(server.error().contains(named), qPrintable(server.error()));
    }

    void anInvalidUrlsErrorDoesNotEchoThePassword()
    {
        const auto server = TeamServer::fromUrl(QStringLiteral("postgresql://carol:pa ss%zz@db/t"));
        QVERIFY(!server);
        QVERIFY2(!server.error().contains(QStringLiteral("pa ss")), qPrintable(server.error()));
    }
};

QTEST_GUILESS_MAIN(TestTeamServer)
#include "tst_teamserver.moc"
