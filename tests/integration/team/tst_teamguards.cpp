// What guards a team's budget lives on the server (issue 21, team schema
// version 6), as it lives in the ledger for one desktop: the admin's
// thresholds, which cap a limit and which every desktop judges the team's
// scopes by; a settle above its hold, which stops the team's scopes for the
// month; and each threshold reached, recorded once whichever desktop's
// settle reached it. On a real PostgreSQL 15.
#include "PostgresServer.h"
#include "TeamDatabase.h"

#include "budget/TeamBudget.h"
#include "budget/TeamLedger.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace safecell;
using safecell::test::cents;
using safecell::test::createTeamDatabase;
using safecell::test::holdRequest;
using safecell::test::PostgresServer;
using safecell::test::scopeOf;

class TestTeamGuards : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<PostgresServer> m_server;
    QString m_database;
    int m_databases = 0;

    std::unique_ptr<TeamLedger> as(const QString &user)
    {
        auto ledger = TeamLedger::open(m_server->teamServer(m_database, user));
        if (!ledger)
            qWarning() << ledger.error().message;
        return ledger ? std::move(ledger).value() : nullptr;
    }
    // Reserves `held` and settles `cost` for it under `key`.
    bool spend(TeamLedger &ledger, const QString &key, Money held, Money cost)
    {
        const auto reserved = ledger.reserve(holdRequest(key, held));
        if (!reserved || !reserved->hold)
            return false;
        const auto settled = ledger.settle(reserved->hold->id, key, cost);
        return settled && settled->outcome == TeamSettlement::Outcome::Settled;
    }
    qint64 superuserScalar(const QString &sql) { return test::superuserScalar(*m_server, m_database, sql); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!PostgresServer::binDir().isEmpty(), "postgresql-15 is not installed; run scripts/setup");
        auto server = PostgresServer::start();
        QVERIFY2(server, server ? "" : qPrintable(server.error()));
        m_server = std::move(server).value();
        const auto roles = m_server->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE ROLE alice LOGIN"),
                                                                       QStringLiteral("CREATE ROLE bob LOGIN"),
                                                                       QStringLiteral("CREATE ROLE owner LOGIN")});
        QVERIFY2(roles, roles ? "" : qPrintable(roles.error()));
    }

    // A team with a $1 org limit; alice and bob analysts, owner the admin.
    void init()
    {
        m_database = QStringLiteral("guards%1").arg(++m_databases);
        const auto created = createTeamDatabase(*m_server, m_database, {QStringLiteral("alice"), QStringLiteral("bob")},
                                                QStringLiteral("owner"));
        QVERIFY2(created, created ? "" : qPrintable(created.error()));
        QVERIFY(as(QStringLiteral("owner"))->setLimit(ScopeLevel::Org, {}, cents(100)));
    }

    // The stop threshold caps what a limit lets be held, on the server, for
    // every desktop; only the admin sets the thresholds, and only in order.
    void theAdminsStopThresholdCapsTheTeam()
    {
        auto owner = as(QStringLiteral("owner"));
        QVERIFY(owner->setThresholds(BudgetThresholds{300'000, 400'000, 500'000}));
        auto alice = as(QStringLiteral("alice"));
        const auto status = alice->status();
        QVERIFY(status);
        QVERIFY(status->thresholds);
        QCOMPARE(status->thresholds->warnPpm, 300'000);
        QCOMPARE(status->thresholds->degradePpm, 400'000);
        QCOMPARE(status->thresholds->stopPpm, 500'000);

        const auto refused = alice->reserve(holdRequest(QStringLiteral("big"), cents(51)));
        QVERIFY(refused && refused->refusal);
        QCOMPARE(refused->refusal->level, ScopeLevel::Org);
        QCOMPARE(refused->refusal->limit, cents(50)); // the cap, so "left" is what may still be held
        const auto granted = alice->reserve(holdRequest(QStringLiteral("half"), cents(50)));
        QVERIFY(granted && granted->hold);
        // Growing past the cap is refused as a reservation is.
        const auto grown = alice->adjust(granted->hold->id, cents(60), 60);
        QVERIFY(grown && grown->refusal);

        const auto denied = alice->setThresholds(BudgetThresholds{900'000, 950'000, 2'000'000});
        QVERIFY(!denied);
        QCOMPARE(denied.error().kind, TeamError::Kind::Denied);
        const auto unordered = owner->setThresholds(BudgetThresholds{900'000, 800'000, 1'000'000});
        QVERIFY(!unordered);
        QCOMPARE(unordered.error().kind, TeamError::Kind::Invalid);
        QCOMPARE(superuserScalar(QStringLiteral("SELECT stop_ppm FROM safecell.thresholds")), 500'000);
    }

    // A settle above its hold is spend nothing covered: recorded as it was,
    // and the org's scope and the analyst's take no new money this month
    // (on any desktop); a shrink is never refused. Next month they are free.
    void aSettleAboveItsHoldStopsTheTeamsScopes()
    {
        auto alice = as(QStringLiteral("alice"));
        auto bob = as(QStringLiteral("bob"));
        QVERIFY(spend(*alice, QStringLiteral("over"), cents(10), cents(30)));
        QCOMPARE(superuserScalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), cents(30).nanos());
        QCOMPARE(superuserScalar(QStringLiteral("SELECT count(*) FROM safecell.breaches")), 1);

        for (TeamLedger *ledger : {alice.get(), bob.get()}) {
            const auto refused = ledger->reserve(holdRequest(QStringLiteral("after-") + ledger->analyst(), cents(1)));
            QVERIFY(refused && refused->refusal);
            QCOMPARE(refused->refusal->level, ScopeLevel::Org);
            QVERIFY(refused->refusal->used >= refused->refusal->limit); // nothing left
            const auto status = ledger->status();
            QVERIFY(status);
            QVERIFY(scopeOf(*status, ScopeLevel::Org)->stopped);
            // The user scope is stopped only for the analyst who breached.
            QCOMPARE(scopeOf(*status, ScopeLevel::User)->stopped, ledger == alice.get());
        }
        // Bob cannot read alice's breach; the admin can.
        QSqlDatabase db = m_server->connect(QStringLiteral("bob-reads"), m_database, QStringLiteral("bob"));
        {
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM safecell.breaches")) && query.next());
            QCOMPARE(query.value(0).toLongLong(), 0);
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("bob-reads"));

        // The gauge: both scopes Stopped with nothing left, whatever the figures.
        TeamFigures figures;
        figures.status = *alice->status();
        figures.readAt = QDateTime::currentDateTimeUtc();
        BudgetSnapshot snapshot;
        applyTeamFigures(snapshot, figures, m_server->teamServer(m_database, QStringLiteral("alice")),
                         BudgetThresholds{});
        const ScopeSnapshot *org = snapshot.scope(ScopeLevel::Org);
        QVERIFY(org);
        QCOMPARE(org->state, BudgetState::Stopped);
        QVERIFY(org->breach);
        QCOMPARE(*org->remaining, Money());

        // Only the admin lets the team spend again this month; the breach
        // stays on record.
        const auto denied = alice->clearBreaches();
        QVERIFY(!denied);
        QCOMPARE(denied.error().kind, TeamError::Kind::Denied);
        QVERIFY(bob->reserve(holdRequest(QStringLiteral("still-stopped"), cents(1)))->refusal);
        auto owner = as(QStringLiteral("owner"));
        QCOMPARE(*owner->clearBreaches(), 1);
        QCOMPARE(*owner->clearBreaches(), 0);
        QVERIFY(bob->reserve(holdRequest(QStringLiteral("resumed"), cents(1)))->hold);
        QVERIFY(!scopeOf(*alice->status(), ScopeLevel::Org)->stopped);
        QCOMPARE(superuserScalar(QStringLiteral("SELECT count(*) FROM safecell.breaches")), 1);

        // A new breach stops it again; moved to last month, it stops nothing now.
        QVERIFY(spend(*alice, QStringLiteral("over-again"), cents(1), cents(2)));
        QVERIFY(bob->reserve(holdRequest(QStringLiteral("stopped-again"), cents(1)))->refusal);
        QVERIFY(m_server->exec(m_database, {QStringLiteral("UPDATE safecell.breaches SET period_start = "
                                                           "period_start - interval '1 month'")}));
        const auto freed = bob->reserve(holdRequest(QStringLiteral("next-month"), cents(1)));
        QVERIFY(freed && freed->hold);
    }

    // Each threshold is recorded once for the team, by the settle that
    // reached it, whichever analyst's; every analyst reads the org's alerts,
    // none another analyst's own.
    void eachThresholdReachedIsRecordedOnceOnTheServer()
    {
        auto owner = as(QStringLiteral("owner"));
        QVERIFY(owner->setLimit(ScopeLevel::User, QStringLiteral("alice"), cents(1000)));
        auto alice = as(QStringLiteral("alice"));
        auto bob = as(QStringLiteral("bob"));
        QVERIFY(spend(*alice, QStringLiteral("a1"), cents(70), cents(70)));
        QCOMPARE(alice->alerts()->size(), 0); // 70% of $1: below the 75% warning
        QVERIFY(spend(*bob, QStringLiteral("b1"), cents(10), cents(10)));
        QVERIFY(spend(*bob, QStringLiteral("b2"), cents(5), cents(5)));
        QVERIFY(spend(*alice, QStringLiteral("a2"), cents(8), cents(8))); // 93%

        const auto seen = bob->alerts();
        QVERIFY(seen);
        QCOMPARE(seen->size(), 2);
        QCOMPARE(seen->at(0).state, BudgetState::Warned);
        QCOMPARE(seen->at(0).used, cents(80)); // recorded by bob's settle that crossed 75%
        QCOMPARE(seen->at(1).state, BudgetState::Degraded);
        QCOMPARE(seen->at(1).used, cents(93));
        for (const TeamAlertRecord &alert : *seen) {
            QCOMPARE(alert.level, ScopeLevel::Org);
            QCOMPARE(alert.limit, cents(100));
        }
        QCOMPARE(superuserScalar(QStringLiteral("SELECT count(*) FROM safecell.alerts")), 2);
    }

    // Settles never wait on each other in a cycle: a settle of nothing
    // inside a transaction took an alert's row without the totals' row
    // every other settle takes first, and two desktops deadlocked (found by
    // review: "deadlock detected" on the second settle). Only a breach notes
    // alerts at a settle now, and a breach always costs something.
    void settlesInOpenTransactionsDoNotDeadlock()
    {
        auto alice = as(QStringLiteral("alice"));
        auto bob = as(QStringLiteral("bob"));
        const auto h0 = alice->reserve(holdRequest(QStringLiteral("h0"), cents(5)));
        const auto h1 = alice->reserve(holdRequest(QStringLiteral("h1"), cents(10)));
        const auto hb = bob->reserve(holdRequest(QStringLiteral("hb"), cents(70))); // 85%: warned by holds alone
        QVERIFY(h0 && h0->hold && h1 && h1->hold && hb && hb->hold);

        QSqlDatabase db = m_server->connect(QStringLiteral("alice-tx"), m_database, QStringLiteral("alice"));
        bool secondSettled = false;
        {
            QSqlQuery tx(db);
            QVERIFY(tx.exec(QStringLiteral("BEGIN")));
            QVERIFY2(tx.exec(QStringLiteral("SELECT * FROM safecell.settle('%1'::uuid, 'h0', 0)").arg(h0->hold->id)),
                     qPrintable(tx.lastError().text()));
            std::atomic<bool> bobDone = false;
            QString bobError;
            QThread *other = QThread::create([&] {
                auto bobsDesk = TeamLedger::open(m_server->teamServer(m_database, QStringLiteral("bob")));
                const auto settled = bobsDesk ? (*bobsDesk)->settle(hb->hold->id, QStringLiteral("hb"), cents(70))
                                              : Expected<TeamSettlement, TeamError>(unexpected(bobsDesk.error()));
                if (!settled)
                    bobError = settled.error().message;
                bobDone = true;
            });
            other->start();
            QTest::qWait(300); // bob's settle reaches the server
            secondSettled = tx.exec(QStringLiteral("SELECT * FROM safecell.settle('%1'::uuid, 'h1', %2)")
                                        .arg(h1->hold->id)
                                        .arg(cents(1).nanos()));
            const QString aliceError = tx.lastError().text();
            QVERIFY(QSqlQuery(db).exec(secondSettled ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK")));
            QVERIFY(other->wait(30'000));
            delete other;
            QVERIFY2(secondSettled, qPrintable(aliceError));
            QVERIFY2(bobDone && bobError.isEmpty(), qPrintable(bobError));
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("alice-tx"));
        QCOMPARE(superuserScalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), cents(71).nanos());
    }

    // A desktop of this version reads a server not yet migrated to version
    // 6: its figures, no thresholds of its own (the desktop's then judge
    // them), no alerts; setting thresholds there says to migrate.
    void aServerAtVersion5IsStillRead()
    {
        QVERIFY(m_server->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE five")}));
        auto superuser = TeamLedger::open(
            m_server->teamServer(QStringLiteral("five"), QString::fromLatin1(PostgresServer::kSuperuser)));
        QVERIFY(superuser);
        QCOMPARE(*(*superuser)->migrate(5), 5);
        QVERIFY((*superuser)->grant(QStringLiteral("alice"), false));
        QVERIFY((*superuser)->setLimit(ScopeLevel::Org, {}, cents(100)));
        auto alice = TeamLedger::open(m_server->teamServer(QStringLiteral("five"), QStringLiteral("alice")));
        QVERIFY(alice);
        QVERIFY(spend(**alice, QStringLiteral("v5"), cents(80), cents(80)));
        const auto status = (*alice)->status();
        QVERIFY2(status, status ? "" : qPrintable(status.error().message));
        QVERIFY(!status->thresholds);
        QCOMPARE(scopeOf(*status, ScopeLevel::Org)->used, cents(80));
        const auto alerts = (*alice)->alerts();
        QVERIFY2(alerts, alerts ? "" : qPrintable(alerts.error().message));
        QVERIFY(alerts->isEmpty());
        TeamFigures figures;
        figures.status = *status;
        figures.readAt = QDateTime::currentDateTimeUtc();
        BudgetSnapshot snapshot;
        applyTeamFigures(snapshot, figures, m_server->teamServer(QStringLiteral("five"), QStringLiteral("alice")),
                         BudgetThresholds{500'000, 600'000, 1'000'000});
        QCOMPARE(snapshot.scope(ScopeLevel::Org)->state, BudgetState::Degraded); // 80% by the desktop's
    }

    // A scope alice's own limit watches alerts her and the admin, not bob.
    void anAnalystsAlertsAreHerOwn()
    {
        auto owner = as(QStringLiteral("owner"));
        QVERIFY(owner->setLimit(ScopeLevel::Org, {}, std::nullopt));
        QVERIFY(owner->setLimit(ScopeLevel::User, QStringLiteral("alice"), cents(10)));
        auto alice = as(QStringLiteral("alice"));
        QVERIFY(spend(*alice, QStringLiteral("mine"), cents(8), cents(8)));
        const auto hers = alice->alerts();
        QVERIFY(hers);
        QCOMPARE(hers->size(), 1);
        QCOMPARE(hers->at(0).level, ScopeLevel::User);
        QCOMPARE(hers->at(0).key, QStringLiteral("alice"));
        QCOMPARE(as(QStringLiteral("bob"))->alerts()->size(), 0);
        QCOMPARE(owner->alerts()->size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestTeamGuards)
#include "tst_teamguards.moc"
