// The team server URL (issue 21): what it accepts, what it refuses and
// says why, the TLS default, and that a description never holds the password;
// the budget policy that the team server in the settings makes.
#include "budget/BudgetPolicy.h"
#include "budget/TeamServer.h"
#include "pipeline/RunWorkerConfig.h"
#include "settings/Settings.h"

#include <QTemporaryDir>
#include <QTest>

using namespace safecell;

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

    void anInvalidUrlsErrorNeverQuotesIt()
    {
        const auto server = TeamServer::fromUrl(QStringLiteral("postgresql://carol:s3cr%t@db/team"));
        QVERIFY(!server);
        QVERIFY2(!server.error().contains(QStringLiteral("s3cr")), qPrintable(server.error()));
        QVERIFY(server.error().contains(QStringLiteral("percent-encoded")));
    }

    void anInvalidUrlsErrorDoesNotEchoThePassword()
    {
        const auto server = TeamServer::fromUrl(QStringLiteral("postgresql://carol:pa ss%zz@db/t"));
        QVERIFY(!server);
        QVERIFY2(!server.error().contains(QStringLiteral("pa ss")), qPrintable(server.error()));
    }

    // Issue 21: the team server from the settings (else $SAFECELL_TEAM_URL)
    // takes the org and user scopes off the local ledger; the keychain's
    // password reaches runs; a URL that cannot be used fails closed.
    void policyFromSettingsTakesTheTeamServer()
    {
        QTemporaryDir dir;
        Settings settings(dir.filePath(QStringLiteral("s.ini")));
        settings.setValue(Setting::BudgetSessionLimitUsd, QStringLiteral("2"));
        BudgetPolicy alone = BudgetPolicy::fromSettings(settings);
        QVERIFY(!alone.hasTeam());
        QVERIFY(alone.localPart().limit(ScopeLevel::Org)); // $5 by default, checked locally

        settings.setValue(Setting::TeamServerUrl, QStringLiteral("postgresql://alice@db.example.com/safecell"));
        const BudgetPolicy team = BudgetPolicy::fromSettings(settings);
        QVERIFY(team.team);
        QCOMPARE(team.team->host, QStringLiteral("db.example.com"));
        QCOMPARE(team.team->tlsMode, QStringLiteral("verify-full"));
        QVERIFY(!team.localPart().limit(ScopeLevel::Org));
        QVERIFY(!team.localPart().limit(ScopeLevel::User));
        QCOMPARE(team.localPart().limit(ScopeLevel::Session), Money::fromUsd(2.0));

        RunKeys keys;
        keys.team.value = QStringLiteral("from-the-keychain");
        QCOMPARE(RunWorkerConfig::fromSettings(settings, keys).budgetPolicy.team->password,
                 QStringLiteral("from-the-keychain"));

        settings.setValue(Setting::TeamServerUrl, QStringLiteral("http://db.example.com/safecell"));
        const BudgetPolicy broken = BudgetPolicy::fromSettings(settings);
        QVERIFY(!broken.team);
        QVERIFY(broken.hasTeam());
        QVERIFY2(broken.teamProblem.contains(QStringLiteral("postgresql://")), qPrintable(broken.teamProblem));

        settings.setValue(Setting::TeamServerUrl, QString());
        qputenv("SAFECELL_TEAM_URL", "postgresql://bob@/safecell?host=/run/postgresql");
        const BudgetPolicy fromEnv = BudgetPolicy::fromSettings(settings);
        qunsetenv("SAFECELL_TEAM_URL");
        QVERIFY(fromEnv.team);
        QCOMPARE(fromEnv.team->user, QStringLiteral("bob"));
        QCOMPARE(fromEnv.team->tlsMode, QStringLiteral("prefer")); // a local socket: TLS protects nothing there
    }
};

QTEST_GUILESS_MAIN(TestTeamServer)
#include "tst_teamserver.moc"
