// `safecell team ...` against a real PostgreSQL 15 (issue 21): set-up
// without a manual, limits only for the admin, the figures as text, JSON
// and CSV, and exit codes a script can act on.
#include "PostgresServer.h"

#include "budget/TeamLedger.h"
#include "budget/TeamSchema.h"
#include "integration/CliProcess.h"
#include "secrets/KeyStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace safecell;
using safecell::test::PostgresServer;

class TestTeamCli : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<PostgresServer> m_server;

    QString url(const QString &user) const
    {
        return QStringLiteral("postgresql://%1@/team?host=%2&port=%3")
            .arg(user, m_server->socketDir())
            .arg(m_server->port());
    }
    CliResult team(const QString &user, const QStringList &arguments)
    {
        QStringList all{QStringLiteral("team")};
        all << arguments << QStringLiteral("--url") << url(user);
        return runCli(all);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!PostgresServer::binDir().isEmpty(), "postgresql-15 is not installed; run scripts/setup");
        auto server = PostgresServer::start();
        QVERIFY2(server, server ? "" : qPrintable(server.error()));
        m_server = std::move(server).value();
        const auto made = m_server->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE team"),
                                                                      QStringLiteral("CREATE ROLE alice LOGIN"),
                                                                      QStringLiteral("CREATE ROLE boss LOGIN")});
        QVERIFY2(made, made ? "" : qPrintable(made.error()));
    }

    void initCreatesThenFindsNothingToDo()
    {
        const CliResult first = team(QStringLiteral("postgres"), {QStringLiteral("init")});
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QVERIFY2(first.out.contains(QStringLiteral("schema version %1 (was 0)").arg(latestTeamSchemaVersion())),
                 qPrintable(first.out));
        const CliResult second = team(QStringLiteral("postgres"), {QStringLiteral("init")});
        QCOMPARE(second.exitCode, 0);
        QVERIFY2(second.out.contains(QStringLiteral("up to date")), qPrintable(second.out));
        QCOMPARE(team(QStringLiteral("postgres"), {QStringLiteral("grant"), QStringLiteral("alice")}).exitCode, 0);
        const CliResult admin = team(QStringLiteral("postgres"),
                                     {QStringLiteral("grant"), QStringLiteral("boss"), QStringLiteral("--admin")});
        QCOMPARE(admin.exitCode, 0);
        QVERIFY(admin.out.contains(QStringLiteral("boss is now a team admin")));
    }

    // The audit log is off until the admin turns it on; an analyst cannot.
    void onlyTheAdminSwitchesTheAuditLog()
    {
        const CliResult off = team(QStringLiteral("alice"), {QStringLiteral("audit")});
        QVERIFY2(off.exitCode == 0, qPrintable(off.err));
        QVERIFY2(off.out.contains(QStringLiteral("audit log is off")), qPrintable(off.out));
        const CliResult refused = team(QStringLiteral("alice"), {QStringLiteral("audit"), QStringLiteral("on")});
        QCOMPARE(refused.exitCode, 3);
        const CliResult on = team(QStringLiteral("boss"), {QStringLiteral("audit"), QStringLiteral("on")});
        QVERIFY2(on.exitCode == 0, qPrintable(on.err));
        QVERIFY2(on.out.contains(QStringLiteral("audit log is on")), qPrintable(on.out));
        QCOMPARE(team(QStringLiteral("boss"), {QStringLiteral("audit"), QStringLiteral("maybe")}).exitCode, 2);
        QCOMPARE(team(QStringLiteral("boss"), {QStringLiteral("audit"), QStringLiteral("off")}).exitCode, 0);
        QVERIFY(team(QStringLiteral("alice"), {QStringLiteral("audit")}).out.contains(QStringLiteral("is off")));
    }

    // The password Settings > Team keeps in the keychain logs the CLI in
    // too, over TCP with SCRAM; without it the server refuses.
    void theKeychainsPasswordLogsIn()
    {
        QVERIFY(m_server->exec(QStringLiteral("postgres"),
                               {QStringLiteral("CREATE ROLE carol LOGIN PASSWORD 'carol-pw'")}));
        QCOMPARE(team(QStringLiteral("postgres"), {QStringLiteral("grant"), QStringLiteral("carol")}).exitCode, 0);
        const QStringList tcp{QStringLiteral("team"), QStringLiteral("status"), QStringLiteral("--url"),
                              QStringLiteral("postgresql://carol@127.0.0.1:%1/team?sslmode=disable")
                                  .arg(m_server->port())};
        const QStringList noPgPassword{QStringLiteral("PGPASSWORD="), QStringLiteral("PGPASSFILE=/nonexistent")};
        KeyStore keys;
        const auto store = [&keys](const QString &secret) {
            bool ok = false, done = false;
            const auto finished = [&](KeyStatus status) {
                ok = status.hasValue();
                done = true;
            };
            if (secret.isEmpty())
                keys.remove(KeyId::TeamPassword, &keys, finished);
            else
                keys.write(KeyId::TeamPassword, secret, &keys, finished);
            return QTest::qWaitFor([&] { return done; }, 20'000) && ok;
        };
        QVERIFY(store(QStringLiteral("carol-pw")));
        const CliResult in = runCli(tcp, noPgPassword);
        QVERIFY2(in.exitCode == 0, qPrintable(in.err));
        QVERIFY2(in.out.contains(QStringLiteral("carol")), qPrintable(in.out));
        QVERIFY2(!in.err.contains(QStringLiteral("carol-pw")) && !in.out.contains(QStringLiteral("carol-pw")),
                 "the password is never printed");
        QVERIFY(store(QString()));
        const CliResult out = runCli(tcp, noPgPassword);
        QVERIFY2(out.exitCode != 0, qPrintable(out.out));
        QVERIFY2(out.err.contains(QStringLiteral("password")), qPrintable(out.err));
    }

    void onlyTheAdminSetsLimits()
    {
        const CliResult set = team(QStringLiteral("boss"),
                                   {QStringLiteral("set-limit"), QStringLiteral("--org"), QStringLiteral("50"),
                                    QStringLiteral("--user"), QStringLiteral("alice"), QStringLiteral("10")});
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        QVERIFY2(set.out.contains(QStringLiteral("$50.00"))
                     && set.out.contains(QStringLiteral("alice's monthly limit is $10.00")),
                 qPrintable(set.out));
        const CliResult refused = team(QStringLiteral("alice"),
                                       {QStringLiteral("set-limit"), QStringLiteral("--org"), QStringLiteral("none")});
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains(QStringLiteral("permission denied")), qPrintable(refused.err));

        const CliResult status = team(QStringLiteral("alice"), {QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(status.exitCode == 0, qPrintable(status.err));
        const QJsonArray scopes = QJsonDocument::fromJson(status.out.toUtf8()).object().value(u"scopes").toArray();
        QCOMPARE(scopes.size(), 2);
        QCOMPARE(scopes[0].toObject().value(u"limitUsd").toDouble(), 50.0);
        QCOMPARE(scopes[1].toObject().value(u"key").toString(), QStringLiteral("alice"));
        QCOMPARE(scopes[1].toObject().value(u"limitUsd").toDouble(), 10.0);
    }

    // The thresholds are the admin's, set in percent, kept where they are
    // not named, and refused out of order; every analyst reads them.
    void onlyTheAdminSetsTheThresholds()
    {
        const CliResult set = team(QStringLiteral("boss"),
                                   {QStringLiteral("set-limit"), QStringLiteral("--warn"), QStringLiteral("50"),
                                    QStringLiteral("--degrade"), QStringLiteral("60"), QStringLiteral("--stop"),
                                    QStringLiteral("80")});
        QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        const CliResult one = team(QStringLiteral("boss"),
                                   {QStringLiteral("set-limit"), QStringLiteral("--degrade"), QStringLiteral("70")});
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
        QVERIFY2(one.out.contains(QStringLiteral("warns at 50% of a team limit, degrades at 70% and stops at 80%")),
                 qPrintable(one.out));
        const CliResult unordered = team(QStringLiteral("boss"), {QStringLiteral("set-limit"),
                                                                  QStringLiteral("--degrade"), QStringLiteral("40")});
        QCOMPARE(unordered.exitCode, 2);
        QVERIFY2(unordered.err.contains(QStringLiteral("warn 50% <= degrade 40%")), qPrintable(unordered.err));
        const CliResult refused = team(QStringLiteral("alice"),
                                       {QStringLiteral("set-limit"), QStringLiteral("--stop"), QStringLiteral("500")});
        QCOMPARE(refused.exitCode, 3);

        const CliResult status = team(QStringLiteral("alice"), {QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(status.exitCode == 0, qPrintable(status.err));
        const QJsonObject t = QJsonDocument::fromJson(status.out.toUtf8()).object().value(u"thresholds").toObject();
        QCOMPARE(t.value(u"warn").toDouble(), 0.5);
        QCOMPARE(t.value(u"degrade").toDouble(), 0.7);
        QCOMPARE(t.value(u"stop").toDouble(), 0.8);
        const CliResult text = team(QStringLiteral("alice"), {QStringLiteral("status")});
        QVERIFY2(text.out.contains(QStringLiteral("Thresholds: warn at 50%, degrade at 70%, stop at 80% of a limit")),
                 qPrintable(text.out));
        QCOMPARE(team(QStringLiteral("alice"), {QStringLiteral("resume")}).exitCode, 3);
        const CliResult resumed = team(QStringLiteral("boss"), {QStringLiteral("resume")});
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QVERIFY2(resumed.out.contains(QStringLiteral("Nothing stopped the team this month")), qPrintable(resumed.out));
        const CliResult tiny = team(QStringLiteral("boss"),
                                    {QStringLiteral("set-limit"), QStringLiteral("--warn"), QStringLiteral("0.00001")});
        QCOMPARE(tiny.exitCode, 2);
        QVERIFY2(tiny.err.contains(QStringLiteral("rounds to 0")), qPrintable(tiny.err));
    }

    void reportsByAnalystForTheAdminOnly()
    {
        auto server = TeamServer::fromUrl(url(QStringLiteral("alice")));
        QVERIFY(server);
        auto alice = TeamLedger::open(*server);
        QVERIFY(alice);
        TeamHoldRequest request;
        request.idempotencyKey = QStringLiteral("k1");
        request.runId = QStringLiteral("r1");
        request.step = QStringLiteral("sandbox");
        request.kind = ChargeKind::Sandbox;
        request.resource = QStringLiteral("e2b");
        request.amount = *Money::fromDecimalUsd(QStringLiteral("0.25"));
        const auto held = (*alice)->reserve(request);
        QVERIFY(held && held->hold);
        QVERIFY(
            (*alice)->settle(held->hold->id, QStringLiteral("k1"), *Money::fromDecimalUsd(QStringLiteral("0.125"))));

        const CliResult csv = team(QStringLiteral("boss"), {QStringLiteral("report"), QStringLiteral("--csv")});
        QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
        const QStringList lines = csv.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0], QStringLiteral("month,analyst,kind,resource,steps,cost_usd"));
        QVERIFY2(lines[1].endsWith(QStringLiteral(",alice,sandbox,e2b,1,0.125000000")), qPrintable(lines[1]));

        const CliResult text = team(QStringLiteral("boss"), {QStringLiteral("report")});
        QVERIFY(text.out.contains(QStringLiteral("total $0.125")));
        const CliResult other = team(QStringLiteral("boss"), {QStringLiteral("report"), QStringLiteral("--month"),
                                                              QStringLiteral("2020-01"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(other.out.toUtf8()).object().value(u"rows").toArray().size(), 0);
        const CliResult bad = team(QStringLiteral("boss"),
                                   {QStringLiteral("report"), QStringLiteral("--month"), QStringLiteral("December")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(QStringLiteral("YYYY-MM")));
    }

    void saysWhatIsWrong()
    {
        const CliResult noUrl = runCli({QStringLiteral("team"), QStringLiteral("status")});
        QCOMPARE(noUrl.exitCode, 2);
        QVERIFY2(noUrl.err.contains(QStringLiteral("--url")), qPrintable(noUrl.err));

        const CliResult down = runCli({QStringLiteral("team"), QStringLiteral("status"), QStringLiteral("--url"),
                                       QStringLiteral("postgresql://alice:topsecret@127.0.0.1:9/team")});
        QCOMPARE(down.exitCode, 6);
        QVERIFY2(down.err.contains(QStringLiteral("cannot connect to the team server")), qPrintable(down.err));
        QVERIFY2(!down.err.contains(QStringLiteral("topsecret")) && !down.out.contains(QStringLiteral("topsecret")),
                 qPrintable(down.err));

        QVERIFY(m_server->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE empty")}));
        QString emptyUrl = url(QStringLiteral("alice"));
        emptyUrl.replace(QStringLiteral("/team?"), QStringLiteral("/empty?"));
        const CliResult bare = runCli(
            {QStringLiteral("team"), QStringLiteral("status"), QStringLiteral("--url"), emptyUrl});
        QCOMPARE(bare.exitCode, 2);
        QVERIFY2(bare.err.contains(QStringLiteral("safecell team init")), qPrintable(bare.err));

        const CliResult limit = team(QStringLiteral("boss"),
                                     {QStringLiteral("set-limit"), QStringLiteral("--user"), QStringLiteral("alice")});
        QCOMPARE(limit.exitCode, 2);
        QVERIFY(limit.err.contains(QStringLiteral("--user alice USD")));
    }
};

QTEST_GUILESS_MAIN(TestTeamCli)
#include "tst_teamcli.moc"
