// The team ledger on a real PostgreSQL 15 (issue 21): limits that hold
// across desktops, idempotent reserve and settle, holds that lapse on the
// server's clock, roles that keep analysts out of limits and each other's
// runs, and a ledger that resumes by itself after the server comes back.
#include "PostgresServer.h"
#include "TeamDatabase.h"

#include "budget/TeamLedger.h"
#include "budget/TeamSchema.h"

#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <memory>

using namespace safecell;
using safecell::test::cents;
using safecell::test::createTeamDatabase;
using safecell::test::holdRequest;
using safecell::test::PostgresServer;

class TestTeamLedger : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<PostgresServer> m_server;
    QString m_database;
    int m_databases = 0;

    TeamServer serverFor(const QString &user) const { return m_server->teamServer(m_database, user); }
    QString urlFor(const QString &user) const { return m_server->teamUrl(m_database, user); }
    std::unique_ptr<TeamLedger> as(const QString &user)
    {
        auto ledger = TeamLedger::open(serverFor(user));
        if (!ledger)
            qWarning() << ledger.error().message;
        return ledger ? std::move(ledger).value() : nullptr;
    }
    qint64 scalar(const QString &sql) { return test::superuserScalar(*m_server, m_database, sql); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!PostgresServer::binDir().isEmpty(), "postgresql-15 is not installed; run scripts/setup");
        auto server = PostgresServer::start();
        QVERIFY2(server, server ? "" : qPrintable(server.error()));
        m_server = std::move(server).value();
        const auto roles = m_server->exec(QStringLiteral("postgres"),
                                          {QStringLiteral("CREATE ROLE alice LOGIN PASSWORD 'alice-pw'"),
                                           QStringLiteral("CREATE ROLE bob LOGIN"),
                                           QStringLiteral("CREATE ROLE dora LOGIN"),
                                           QStringLiteral("CREATE ROLE owner LOGIN")});
        QVERIFY2(roles, roles ? "" : qPrintable(roles.error()));
    }

    // Each test starts on a database of its own, migrated, with alice, bob
    // and dora analysts and owner the admin.
    void init()
    {
        m_database = QStringLiteral("team%1").arg(++m_databases);
        const auto created = createTeamDatabase(*m_server, m_database,
                                                {QStringLiteral("alice"), QStringLiteral("bob"),
                                                 QStringLiteral("dora")},
                                                QStringLiteral("owner"));
        QVERIFY2(created, created ? "" : qPrintable(created.error()));
    }

    void migrateTwiceChangesNothing()
    {
        auto superuser = as(QString::fromLatin1(PostgresServer::kSuperuser));
        QVERIFY(superuser);
        const auto again = superuser->migrate();
        QVERIFY2(again, again ? "" : qPrintable(again.error().message));
        QCOMPARE(*again, latestTeamSchemaVersion());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.migrations")), qint64(teamMigrations().size()));
        auto alice = as(QStringLiteral("alice"));
        const auto version = alice->schemaVersion();
        QVERIFY(version);
        QCOMPARE(*version, latestTeamSchemaVersion());
    }

    // A team on version 1 with spend keeps every figure through the
    // migration to the totals of version 2.
    void migratingAnOlderSchemaKeepsItsFigures()
    {
        QVERIFY(m_server->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE old")}));
        TeamServer old = serverFor(QString::fromLatin1(PostgresServer::kSuperuser));
        old.database = QStringLiteral("old");
        auto owner = TeamLedger::open(old);
        QVERIFY(owner);
        QCOMPARE(*(*owner)->migrate(1), 1);
        old.user = QStringLiteral("alice");
        auto alice = TeamLedger::open(old);
        QVERIFY(alice);
        for (int i = 0; i < 3; ++i) {
            const QString key = QStringLiteral("old-%1").arg(i);
            const auto held = (*alice)->reserve(holdRequest(key, cents(5)));
            QVERIFY2(held && held->hold, held ? "refused" : qPrintable(held.error().message));
            QVERIFY((*alice)->settle(held->hold->id, key, cents(i + 1)));
        }
        const auto before = (*alice)->status();
        QVERIFY(before);
        QCOMPARE(before->scopes[0].used, cents(6));
        QCOMPARE(*(*owner)->migrate(), latestTeamSchemaVersion());
        const auto after = (*alice)->status();
        QVERIFY2(after, after ? "" : qPrintable(after.error().message));
        QCOMPARE(after->scopes[0].used, cents(6));
        QCOMPARE(after->scopes[1].used, cents(6));
        const auto more = (*alice)->reserve(holdRequest(QStringLiteral("new"), cents(1)));
        QVERIFY(more && more->hold);
        QVERIFY((*alice)->settle(more->hold->id, QStringLiteral("new"), cents(1)));
        QCOMPARE((*alice)->status()->scopes[0].used, cents(7));
    }

    void anUninitialisedDatabaseSaysSo()
    {
        QVERIFY(m_server->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE bare")}));
        TeamServer bare = serverFor(QStringLiteral("alice"));
        bare.database = QStringLiteral("bare");
        auto ledger = TeamLedger::open(bare);
        QVERIFY(ledger);
        const auto reserved = (*ledger)->reserve(holdRequest(QStringLiteral("k"), cents(1)));
        QVERIFY(!reserved);
        QCOMPARE(reserved.error().kind, TeamError::Kind::NotInitialised);
        QVERIFY2(reserved.error().message.contains(QStringLiteral("safecell team init")),
                 qPrintable(reserved.error().message));
    }

    void theOrgLimitHoldsAcrossAnalysts()
    {
        auto owner = as(QStringLiteral("owner"));
        QVERIFY(owner->setLimit(ScopeLevel::Org, {}, cents(100)));
        auto alice = as(QStringLiteral("alice"));
        auto bob = as(QStringLiteral("bob"));

        const auto first = alice->reserve(holdRequest(QStringLiteral("a1"), cents(60)));
        QVERIFY2(first, first ? "" : qPrintable(first.error().message));
        QVERIFY(first->hold);
        const auto refused = bob->reserve(holdRequest(QStringLiteral("b1"), cents(50)));
        QVERIFY(refused);
        QVERIFY(!refused->hold);
        QVERIFY(refused->refusal);
        QCOMPARE(refused->refusal->level, ScopeLevel::Org);
        QCOMPARE(refused->refusal->used, cents(60));
        QCOMPARE(refused->refusal->limit, cents(100));

        // Settling below the hold frees the difference for everyone.
        const auto settled = alice->settle(first->hold->id, QStringLiteral("a1"), cents(40));
        QVERIFY(settled);
        QCOMPARE(settled->outcome, TeamSettlement::Outcome::Settled);
        const auto second = bob->reserve(holdRequest(QStringLiteral("b2"), cents(50)));
        QVERIFY(second && second->hold);
        const auto status = bob->status();
        QVERIFY(status);
        QCOMPARE(status->scopes.size(), 2);
        QCOMPARE(status->scopes[0].level, ScopeLevel::Org);
        QCOMPARE(status->scopes[0].used, cents(90));
        QCOMPARE(status->scopes[0].held, cents(50));
        QCOMPARE(status->scopes[0].limit, std::optional<Money>(cents(100)));
        QCOMPARE(status->scopes[1].key, QStringLiteral("bob"));
        QCOMPARE(status->scopes[1].used, cents(50));
        QVERIFY(!status->scopes[1].limit);
    }

    void aUserLimitBindsOnlyThatAnalyst()
    {
        auto owner = as(QStringLiteral("owner"));
        QVERIFY(owner->setLimit(ScopeLevel::User, QStringLiteral("alice"), cents(10)));
        auto alice = as(QStringLiteral("alice"));
        const auto refused = alice->reserve(holdRequest(QStringLiteral("a"), cents(20)));
        QVERIFY(refused && refused->refusal);
        QCOMPARE(refused->refusal->level, ScopeLevel::User);
        auto bob = as(QStringLiteral("bob"));
        const auto granted = bob->reserve(holdRequest(QStringLiteral("b"), cents(20)));
        QVERIFY(granted && granted->hold);
    }

    void reserveAndSettleCountOncePerKey()
    {
        auto alice = as(QStringLiteral("alice"));
        const auto first = alice->reserve(holdRequest(QStringLiteral("once"), cents(5)));
        const auto repeated = alice->reserve(holdRequest(QStringLiteral("once"), cents(5)));
        QVERIFY(first && first->hold && repeated && repeated->hold);
        QCOMPARE(repeated->hold->id, first->hold->id);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 1);

        const auto settled = alice->settle(first->hold->id, QStringLiteral("once"), cents(3));
        const auto again = alice->settle(first->hold->id, QStringLiteral("once"), cents(3));
        QVERIFY(settled && again);
        QCOMPARE(settled->outcome, TeamSettlement::Outcome::Settled);
        QCOMPARE(again->outcome, TeamSettlement::Outcome::AlreadySettled);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.entries")), 1);
        QCOMPARE(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), cents(3).nanos());

        const auto afterSettle = alice->reserve(holdRequest(QStringLiteral("once"), cents(5)));
        QVERIFY(afterSettle);
        QVERIFY(afterSettle->alreadySettled);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
    }

    // A key is the analyst's own: bob reusing alice's key (by chance or to
    // probe) gets a reservation of his own, and learns nothing of hers.
    void idempotencyKeysAreEachAnalystsOwn()
    {
        auto alice = as(QStringLiteral("alice"));
        auto bob = as(QStringLiteral("bob"));
        const auto hers = alice->reserve(holdRequest(QStringLiteral("shared-key"), cents(5)));
        const auto his = bob->reserve(holdRequest(QStringLiteral("shared-key"), cents(2)));
        QVERIFY(hers && hers->hold && his && his->hold);
        QVERIFY(his->hold->id != hers->hold->id);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 2);

        const auto herSettle = alice->settle(hers->hold->id, QStringLiteral("shared-key"), cents(4));
        QVERIFY(herSettle);
        QCOMPARE(herSettle->outcome, TeamSettlement::Outcome::Settled);
        const auto hisSettle = bob->settle(his->hold->id, QStringLiteral("shared-key"), cents(1));
        QVERIFY(hisSettle);
        QCOMPARE(hisSettle->outcome, TeamSettlement::Outcome::Settled); // not "already", with her cost
        QCOMPARE(hisSettle->cost, cents(1));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.entries")), 2);
        QCOMPARE(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), cents(5).nanos());
        // And still once per key for each of them.
        const auto again = bob->settle(his->hold->id, QStringLiteral("shared-key"), cents(1));
        QVERIFY(again);
        QCOMPARE(again->outcome, TeamSettlement::Outcome::AlreadySettled);
        const auto dora = as(QStringLiteral("dora"));
        const auto hersSettled = dora->reserve(holdRequest(QStringLiteral("shared-key"), cents(1)));
        QVERIFY(hersSettled && hersSettled->hold && !hersSettled->alreadySettled);
    }

    void aHoldLapsesOnTheServersClockAndIsChargedOnce()
    {
        auto alice = as(QStringLiteral("alice"));
        const auto held = alice->reserve(holdRequest(QStringLiteral("crash"), cents(7), 1));
        QVERIFY(held && held->hold);
        const auto early = alice->chargeLapsed();
        QVERIFY(early);
        QCOMPARE(*early, 0);
        QTest::qWait(1300);
        auto bob = as(QStringLiteral("bob"));
        const auto charged = bob->chargeLapsed();
        QVERIFY(charged);
        QCOMPARE(*charged, 1);
        QCOMPARE(*alice->chargeLapsed(), 0);
        QCOMPARE(scalar(QStringLiteral("SELECT cost_nanos FROM safecell.entries WHERE lapsed_hold IS NOT NULL")),
                 cents(7).nanos());

        // The desktop comes back and settles late: the charge becomes what
        // was spent, and a retry (even one saying otherwise) changes nothing.
        const auto late = alice->settle(held->hold->id, QStringLiteral("crash"), cents(2));
        QVERIFY(late);
        QCOMPARE(late->outcome, TeamSettlement::Outcome::LapseLowered);
        QCOMPARE(late->cost, cents(2));
        const auto higher = alice->settle(held->hold->id, QStringLiteral("crash"), cents(6));
        QVERIFY(higher);
        QCOMPARE(higher->outcome, TeamSettlement::Outcome::AlreadySettled);
        QCOMPARE(higher->cost, cents(2));
        const auto otherKey = alice->settle(held->hold->id, QStringLiteral("crash-again"), cents(6));
        QVERIFY(otherKey);
        QCOMPARE(otherKey->outcome, TeamSettlement::Outcome::UnknownHold);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.entries")), 1);
        QCOMPARE(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), cents(2).nanos());
    }

    // An E2B sandbox's hold: grown within the limit, refused past it,
    // shrunk, settled in parts once per key, and only by its analyst.
    void aHoldGrowsShrinksAndSettlesInParts()
    {
        auto owner = as(QStringLiteral("owner"));
        QVERIFY(owner->setLimit(ScopeLevel::Org, {}, cents(100)));
        auto alice = as(QStringLiteral("alice"));
        const auto held = alice->reserve(holdRequest(QStringLiteral("sandbox"), cents(20)));
        QVERIFY(held && held->hold);
        const QString id = held->hold->id;

        const auto grown = alice->adjust(id, cents(80), 60);
        QVERIFY2(grown, grown ? "" : qPrintable(grown.error().message));
        QVERIFY(grown->hold);
        QVERIFY(grown->hold->expires > held->hold->expires.addSecs(-1));
        const auto tooMuch = alice->adjust(id, cents(101), 60);
        QVERIFY(tooMuch);
        QVERIFY(!tooMuch->hold);
        QVERIFY(tooMuch->refusal);
        QCOMPARE(tooMuch->refusal->used, cents(80));
        const auto shrunk = alice->adjust(id, cents(50), 60);
        QVERIFY(shrunk && shrunk->hold);

        const auto part = alice->settlePart(id, QStringLiteral("sandbox/part-1"), cents(15));
        QVERIFY2(part, part ? "" : qPrintable(part.error().message));
        QCOMPARE(part->settled.outcome, TeamSettlement::Outcome::Settled);
        QCOMPARE(part->stillHeld, cents(35));
        const auto again = alice->settlePart(id, QStringLiteral("sandbox/part-1"), cents(15));
        QVERIFY(again);
        QCOMPARE(again->settled.outcome, TeamSettlement::Outcome::AlreadySettled);
        QCOMPARE(again->stillHeld, cents(35));
        const auto status = alice->status();
        QCOMPARE(status->scopes[0].used, cents(50)); // 15 settled + 35 held

        auto bob = as(QStringLiteral("bob"));
        const auto stolen = bob->adjust(id, cents(1), 60);
        QVERIFY(stolen);
        QVERIFY(!stolen->hold && !stolen->refusal);
        const auto stolenPart = bob->settlePart(id, QStringLiteral("bob/part"), cents(1));
        QVERIFY(stolenPart);
        QCOMPARE(stolenPart->settled.outcome, TeamSettlement::Outcome::UnknownHold);

        const auto last = alice->settle(id, QStringLiteral("sandbox"), cents(30));
        QVERIFY(last);
        QCOMPARE(last->outcome, TeamSettlement::Outcome::Settled);
        QCOMPARE(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), cents(45).nanos());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
    }

    void analystsCannotChangeLimitsOrReadOthersRuns()
    {
        auto alice = as(QStringLiteral("alice"));
        auto bob = as(QStringLiteral("bob"));
        const auto bobs = bob->reserve(holdRequest(QStringLiteral("bob-run"), cents(4)));
        QVERIFY(bobs && bobs->hold);
        QVERIFY(bob->settle(bobs->hold->id, QStringLiteral("bob-run"), cents(4)));
        const auto bobsOpen = bob->reserve(holdRequest(QStringLiteral("bob-open"), cents(4)));
        QVERIFY(bobsOpen && bobsOpen->hold);
        const auto alices = alice->reserve(holdRequest(QStringLiteral("alice-run"), cents(1)));
        QVERIFY(alice->settle(alices->hold->id, QStringLiteral("alice-run"), cents(1)));

        const auto limit = alice->setLimit(ScopeLevel::Org, {}, cents(100000));
        QVERIFY(!limit);
        QCOMPARE(limit.error().kind, TeamError::Kind::Denied);

        // Row-level security: alice's report holds her runs only.
        const auto report = alice->report(QDate::currentDate());
        QVERIFY(report);
        QCOMPARE(report->size(), 1);
        QCOMPARE(report->first().analyst, QStringLiteral("alice"));

        // Straight to the tables: refused, whatever she tries.
        QSqlDatabase db = m_server->connect(QStringLiteral("alice-raw"), m_database, QStringLiteral("alice"));
        {
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM safecell.entries")) && query.next());
            QCOMPARE(query.value(0).toInt(), 1);
            for (const char *attack :
                 {"UPDATE safecell.scopes SET limit_nanos = NULL", "DELETE FROM safecell.entries",
                  "INSERT INTO safecell.entries (idempotency_key, analyst, run_id, step, kind, resource, cost_nanos) "
                  "VALUES ('x', 'bob', 'r', 's', 'llm', 'm', 0)",
                  "SELECT * FROM safecell.holds", "SELECT safecell.set_limit('org', 'team', NULL)",
                  "ALTER TABLE safecell.entries DISABLE ROW LEVEL SECURITY", "SET ROLE owner",
                  "SET ROLE safecell_admin"}) {
                QVERIFY2(!query.exec(QString::fromLatin1(attack)), attack);
            }
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("alice-raw"));

        // Another analyst's hold can be neither settled nor released.
        const auto settled = alice->settle(bobsOpen->hold->id, QStringLiteral("steal"), Money());
        QVERIFY(settled);
        QCOMPARE(settled->outcome, TeamSettlement::Outcome::UnknownHold);
        const auto released = alice->release(bobsOpen->hold->id);
        QVERIFY(released);
        QVERIFY(!*released);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 1);

        // The admin sees everyone.
        auto owner = as(QStringLiteral("owner"));
        const auto all = owner->report(QDate::currentDate());
        QVERIFY(all);
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(1).analyst, QStringLiteral("bob"));
        QCOMPARE(all->at(1).cost, cents(4));
        QCOMPARE(all->at(1).steps, 1);
    }

    void aPasswordLoginOverTcpWorks()
    {
        auto server = TeamServer::fromUrl(
            QStringLiteral("postgresql://alice:alice-pw@127.0.0.1:%1/%2").arg(m_server->port()).arg(m_database));
        QVERIFY(server);
        QCOMPARE(server->tlsMode, QStringLiteral("prefer"));
        auto ledger = TeamLedger::open(*server);
        QVERIFY2(ledger, ledger ? "" : qPrintable(ledger.error().message));
        QVERIFY((*ledger)->status());

        server->password = QStringLiteral("wrong");
        auto refused = TeamLedger::open(*server);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, TeamError::Kind::Denied);
        QVERIFY2(!refused.error().message.contains(QStringLiteral("wrong")), qPrintable(refused.error().message));
    }

    void resumesByItselfAfterTheServerComesBack()
    {
        auto alice = as(QStringLiteral("alice"));
        const auto before = alice->reserve(holdRequest(QStringLiteral("r1"), cents(1)));
        QVERIFY(before && before->hold);
        QVERIFY(m_server->stop());
        const auto down = alice->settle(before->hold->id, QStringLiteral("r1"), cents(1));
        QVERIFY(!down);
        QCOMPARE(down.error().kind, TeamError::Kind::Unreachable);
        QVERIFY2(down.error().message.contains(QStringLiteral("team server")), qPrintable(down.error().message));
        const auto stillDown = alice->status();
        QVERIFY(!stillDown);
        QCOMPARE(stillDown.error().kind, TeamError::Kind::Unreachable);
        QVERIFY(m_server->restart());
        const auto after = alice->settle(before->hold->id, QStringLiteral("r1"), cents(1));
        QVERIFY2(after, after ? "" : qPrintable(after.error().message));
        QCOMPARE(after->outcome, TeamSettlement::Outcome::Settled);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.entries")), 1);
    }

    // The mechanism behind the limit: a reservation locks the org's row,
    // so while another transaction holds it, a desktop's reservation waits
    // (seen in pg_stat_activity) and goes on when it is released.
    void aReservationWaitsForTheOrgRowLock()
    {
        QSqlDatabase db = m_server->connect(QStringLiteral("locker"), m_database,
                                            QString::fromLatin1(PostgresServer::kSuperuser));
        QVERIFY(db.transaction());
        {
            QSqlQuery lock(db);
            QVERIFY(lock.exec(QStringLiteral("SELECT 1 FROM safecell.scopes WHERE level = 'org' FOR UPDATE")));
        }
        QProcess desktop;
        desktop.start(QString::fromLocal8Bit(qgetenv("TEAM_CLIENT")),
                      {QStringLiteral("--url"), urlFor(QStringLiteral("alice")), QStringLiteral("--count"),
                       QStringLiteral("1"), QStringLiteral("--prefix"), QStringLiteral("waiter")});
        QVERIFY(desktop.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(scalar(QStringLiteral("SELECT count(*) FROM pg_stat_activity "
                                                        "WHERE usename = 'alice' AND wait_event_type = 'Lock'")),
                                  qint64(1), 10'000);
        QCOMPARE(desktop.state(), QProcess::Running);
        QVERIFY(db.commit());
        QVERIFY(desktop.waitForFinished(10'000));
        QCOMPARE(desktop.exitCode(), 0);
        QVERIFY(desktop.readAllStandardOutput().contains("granted 1 refused 0 settled 1"));
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
    }

    // Three desktops, 300 reservations each, on a $1 org limit, while the
    // server is stopped and restarted under them: nothing settles past the
    // limit, no hold is left, no key counts twice.
    void threeDesktopsNeverSpendPastTheLimit()
    {
        auto owner = as(QStringLiteral("owner"));
        QVERIFY(owner->setLimit(ScopeLevel::Org, {}, cents(100)));
        QList<std::shared_ptr<QProcess>> desktops;
        for (const char *analyst : {"alice", "bob", "dora"}) {
            auto process = std::make_shared<QProcess>();
            process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            process->start(QString::fromLocal8Bit(qgetenv("TEAM_CLIENT")),
                           {QStringLiteral("--url"), urlFor(QString::fromLatin1(analyst)), QStringLiteral("--count"),
                            QStringLiteral("300"), QStringLiteral("--prefix"), QString::fromLatin1(analyst)});
            QVERIFY(process->waitForStarted());
            desktops.append(process);
        }
        QTest::qWait(300);
        QVERIFY(m_server->stop());
        QTest::qWait(500);
        QVERIFY(m_server->restart());
        int settled = 0, refused = 0;
        for (const auto &process : desktops) {
            QVERIFY(process->waitForFinished(120'000));
            QCOMPARE(process->exitCode(), 0);
            const QList<QByteArray> lines = process->readAllStandardOutput().trimmed().split('\n');
            const QList<QByteArray> totals = lines.last().split(' ');
            QCOMPARE(totals.size(), 6);
            refused += totals[3].toInt();
            settled += totals[5].toInt();
        }
        QVERIFY2(refused > 0, "the limit was never reached: the test proves nothing");
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.entries")), qint64(settled));
        QVERIFY(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")) <= cents(100).nanos());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
        QCOMPARE(scalar(QStringLiteral("SELECT sum(settled_nanos) FROM safecell.totals WHERE level = 'org'")),
                 scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")));
        QCOMPARE(scalar(QStringLiteral("SELECT sum(settled_nanos) FROM safecell.totals WHERE level = 'user'")),
                 scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")));
    }

    // A desktop killed mid-run leaves holds that lapse and are charged in
    // full once: the spend still never passes the limit.
    void aKilledDesktopsHoldsLapseWithinTheLimit()
    {
        auto owner = as(QStringLiteral("owner"));
        QVERIFY(owner->setLimit(ScopeLevel::Org, {}, cents(100)));
        QProcess desktop;
        desktop.start(QString::fromLocal8Bit(qgetenv("TEAM_CLIENT")),
                      {QStringLiteral("--url"), urlFor(QStringLiteral("alice")), QStringLiteral("--count"),
                       QStringLiteral("100000"), QStringLiteral("--prefix"), QStringLiteral("killed"),
                       QStringLiteral("--ttl"), QStringLiteral("1")});
        QVERIFY(desktop.waitForStarted());
        // It has settled something, and is in the middle of more.
        QVERIFY(desktop.waitForReadyRead(10'000));
        QTest::qWait(100);
        desktop.kill();
        QVERIFY(desktop.waitForFinished());
        QTest::qWait(1300);
        auto bob = as(QStringLiteral("bob"));
        QVERIFY(bob->chargeLapsed());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
        QVERIFY(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")) <= cents(100).nanos());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.entries")),
                 scalar(QStringLiteral("SELECT count(DISTINCT run_id) FROM safecell.entries")));
        QCOMPARE(scalar(QStringLiteral("SELECT sum(settled_nanos) FROM safecell.totals WHERE level = 'org'")),
                 scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")));
    }
};

QTEST_GUILESS_MAIN(TestTeamLedger)
#include "tst_teamledger.moc"
