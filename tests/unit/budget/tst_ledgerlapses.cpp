// SpendLedger's holds that lapse unsettled: charged in full as an entry that
// names its hold, exactly once however many connections see the lapse at
// once, and a version-4 ledger migrates to the schema that records them.
#include "LedgerAtVersion.h"
#include "budget/LedgerSchema.h"
#include "budget/SpendLedger.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <atomic>
#include <barrier>
#include <thread>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kNow = 1'800'000'000'000; // 2027-01-15

Reservation hold(int n, qint64 expiresMs, ChargeKind kind = ChargeKind::Sandbox)
{
    Reservation r;
    r.id = u"hold-%1"_s.arg(n);
    r.idempotencyKey = u"key-%1"_s.arg(n);
    r.runId = u"run-%1"_s.arg(n % 7);
    r.step = kind == ChargeKind::Sandbox ? u"e2b-sandbox"_s : u"classify"_s;
    r.scopes = BudgetScopes::of(u"acme"_s, n % 2 ? u"alice"_s : u"bob"_s, u"s%1"_s.arg(n % 3),
                                n % 5 ? QString() : u"task-%1"_s.arg(n));
    r.amount = Money::fromNanos(1000 + n);
    r.created = QDateTime::fromMSecsSinceEpoch(expiresMs - 600'000, QTimeZone::utc());
    r.expires = QDateTime::fromMSecsSinceEpoch(expiresMs, QTimeZone::utc());
    r.kind = kind;
    r.resource = kind == ChargeKind::Sandbox ? u"e2b"_s : u"command-r-08-2024"_s;
    return r;
}

qint64 count(SpendLedger &ledger, const QString &sql)
{
    QSqlQuery q(ledger.database());
    if (!q.exec(sql) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

} // namespace

class TestLedgerLapses : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(u"ledger%1.sqlite"_s.arg(++m_n)); }

private Q_SLOTS:
    void aLapsedHoldBecomesAChargeOfItsFullAmount()
    {
        auto opened = SpendLedger::open(freshPath());
        QVERIFY(opened);
        SpendLedger &ledger = **opened;
        const Reservation lapsing = hold(5, kNow - 1);
        const Reservation live = hold(6, kNow + 1, ChargeKind::Llm);
        QVERIFY(ledger.insertReservation(lapsing));
        QVERIFY(ledger.insertReservation(live));

        const auto charged = ledger.chargeLapsedReservations(kNow);
        QVERIFY(charged);
        QCOMPARE(charged->size(), 1);
        const LedgerEntry &e = charged->first();
        QVERIFY(e.chargedOnLapse());
        QCOMPARE(e.lapsedHold, lapsing.id);
        QCOMPARE(e.runId, lapsing.runId);
        QCOMPARE(e.step, lapsing.step);
        QVERIFY(e.scopes.keys == lapsing.scopes.keys);
        QCOMPARE(e.charge.kind, ChargeKind::Sandbox);
        QCOMPARE(e.charge.resource, u"e2b"_s);
        QCOMPARE(e.charge.cost, lapsing.amount);
        QCOMPARE(e.reserved, lapsing.amount);
        QCOMPARE(e.time, lapsing.expires); // in the period that held it

        // Gone from the holds, in every scope's spend, and stored as it was returned.
        QVERIFY(!*ledger.findReservation(lapsing.id));
        QVERIFY(*ledger.findReservation(live.id));
        for (ScopeLevel level : kScopeLevels) {
            if (lapsing.scopes.key(level).isEmpty())
                continue;
            QCOMPARE(*ledger.settled(level, lapsing.scopes.key(level), 0, kNow + 1), lapsing.amount);
            QCOMPARE(*ledger.chargedOnLapse(level, lapsing.scopes.key(level), 0, kNow + 1), lapsing.amount);
        }
        const auto stored = ledger.findEntry(e.idempotencyKey);
        QVERIFY(stored && *stored);
        QCOMPARE((*stored)->lapsedHold, lapsing.id);
        QCOMPARE((*ledger.lapseCharge(lapsing.id))->id, e.id);
        QVERIFY(!*ledger.lapseCharge(live.id));
        QVERIFY(!*ledger.lapseCharge(QString()));

        // Seen again (the same moment or later): nothing more.
        QCOMPARE(ledger.chargeLapsedReservations(kNow)->size(), 0);
        QCOMPARE(*ledger.entryCount(), 1);
        QVERIFY(!*ledger.hasLapsedReservations(kNow));
        QVERIFY(*ledger.hasLapsedReservations(kNow + 1));
        QVERIFY(*ledger.aggregatesMatchEntries());
    }

    void aHoldWithNothingLeftLapsesWithoutAnEntry()
    {
        auto ledger = SpendLedger::open(freshPath());
        QVERIFY(ledger);
        Reservation empty = hold(1, kNow - 1);
        empty.amount = Money();
        QVERIFY((*ledger)->insertReservation(empty));
        QCOMPARE((*ledger)->chargeLapsedReservations(kNow)->size(), 0);
        QVERIFY(!*(*ledger)->findReservation(empty.id));
        QCOMPARE(*(*ledger)->entryCount(), 0);
    }

    void aHoldHeldAgainAndLapsingAgainIsChargedAgain()
    {
        auto ledger = SpendLedger::open(freshPath());
        QVERIFY(ledger);
        Reservation r = hold(1, kNow - 10);
        QVERIFY((*ledger)->insertReservation(r));
        QCOMPARE((*ledger)->chargeLapsedReservations(kNow)->size(), 1);
        r.expires = QDateTime::fromMSecsSinceEpoch(kNow + 10, QTimeZone::utc());
        QVERIFY((*ledger)->insertReservation(r));
        QCOMPARE((*ledger)->chargeLapsedReservations(kNow + 10)->size(), 1);
        QCOMPARE(*(*ledger)->entryCount(), 2);
        QCOMPARE((*(*ledger)->lapseCharge(r.id))->time, r.expires); // the newest
    }

    void loweringAChargeOnLapseKeepsTheAggregates()
    {
        auto opened = SpendLedger::open(freshPath());
        QVERIFY(opened);
        SpendLedger &ledger = **opened;
        const Reservation r = hold(10, kNow - 1);
        QVERIFY(ledger.insertReservation(r));
        const LedgerEntry charge = ledger.chargeLapsedReservations(kNow)->first();
        QVERIFY(ledger.lowerLapseCharge(charge, Money::fromNanos(400)));
        QCOMPARE(*ledger.settled(ScopeLevel::Org, u"acme"_s, 0, kNow), r.amount - Money::fromNanos(400));
        QVERIFY(*ledger.aggregatesMatchEntries());
        // Never below zero, and only a charge on lapse.
        const LedgerEntry now = **ledger.lapseCharge(r.id);
        QVERIFY(!ledger.lowerLapseCharge(now, now.charge.cost + Money::fromNanos(1)));
        LedgerEntry settledStep = now;
        settledStep.lapsedHold.clear();
        QVERIFY(!ledger.lowerLapseCharge(settledStep, Money::fromNanos(1)));
        QVERIFY(ledger.lowerLapseCharge(now, now.charge.cost));
        QCOMPARE(*ledger.totalSettled(), Money());
        QVERIFY(*ledger.aggregatesMatchEntries());
    }

    // Two connections (as two processes would) see the same lapsed holds at
    // the same moment: each hold is charged exactly once, whoever wins.
    void concurrentConnectionsChargeEachLapseExactlyOnce()
    {
        const QString path = freshPath();
        constexpr int kHolds = 300;
        Money total;
        {
            auto ledger = SpendLedger::open(path);
            QVERIFY(ledger);
            QVERIFY((*ledger)->writeTransaction([&]() -> Expected<Done, LedgerError> {
                for (int n = 0; n < kHolds; ++n) {
                    const Reservation r = hold(n, kNow - 1 - n % 40, n % 3 ? ChargeKind::Sandbox : ChargeKind::Llm);
                    total += r.amount;
                    if (auto done = (*ledger)->insertReservation(r); !done)
                        return done;
                }
                return Done{};
            }));
        }
        std::atomic<int> charged{0};
        std::array<std::atomic<int>, 2> byConnection{};
        std::atomic<int> failures{0};
        // Both start each round together, at the same moment of time, so
        // either may win it; the loser must find nothing left to charge.
        std::barrier round(2);
        auto purger = [&](int id) {
            auto ledger = SpendLedger::open(path);
            if (!ledger)
                ++failures;
            for (qint64 at = kNow - 41; at <= kNow; ++at) {
                round.arrive_and_wait();
                if (!ledger)
                    continue;
                const auto lapsed = (*ledger)->chargeLapsedReservations(at);
                if (!lapsed) {
                    ++failures;
                    continue;
                }
                charged += int(lapsed->size());
                byConnection[size_t(id)] += int(lapsed->size());
            }
        };
        std::thread a(purger, 0);
        std::thread b(purger, 1);
        a.join();
        b.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(charged.load(), kHolds);
        qInfo("two connections charged %d and %d of %d lapsed holds", byConnection[0].load(), byConnection[1].load(),
              kHolds);

        auto ledger = SpendLedger::open(path);
        QVERIFY(ledger);
        QCOMPARE(*(*ledger)->entryCount(), kHolds);
        QCOMPARE(count(**ledger, u"SELECT COUNT(DISTINCT lapsed_hold) FROM entries"_s), kHolds);
        QCOMPARE(count(**ledger, u"SELECT COUNT(*) FROM reservations"_s), 0);
        QCOMPARE(*(*ledger)->totalSettled(), total);
        QCOMPARE(*(*ledger)->settled(ScopeLevel::Org, u"acme"_s, 0, kNow + 1), total);
        QCOMPARE(count(**ledger, u"SELECT COUNT(*) FROM entries WHERE kind = 'llm'"_s), kHolds / 3);
        QVERIFY(*(*ledger)->aggregatesMatchEntries());
        QCOMPARE(*(*ledger)->integrityCheck(), u"ok"_s);
    }

    // A ledger written by the previous SafeCell (schema version 4), with a
    // hold of each kind left by a process that died, and a settled entry.
    void aVersion4LedgerMigratesAndItsLeftHoldsAreCharged()
    {
        const QString path = freshPath();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst.v4"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            const QString failed = makeLedgerAtVersion(q, 4);
            QVERIFY2(failed.isEmpty(), qPrintable(failed));
            const QString insert = u"INSERT INTO reservations (id, idempotency_key, run_id, step, org_key, user_key,"
                                   " session_key, task_key, amount_nanos, created_ms, expires_ms)"
                                   " VALUES ('%1', '%1', 'run-old', '%2', 'acme', 'alice', 's1', '', %3, %4, %5)"_s;
            QVERIFY(
                q.exec(insert.arg(u"sandbox-hold"_s, u"e2b-sandbox"_s).arg(7000).arg(kNow - 600'000).arg(kNow - 5)));
            QVERIFY(q.exec(insert.arg(u"llm-hold"_s, u"classify"_s).arg(3000).arg(kNow - 600'000).arg(kNow - 5)));
            QVERIFY(q.exec(u"INSERT INTO entries (idempotency_key, run_id, step, org_key, user_key, session_key,"
                           " task_key, kind, resource, input_tokens, output_tokens, duration_ms, cost_nanos,"
                           " reserved_nanos, created_ms) VALUES ('old', 'run-old', 'execute', 'acme', 'alice', 's1',"
                           " '', 'sandbox', 'e2b', 0, 0, 10, 500, 600, %1)"_s.arg(kNow - 700'000)));
            const qint64 slot = (kNow - 700'000) / (15 * 60 * 1000);
            QVERIFY(q.exec(u"INSERT INTO spend_slots VALUES (0, 'acme', %1, 500, 1), (1, 'alice', %1, 500, 1),"
                           " (2, 's1', %1, 500, 1)"_s.arg(slot)));
        }
        QSqlDatabase::removeDatabase(u"tst.v4"_s);

        auto opened = SpendLedger::open(path);
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        SpendLedger &ledger = **opened;
        QCOMPARE(ledger.schemaVersion(), latestLedgerVersion());
        QVERIFY(latestLedgerVersion() > 4);
        const auto old = ledger.findEntry(u"old"_s);
        QVERIFY(old && *old);
        QVERIFY(!(*old)->chargedOnLapse());
        QCOMPARE((*old)->charge.cost.nanos(), 500);
        const auto sandbox = ledger.findReservation(u"sandbox-hold"_s);
        QVERIFY(sandbox && *sandbox);
        QCOMPARE((*sandbox)->kind, ChargeKind::Sandbox);
        QCOMPARE((*sandbox)->resource, u"e2b"_s);
        QCOMPARE((**ledger.findReservation(u"llm-hold"_s)).kind, ChargeKind::Llm);

        const auto charged = ledger.chargeLapsedReservations(kNow);
        QVERIFY(charged);
        QCOMPARE(charged->size(), 2);
        QCOMPARE(*ledger.settled(ScopeLevel::Org, u"acme"_s, 0, kNow), Money::fromNanos(10'500));
        QCOMPARE(*ledger.chargedOnLapse(ScopeLevel::User, u"alice"_s, 0, kNow), Money::fromNanos(10'000));
        QCOMPARE((*ledger.lapseCharge(u"sandbox-hold"_s))->charge.kind, ChargeKind::Sandbox);
        QCOMPARE((*ledger.lapseCharge(u"llm-hold"_s))->charge.kind, ChargeKind::Llm);
        QVERIFY(*ledger.aggregatesMatchEntries());
        QCOMPARE(*ledger.integrityCheck(), u"ok"_s);
    }
};

QTEST_GUILESS_MAIN(TestLedgerLapses)
#include "tst_ledgerlapses.moc"
