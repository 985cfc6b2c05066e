#include "LedgerAtVersion.h"
#include "budget/LedgerSchema.h"
#include "budget/SpendLedger.h"
#include "pipeline/RunHistory.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QMutex>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

LedgerEntry makeEntry(const QString &key, qint64 nanos, qint64 ms = 1'700'000'000'000)
{
    LedgerEntry e;
    e.idempotencyKey = key;
    e.runId = u"run-1"_s;
    e.step = key;
    e.scopes = BudgetScopes::of(u"org"_s, u"alice"_s, u"s1"_s, u"run-1"_s);
    e.charge.kind = ChargeKind::Llm;
    e.charge.resource = u"command-r-08-2024"_s;
    e.charge.inputTokens = 10;
    e.charge.outputTokens = 5;
    e.charge.cost = Money::fromNanos(nanos);
    e.time = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
    return e;
}

QString pragma(const QString &path, const QString &name)
{
    const QString connection = u"tst.pragma"_s;
    QString value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"PRAGMA "_s + name) && q.next())
                value = q.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return value;
}

} // namespace

class TestSpendLedger : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(u"ledger%1.sqlite"_s.arg(++m_n)); }

private Q_SLOTS:
    // Threads that open a ledger, write and close it, all at once on one
    // file, as the API's requests do, starting from a file that does not
    // exist yet: every open succeeds. Two connections turning a new file to
    // WAL at once both hold a shared lock and want an exclusive one; SQLite
    // answers one of them SQLITE_BUSY at once (no busy timeout can help a
    // deadlock), and bench_api's first requests saw "journal_mode failed:
    // database is locked".
    void concurrentFirstOpensNeverFail()
    {
        std::atomic<int> failures = 0;
        std::atomic<int> opens = 0;
        QString firstError;
        QMutex errorLock;
        for (int round = 0; round < 30; ++round) {
            const QString path = freshPath();
            QList<QThread *> threads;
            for (int t = 0; t < 8; ++t) {
                threads << QThread::create([&, t] {
                    for (int i = 0; i < 5; ++i) {
                        auto ledger = SpendLedger::open(path);
                        ++opens;
                        const bool ok = ledger
                                        && (i % 2 == 0
                                                ? bool((*ledger)->insertEntry(makeEntry(u"t%1-%2"_s.arg(t).arg(i), 1)))
                                                : bool((*ledger)->entryCount()));
                        if (ok)
                            continue;
                        ++failures;
                        QMutexLocker locked(&errorLock);
                        if (firstError.isEmpty())
                            firstError = ledger ? u"a write or read"_s : ledger.error().message;
                    }
                });
            }
            for (QThread *thread : std::as_const(threads))
                thread->start();
            for (QThread *thread : std::as_const(threads)) {
                QVERIFY(thread->wait(60'000));
                delete thread;
            }
        }
        QVERIFY2(failures == 0,
                 qPrintable(
                     u"%1 of %2 opens failed; first: %3"_s.arg(failures.load()).arg(opens.load()).arg(firstError)));
    }

    void opensWithWalAndLatestSchema()
    {
        const QString path = freshPath();
        {
            auto ledger = SpendLedger::open(path);
            QVERIFY2(ledger, qPrintable(ledger ? QString() : ledger.error().message));
            QCOMPARE((*ledger)->schemaVersion(), latestLedgerVersion());
        }
        QCOMPARE(pragma(path, u"journal_mode"_s), u"wal"_s);
        QCOMPARE(pragma(path, u"user_version"_s).toInt(), latestLedgerVersion());
    }

    void refusesANewerSchema()
    {
        const QString path = freshPath();
        {
            QVERIFY(SpendLedger::open(path));
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst.bump"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA user_version=%1"_s.arg(latestLedgerVersion() + 1)));
        }
        QSqlDatabase::removeDatabase(u"tst.bump"_s);
        auto ledger = SpendLedger::open(path);
        QVERIFY(!ledger);
        QVERIFY(ledger.error().message.contains(u"newer"_s));
    }

    void migratesAnOlderSchemaOnOpen()
    {
        // A version-0 file (empty database) gets every migration.
        const QString path = freshPath();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst.v0"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE unrelated (x)"_s));
        }
        QSqlDatabase::removeDatabase(u"tst.v0"_s);
        auto ledger = SpendLedger::open(path);
        QVERIFY(ledger);
        QCOMPARE((*ledger)->schemaVersion(), latestLedgerVersion());
        QVERIFY((*ledger)->insertEntry(makeEntry(u"a"_s, 5)));
    }

    // Version 6 (issue 23): a version-4 history keeps its runs, which say
    // nothing was uploaded and no internet was allowed; new runs record both.
    void version4RunsSurviveTheUploadColumns()
    {
        const QString path = freshPath();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"tst.v4"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            const QString failed = makeLedgerAtVersion(q, 4);
            QVERIFY2(failed.isEmpty(), qPrintable(failed));
            QVERIFY(q.exec(u"INSERT INTO runs (run_id, started_ms, session_key, code, code_hash, language, verdict,"
                           " findings, decided_by, confirmed, model, model_reason, sandbox, duration_ms,"
                           " llm_cost_nanos, sandbox_cost_nanos, outcome, budget_before, budget_after, message)"
                           " VALUES ('old', 1700000000000, 's', 'SELECT 1', 'h', 'sql', 'safe', '[]', 'local rules',"
                           " 0, '', '', 'e2b', 5, 0, 0, 'ok', 'active', 'active', '')"_s));
        }
        QSqlDatabase::removeDatabase(u"tst.v4"_s);
        auto ledger = SpendLedger::open(path);
        QVERIFY(ledger);
        QCOMPARE((*ledger)->schemaVersion(), latestLedgerVersion());
        RunHistory history(**ledger);
        auto old = history.find(u"old"_s);
        QVERIFY(old && *old);
        QVERIFY((**old).uploadedFiles.isEmpty());
        QVERIFY(!(**old).internet);

        RunRecord next = **old;
        next.runId = u"new"_s;
        next.started = next.started.addSecs(1);
        next.uploadedFiles = QStringList{u"/home/analyst/shop.db"_s, u"/home/analyst/b, c.db"_s};
        next.internet = true;
        QVERIFY(history.record(next));
        auto back = history.find(u"new"_s);
        QVERIFY(back && *back);
        QCOMPARE((**back).uploadedFiles, next.uploadedFiles);
        QVERIFY((**back).internet);
        const QJsonObject json = RunHistory::toJson({**back}).first().toObject();
        QCOMPARE(json.value(u"uploadedFiles"_s).toArray().size(), 2);
        QCOMPARE(json.value(u"internet"_s), QJsonValue(true));
    }

    void insertIsIdempotentByKey()
    {
        auto ledger = SpendLedger::open(freshPath());
        QVERIFY(ledger);
        auto first = (*ledger)->insertEntry(makeEntry(u"k"_s, 1000));
        QVERIFY(first && first->inserted);
        auto second = (*ledger)->insertEntry(makeEntry(u"k"_s, 9999));
        QVERIFY(second);
        QVERIFY(!second->inserted);
        QCOMPARE(second->entry.charge.cost.nanos(), 1000); // the first one stands
        QCOMPARE(*(*ledger)->entryCount(), 1);
        QCOMPARE((*ledger)->totalSettled()->nanos(), 1000);
        QVERIFY(*(*ledger)->aggregatesMatchEntries());
    }

    void settledSumsByScopeAndTime()
    {
        auto ledger = SpendLedger::open(freshPath());
        QVERIFY(ledger);
        const qint64 t0 = 1'700'000'000'000;
        QVERIFY((*ledger)->insertEntry(makeEntry(u"a"_s, 100, t0)));
        QVERIFY((*ledger)->insertEntry(makeEntry(u"b"_s, 200, t0 + 3'600'000)));
        LedgerEntry other = makeEntry(u"c"_s, 400, t0);
        other.scopes = BudgetScopes::of(u"org"_s, u"bob"_s);
        QVERIFY((*ledger)->insertEntry(other));

        QCOMPARE((*ledger)->settled(ScopeLevel::Org, u"org"_s, 0, t0 * 2)->nanos(), 700);
        QCOMPARE((*ledger)->settled(ScopeLevel::User, u"alice"_s, 0, t0 * 2)->nanos(), 300);
        QCOMPARE((*ledger)->settled(ScopeLevel::User, u"bob"_s, 0, t0 * 2)->nanos(), 400);
        // [t0 + 1h, ...) holds only b.
        QCOMPARE((*ledger)->settled(ScopeLevel::User, u"alice"_s, t0 + 3'600'000, t0 * 2)->nanos(), 200);
        QCOMPARE((*ledger)->settled(ScopeLevel::Session, u"nobody"_s, 0, t0 * 2)->nanos(), 0);
        QCOMPARE((*ledger)->settled(ScopeLevel::Session, u""_s, 0, t0 * 2)->nanos(), 0); // bob has no session
        QVERIFY(*(*ledger)->aggregatesMatchEntries());
    }

    void reservationsCountUntilTheyExpire()
    {
        auto ledger = SpendLedger::open(freshPath());
        QVERIFY(ledger);
        Reservation r;
        r.id = u"r1"_s;
        r.idempotencyKey = u"k1"_s;
        r.scopes = BudgetScopes::of(u"org"_s);
        r.amount = Money::fromNanos(500);
        r.created = QDateTime::fromMSecsSinceEpoch(1000, QTimeZone::utc());
        r.expires = QDateTime::fromMSecsSinceEpoch(2000, QTimeZone::utc());
        QVERIFY((*ledger)->insertReservation(r));
        QCOMPARE((*ledger)->reserved(ScopeLevel::Org, u"org"_s, 1999)->nanos(), 500);
        QCOMPARE((*ledger)->reserved(ScopeLevel::Org, u"org"_s, 2000)->nanos(), 0);
        auto found = (*ledger)->findReservation(u"r1"_s);
        QVERIFY(found && *found);
        QCOMPARE((*found)->amount.nanos(), 500);
        QCOMPARE((*ledger)->chargeLapsedReservations(1999)->size(), 0);
        QCOMPARE((*ledger)->chargeLapsedReservations(2000)->size(), 1); // charged in full, not dropped
        QVERIFY(!*(*ledger)->findReservation(u"r1"_s));
        QCOMPARE((*ledger)->settled(ScopeLevel::Org, u"org"_s, 0, 3000)->nanos(), 500);
    }

    void negativeFiguresNeverReachTheFile()
    {
        auto ledger = SpendLedger::open(freshPath());
        QVERIFY(ledger);
        LedgerEntry e = makeEntry(u"neg"_s, -5);
        e.charge.inputTokens = -10;
        e.charge.durationMs = -3;
        auto inserted = (*ledger)->insertEntry(e);
        QVERIFY(inserted);
        auto stored = (*ledger)->findEntry(u"neg"_s);
        QVERIFY(stored && *stored);
        QCOMPARE((*stored)->charge.cost.nanos(), 0);
        QCOMPARE((*stored)->charge.inputTokens, 0);
        QCOMPARE((*stored)->charge.durationMs, 0);
    }

    void failedTransactionRollsBack()
    {
        auto ledger = SpendLedger::open(freshPath());
        QVERIFY(ledger);
        auto result = (*ledger)->writeTransaction([&]() -> Expected<Done, LedgerError> {
            if (auto r = (*ledger)->insertEntry(makeEntry(u"x"_s, 10)); !r)
                return unexpected(r.error());
            return unexpected(LedgerError{u"stop"_s});
        });
        QVERIFY(!result);
        QCOMPARE(*(*ledger)->entryCount(), 0);
        QVERIFY(*(*ledger)->aggregatesMatchEntries());
    }

    void alertsAreRecordedOnce()
    {
        auto ledger = SpendLedger::open(freshPath());
        QVERIFY(ledger);
        QCOMPARE(*(*ledger)->recordAlert(ScopeLevel::Org, u"org"_s, 100, u"warned"_s, 5), true);
        QCOMPARE(*(*ledger)->recordAlert(ScopeLevel::Org, u"org"_s, 100, u"warned"_s, 6), false);
        QCOMPARE(*(*ledger)->recordAlert(ScopeLevel::Org, u"org"_s, 200, u"warned"_s, 7), true);
    }

    void relaxedCommitsRestoreFullSync()
    {
        auto ledger = SpendLedger::open(freshPath());
        QVERIFY(ledger);
        QCOMPARE((*ledger)->synchronousMode(), 2); // FULL
        Reservation r;
        r.id = u"r"_s;
        r.idempotencyKey = u"k"_s;
        r.amount = Money::fromNanos(1);
        r.created = r.expires = QDateTime::currentDateTimeUtc();
        auto done = (*ledger)->writeTransaction([&] { return (*ledger)->insertReservation(r); },
                                                SpendLedger::Durability::UntilNextFullCommit);
        QVERIFY(done);
        QCOMPARE((*ledger)->synchronousMode(), 2);
        auto failed = (*ledger)->writeTransaction([&] { return (*ledger)->insertReservation(r); }, // duplicate id
                                                  SpendLedger::Durability::UntilNextFullCommit);
        QVERIFY(!failed);
        QCOMPARE((*ledger)->synchronousMode(), 2);
    }

    void integrityCheckPasses()
    {
        auto ledger = SpendLedger::open(freshPath());
        QVERIFY(ledger);
        QCOMPARE(*(*ledger)->integrityCheck(), u"ok"_s);
    }
};

QTEST_GUILESS_MAIN(TestSpendLedger)
#include "tst_spendledger.moc"
