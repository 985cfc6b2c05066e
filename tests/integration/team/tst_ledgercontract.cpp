// One contract, two ledgers (issue 21): every case below runs on the
// desktop's SQLite ledger (LocalLedger) and on a team's PostgreSQL 15
// (TeamLedger), the same code against the Ledger interface, so
// reservations, settles, idempotency keys, lapses, alerts and the budget's
// invariant are shown to hold the same on both.
#include "PostgresServer.h"
#include "TeamDatabase.h"

#include "budget/LocalLedger.h"
#include "budget/SpendLedger.h"
#include "budget/TeamLedger.h"

#include <QMap>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <atomic>
#include <memory>

using namespace safecell;
using safecell::test::cents;
using safecell::test::createTeamDatabase;
using safecell::test::holdRequest;
using safecell::test::PostgresServer;
using safecell::test::scopeOf;

namespace {

// One analyst's ledger, with what it needs kept alive beside it.
struct Desk {
    std::unique_ptr<SpendLedger> file; // SQLite only
    std::unique_ptr<Ledger> ledger;
    Ledger *operator->() const { return ledger.get(); }
    explicit operator bool() const { return bool(ledger); }
};

} // namespace

class TestLedgerContract : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<PostgresServer> m_server;
    QTemporaryDir m_dir;
    int m_teams = 0;
    bool m_postgres = false;
    QString m_where; // the SQLite file or the PostgreSQL database
    Money m_orgLimit;
    QMap<QString, Money> m_userLimits;

    // A team with `orgLimit` for the org and `userLimits` for analysts, on
    // the backend of the current data row.
    bool makeTeam(Money orgLimit, const QMap<QString, Money> &userLimits = {})
    {
        m_orgLimit = orgLimit;
        m_userLimits = userLimits;
        QFETCH_GLOBAL(bool, postgres);
        m_postgres = postgres;
        if (!m_postgres) {
            m_where = m_dir.filePath(QStringLiteral("ledger%1.sqlite").arg(++m_teams));
            return true;
        }
        m_where = QStringLiteral("contract%1").arg(++m_teams);
        const auto created = createTeamDatabase(*m_server, m_where,
                                                {QStringLiteral("alice"), QStringLiteral("bob"),
                                                 QStringLiteral("carol")},
                                                QStringLiteral("owner"));
        if (!created) {
            qWarning() << created.error();
            return false;
        }
        auto owner = TeamLedger::open(m_server->teamServer(m_where, QStringLiteral("owner")));
        if (!owner || !(*owner)->setLimit(ScopeLevel::Org, {}, orgLimit))
            return false;
        for (auto it = userLimits.cbegin(); it != userLimits.cend(); ++it) {
            if (!(*owner)->setLimit(ScopeLevel::User, it.key(), it.value()))
                return false;
        }
        return true;
    }
    // Each call a desktop of its own: its own connection.
    Desk desk(const QString &analyst)
    {
        Desk desk;
        if (m_postgres) {
            auto team = TeamLedger::open(m_server->teamServer(m_where, analyst));
            if (team)
                desk.ledger = std::move(team).value();
            else
                qWarning() << team.error().message;
            return desk;
        }
        auto file = SpendLedger::open(m_where);
        if (!file) {
            qWarning() << file.error().message;
            return desk;
        }
        desk.file = std::move(file).value();
        BudgetPolicy policy;
        policy.setLimit(ScopeLevel::Org, m_orgLimit);
        if (m_userLimits.contains(analyst))
            policy.setLimit(ScopeLevel::User, m_userLimits.value(analyst));
        desk.ledger = std::make_unique<LocalLedger>(*desk.file, QStringLiteral("team"), analyst, policy);
        return desk;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(!PostgresServer::binDir().isEmpty(), "postgresql-15 is not installed; run scripts/setup");
        auto server = PostgresServer::start();
        QVERIFY2(server, server ? "" : qPrintable(server.error()));
        m_server = std::move(server).value();
        const auto roles = m_server->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE ROLE alice LOGIN"),
                                                                       QStringLiteral("CREATE ROLE bob LOGIN"),
                                                                       QStringLiteral("CREATE ROLE carol LOGIN"),
                                                                       QStringLiteral("CREATE ROLE owner LOGIN")});
        QVERIFY2(roles, roles ? "" : qPrintable(roles.error()));
    }

    void initTestCase_data()
    {
        QTest::addColumn<bool>("postgres");
        QTest::newRow("sqlite") << false;
        QTest::newRow("postgresql") << true;
    }

    void aReservationPastTheLimitIsRefusedNamingTheScope()
    {
        QVERIFY(makeTeam(cents(100)));
        Desk alice = desk(QStringLiteral("alice"));
        Desk bob = desk(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        const auto granted = alice->reserve(holdRequest(QStringLiteral("a"), cents(60)));
        QVERIFY(granted && granted->hold);
        const auto refused = bob->reserve(holdRequest(QStringLiteral("b"), cents(50)));
        QVERIFY(refused && refused->refusal);
        QCOMPARE(refused->refusal->level, ScopeLevel::Org);
        QCOMPARE(refused->refusal->limit - refused->refusal->used, cents(40));
        const auto zero = bob->reserve(holdRequest(QStringLiteral("z"), Money()));
        QVERIFY(!zero);
        QCOMPARE(zero.error().kind, TeamError::Kind::Invalid);
    }

    void reserveAndSettleAreIdempotentByKey()
    {
        QVERIFY(makeTeam(cents(100)));
        Desk alice = desk(QStringLiteral("alice"));
        QVERIFY(alice);
        const auto first = alice->reserve(holdRequest(QStringLiteral("k"), cents(10)));
        const auto again = alice->reserve(holdRequest(QStringLiteral("k"), cents(10)));
        QVERIFY(first && first->hold && again && again->hold);
        QCOMPARE(again->hold->id, first->hold->id);
        const auto settled = alice->settle(first->hold->id, QStringLiteral("k"), cents(4));
        const auto twice = alice->settle(first->hold->id, QStringLiteral("k"), cents(4));
        QVERIFY(settled && twice);
        QCOMPARE(settled->outcome, TeamSettlement::Outcome::Settled);
        QCOMPARE(twice->outcome, TeamSettlement::Outcome::AlreadySettled);
        QCOMPARE(twice->cost, cents(4));
        const auto afterwards = alice->reserve(holdRequest(QStringLiteral("k"), cents(10)));
        QVERIFY(afterwards && afterwards->alreadySettled && !afterwards->hold);
        const auto status = alice->status();
        QVERIFY(status);
        QCOMPARE(scopeOf(*status, ScopeLevel::Org)->used, cents(4));
        QCOMPARE(scopeOf(*status, ScopeLevel::Org)->held, Money());
        const auto unknown = alice->settle(first->hold->id, QStringLiteral("other"), cents(1));
        QVERIFY(unknown);
        QCOMPARE(unknown->outcome, TeamSettlement::Outcome::UnknownHold);
        QCOMPARE(alice->status()->scopes.first().used, cents(4));
    }

    void aReleaseGivesTheMoneyBackOnce()
    {
        QVERIFY(makeTeam(cents(100)));
        Desk alice = desk(QStringLiteral("alice"));
        QVERIFY(alice);
        const auto big = alice->reserve(holdRequest(QStringLiteral("big"), cents(90)));
        QVERIFY(big && big->hold);
        QVERIFY(alice->reserve(holdRequest(QStringLiteral("more"), cents(20)))->refusal);
        QCOMPARE(*alice->release(big->hold->id), true);
        QCOMPARE(*alice->release(big->hold->id), false);
        QVERIFY(alice->reserve(holdRequest(QStringLiteral("after"), cents(20)))->hold);
    }

    void aLapsedHoldIsChargedInFullOnceAndALateSettleLowersIt()
    {
        QVERIFY(makeTeam(cents(100)));
        Desk alice = desk(QStringLiteral("alice"));
        QVERIFY(alice);
        const auto held = alice->reserve(holdRequest(QStringLiteral("lapses"), cents(30), 1));
        QVERIFY(held && held->hold);
        QTest::qWait(1300);
        QCOMPARE(*alice->chargeLapsed(), 1);
        QCOMPARE(*alice->chargeLapsed(), 0);
        QCOMPARE(scopeOf(*alice->status(), ScopeLevel::Org)->used, cents(30));
        const auto late = alice->settle(held->hold->id, QStringLiteral("lapses"), cents(10));
        QVERIFY(late);
        QCOMPARE(late->outcome, TeamSettlement::Outcome::LapseLowered);
        const auto status = alice->status();
        QCOMPARE(scopeOf(*status, ScopeLevel::Org)->used, cents(10));
        QCOMPARE(scopeOf(*status, ScopeLevel::Org)->held, Money());
    }

    void aGrowingHoldIsCheckedAndAPartSettleLowersIt()
    {
        QVERIFY(makeTeam(cents(100)));
        Desk alice = desk(QStringLiteral("alice"));
        QVERIFY(alice);
        const auto held = alice->reserve(holdRequest(QStringLiteral("lease"), cents(50)));
        QVERIFY(held && held->hold);
        const QString id = held->hold->id;
        QVERIFY(alice->adjust(id, cents(120), 60)->refusal);
        QVERIFY(alice->adjust(id, cents(80), 60)->hold);
        const auto part = alice->settlePart(id, QStringLiteral("lease/1"), cents(30));
        QVERIFY(part);
        QCOMPARE(part->settled.outcome, TeamSettlement::Outcome::Settled);
        QCOMPARE(part->stillHeld, cents(50));
        const auto again = alice->settlePart(id, QStringLiteral("lease/1"), cents(30));
        QVERIFY(again);
        QCOMPARE(again->settled.outcome, TeamSettlement::Outcome::AlreadySettled);
        const auto status = alice->status();
        QCOMPARE(scopeOf(*status, ScopeLevel::Org)->used, cents(80));
        QCOMPARE(scopeOf(*status, ScopeLevel::Org)->held, cents(50));
        QVERIFY(alice->adjust(id, Money(), 60)->hold); // a shrink is never refused
        const auto gone = alice->adjust(QUuid::createUuid().toString(QUuid::WithoutBraces), cents(1), 60);
        QVERIFY(gone && !gone->hold && !gone->refusal);
    }

    // Spend nothing covered stops the org's scope for everyone this period.
    void aSettleAboveItsHoldStopsTheOrgsScope()
    {
        QVERIFY(makeTeam(cents(100)));
        Desk alice = desk(QStringLiteral("alice"));
        Desk bob = desk(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        const auto held = alice->reserve(holdRequest(QStringLiteral("over"), cents(10)));
        QVERIFY(held && held->hold);
        QCOMPARE(alice->settle(held->hold->id, QStringLiteral("over"), cents(30))->outcome,
                 TeamSettlement::Outcome::Settled);
        const auto refused = bob->reserve(holdRequest(QStringLiteral("next"), cents(1)));
        QVERIFY(refused && refused->refusal);
        QCOMPARE(refused->refusal->level, ScopeLevel::Org);
        QVERIFY(refused->refusal->used >= refused->refusal->limit);
        const auto status = bob->status();
        QVERIFY(status);
        QCOMPARE(scopeOf(*status, ScopeLevel::Org)->used, cents(30));
        QVERIFY(scopeOf(*status, ScopeLevel::Org)->stopped);
    }

    void eachThresholdReachedIsRecordedOnce()
    {
        QVERIFY(makeTeam(cents(100)));
        Desk alice = desk(QStringLiteral("alice"));
        Desk bob = desk(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        const auto spend = [](Desk &d, const QString &key, Money amount) {
            const auto held = d->reserve(holdRequest(key, amount));
            return held && held->hold && d->settle(held->hold->id, key, amount);
        };
        QVERIFY(spend(alice, QStringLiteral("a1"), cents(70)));
        QCOMPARE(bob->alerts()->size(), 0);
        QVERIFY(spend(bob, QStringLiteral("b1"), cents(10)));
        QVERIFY(spend(bob, QStringLiteral("b2"), cents(5)));
        QVERIFY(spend(alice, QStringLiteral("a2"), cents(8)));
        const auto alerts = alice->alerts();
        QVERIFY(alerts);
        QCOMPARE(alerts->size(), 2);
        QCOMPARE(alerts->at(0).state, BudgetState::Warned);
        QCOMPARE(alerts->at(1).state, BudgetState::Degraded);
        for (const TeamAlertRecord &alert : *alerts) {
            QCOMPARE(alert.level, ScopeLevel::Org);
            QCOMPARE(alert.limit, cents(100));
        }
    }

    // When several scopes have no room, the refusal names the one with the
    // least left: what the analyst could still ask for.
    void aRefusalNamesTheScopeWithTheLeastLeft()
    {
        QVERIFY(makeTeam(cents(100), {{QStringLiteral("alice"), cents(20)}}));
        Desk alice = desk(QStringLiteral("alice"));
        Desk bob = desk(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        QVERIFY(bob->reserve(holdRequest(QStringLiteral("b"), cents(70)))->hold);
        const auto refused = alice->reserve(holdRequest(QStringLiteral("a"), cents(40)));
        QVERIFY(refused && refused->refusal);
        QCOMPARE(refused->refusal->level, ScopeLevel::User);
        QCOMPARE(refused->refusal->limit - refused->refusal->used, cents(20));
        const auto org = bob->reserve(holdRequest(QStringLiteral("b2"), cents(35)));
        QVERIFY(org && org->refusal); // bob has no limit of his own
        QCOMPARE(org->refusal->level, ScopeLevel::Org);
        QCOMPARE(org->refusal->limit - org->refusal->used, cents(30));
    }

    // A key is the analyst's own: another analyst's key neither gives their
    // hold back nor says "already settled".
    void keysAreEachAnalystsOwn()
    {
        QVERIFY(makeTeam(cents(100)));
        Desk alice = desk(QStringLiteral("alice"));
        Desk bob = desk(QStringLiteral("bob"));
        QVERIFY(alice && bob);
        const auto hers = alice->reserve(holdRequest(QStringLiteral("shared"), cents(10)));
        QVERIFY(hers && hers->hold);
        const auto his = bob->reserve(holdRequest(QStringLiteral("shared"), cents(10)));
        QVERIFY(his && his->hold);
        QVERIFY(his->hold->id != hers->hold->id);
        QCOMPARE(bob->reserve(holdRequest(QStringLiteral("shared"), cents(10)))->hold->id, his->hold->id);
        QCOMPARE(alice->settle(hers->hold->id, QStringLiteral("shared"), cents(5))->outcome,
                 TeamSettlement::Outcome::Settled);
        const auto bobs = bob->settle(his->hold->id, QStringLiteral("shared"), cents(7));
        QVERIFY(bobs);
        QCOMPARE(bobs->outcome, TeamSettlement::Outcome::Settled);
        QCOMPARE(bobs->cost, cents(7));
        // Nor may one settle or release the other's hold.
        QCOMPARE(bob->settle(hers->hold->id, QStringLiteral("steal"), cents(1))->outcome,
                 TeamSettlement::Outcome::UnknownHold);
        QCOMPARE(scopeOf(*alice->status(), ScopeLevel::Org)->used, cents(12));
    }

    // Spend that happened is never hidden: a late settle above its lapsed
    // hold's charge replaces it and is a breach.
    void aLateSettleAboveItsLapsedHoldIsRecordedAndStops()
    {
        QVERIFY(makeTeam(cents(100)));
        Desk alice = desk(QStringLiteral("alice"));
        QVERIFY(alice);
        const auto held = alice->reserve(holdRequest(QStringLiteral("late"), cents(30), 1));
        QVERIFY(held && held->hold);
        QTest::qWait(1300);
        QCOMPARE(*alice->chargeLapsed(), 1);
        QVERIFY(alice->settle(held->hold->id, QStringLiteral("late"), cents(50)));
        const auto status = alice->status();
        QCOMPARE(scopeOf(*status, ScopeLevel::Org)->used, cents(50));
        QVERIFY(scopeOf(*status, ScopeLevel::Org)->stopped);
    }

    // A hold alone may reach a threshold: it is recorded then, and stays
    // recorded when the hold is given back.
    void aThresholdReachedByAHoldIsRecorded()
    {
        QVERIFY(makeTeam(cents(100)));
        Desk alice = desk(QStringLiteral("alice"));
        QVERIFY(alice);
        const auto held = alice->reserve(holdRequest(QStringLiteral("big"), cents(95)));
        QVERIFY(held && held->hold);
        QVERIFY(*alice->release(held->hold->id));
        const auto alerts = alice->alerts();
        QVERIFY(alerts);
        QCOMPARE(alerts->size(), 2);
        QCOMPARE(alerts->at(0).state, BudgetState::Warned);
        QCOMPARE(alerts->at(1).state, BudgetState::Degraded);
    }

    // Three desktops at once, each on its own connection and thread, on
    // a $1 limit: whatever the interleaving, settled spend never passes it
    // and no hold is left.
    void threeDesktopsAtOnceNeverSettlePastTheLimit()
    {
        QVERIFY(makeTeam(cents(100)));
        std::atomic<int> errors = 0;
        std::atomic<int> granted = 0;
        QList<QThread *> threads;
        for (const char *analyst : {"alice", "bob", "carol"}) {
            const QString name = QString::fromLatin1(analyst);
            threads << QThread::create([this, name, &errors, &granted] {
                Desk d = desk(name);
                if (!d) {
                    ++errors;
                    return;
                }
                for (int i = 0; i < 60; ++i) {
                    const QString key = name + QLatin1Char('-') + QString::number(i);
                    const auto held = d->reserve(holdRequest(key, cents(1 + QRandomGenerator::global()->bounded(6))));
                    if (!held) {
                        ++errors;
                        continue;
                    }
                    if (!held->hold)
                        continue;
                    ++granted;
                    // A cent, never above what was held: every settle keeps the
                    // invariant, so only the reservations guard the limit.
                    const auto settled = d->settle(held->hold->id, key, cents(1));
                    if (!settled || settled->outcome != TeamSettlement::Outcome::Settled)
                        ++errors;
                }
            });
        }
        for (QThread *thread : std::as_const(threads))
            thread->start();
        for (QThread *thread : std::as_const(threads)) {
            QVERIFY(thread->wait(120'000));
            delete thread;
        }
        QCOMPARE(errors.load(), 0);
        QVERIFY(granted > 30);
        Desk alice = desk(QStringLiteral("alice"));
        const auto status = alice->status();
        QVERIFY(status);
        const TeamScopeStatus *org = scopeOf(*status, ScopeLevel::Org);
        QVERIFY2(org->used <= cents(100), qPrintable(org->used.toString()));
        QCOMPARE(org->used, cents(granted.load())); // each hold settled once, for a cent
        QCOMPARE(org->held, Money());
    }
};

QTEST_GUILESS_MAIN(TestLedgerContract)
#include "tst_ledgercontract.moc"
