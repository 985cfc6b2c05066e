// Crash consistency (issue 10.2): `safecell run` and `safecell serve`, both
// running code on FakeE2b (a paid step: reserve, execute, settle, history),
// are killed with SIGKILL at 200 random moments. Afterwards the shared
// ledger passes PRAGMA integrity_check, its aggregates match its entries,
// every run that completed has its charge settled exactly once (none lost,
// none counted twice), the reservations the killed processes left are
// charged in full at their expiry (each once: E2B may have billed their
// sandboxes' whole lifetimes), and the history agrees with the entries.
#include "FakeE2b.h"
#include "SafecellProcess.h"

#include "budget/BudgetController.h"
#include "budget/LedgerLocation.h"
#include "budget/SpendLedger.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>

#include <algorithm>

using namespace safecell;
using safecell::fake::FakeE2b;
using safecell::fake::FakeStep;
using namespace Qt::StringLiterals;

namespace {

constexpr int kKills = 200;
constexpr int kServeKills = 50;      // of which, `safecell serve` with requests in flight
constexpr qint64 kBudgetMs = 330000; // a bound on the whole loop (~80 s here; ASan is slower)

struct Completed {
    QString runId;
    double sandboxUsd = -1; // -1: not reported (the CLI's --json has no cost)
};

} // namespace

class TestCrashConsistency : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_root;
    std::unique_ptr<FakeE2b> m_fake;
    QProcessEnvironment m_env;
    QString m_token;
    QList<Completed> m_completed;
    int m_kills = 0;
    int m_runKills = 0;
    int m_serveKills = 0;
    int m_runsStarted = 0;
    QList<qint64> m_runDurations; // of runs that completed, to aim the kills
    QRandomGenerator m_random{20261126};

    QString writeSnippet(const QString &name, const QByteArray &code)
    {
        QFile file(m_root.filePath(name));
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(code);
        return file.fileName();
    }

    qint64 typicalRunMs() const
    {
        if (m_runDurations.isEmpty())
            return 1500;
        QList<qint64> sorted = m_runDurations;
        std::sort(sorted.begin(), sorted.end());
        return sorted.at(sorted.size() / 2);
    }

    // One `safecell run`, killed at a random moment within its usual
    // duration (or left to finish, when it is faster).
    void runOnce(const QString &snippet)
    {
        QProcess process;
        process.setProcessEnvironment(m_env);
        QSignalSpy finished(&process, &QProcess::finished);
        QElapsedTimer clock;
        clock.start();
        process.start(faulttest::binary(), {u"run"_s, u"--json"_s, u"--timeout-ms"_s, u"5000"_s, snippet});
        ++m_runsStarted;
        const int killAt = int(m_random.bounded(qMax<qint64>(typicalRunMs() * 11 / 10, 50)));
        if (finished.wait(killAt) || !finished.isEmpty()) {
            recordCompletedRun(process, clock.elapsed());
            return;
        }
        process.kill(); // SIGKILL
        process.waitForFinished(10000);
        if (process.exitStatus() == QProcess::CrashExit) {
            ++m_kills;
            ++m_runKills;
        } else {
            recordCompletedRun(process, clock.elapsed()); // it ended just before the signal
        }
    }

    void recordCompletedRun(QProcess &process, qint64 ms)
    {
        if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
            return;
        m_runDurations << ms;
        const QJsonObject body = QJsonDocument::fromJson(process.readAllStandardOutput().trimmed()).object();
        if (!body.value(u"executionId"_s).toString().isEmpty())
            m_completed << Completed{body.value(u"executionId"_s).toString(), -1};
    }

    // One `safecell serve`, sent requests (two at a time) until it is
    // killed at a random moment.
    void serveOnce(QNetworkAccessManager &network)
    {
        QProcess server;
        const QUrl url = faulttest::startServe(server, m_env);
        if (url.isEmpty()) {
            server.kill();
            server.waitForFinished(5000);
            return;
        }
        QElapsedTimer clock;
        clock.start();
        const qint64 killAt = 200 + m_random.bounded(1500);
        QList<QNetworkReply *> inFlight;
        int sent = 0;
        while (clock.elapsed() < killAt) {
            while (inFlight.size() < 2) {
                inFlight << faulttest::postCode(network, url, m_token,
                                                sent++ % 2 ? u"print(\"slow\")"_s : u"print(\"hi\")"_s);
                ++m_runsStarted;
            }
            QTest::qWait(10);
            const QList<QNetworkReply *> current = inFlight;
            for (QNetworkReply *reply : current) {
                if (!reply->isFinished())
                    continue;
                const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
                if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
                    m_completed << Completed{body.value(u"executionId"_s).toString(),
                                             body.value(u"cost"_s).toObject().value(u"sandbox"_s).toDouble()};
                inFlight.removeOne(reply);
                reply->deleteLater();
            }
        }
        server.kill();
        server.waitForFinished(10000);
        ++m_kills;
        ++m_serveKills;
        QTest::qWait(20); // the in-flight replies fail now; their runs did not complete
        for (QNetworkReply *reply : std::as_const(inFlight)) {
            if (reply->isFinished() && reply->error() == QNetworkReply::NoError
                && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200) {
                const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
                m_completed << Completed{body.value(u"executionId"_s).toString(),
                                         body.value(u"cost"_s).toObject().value(u"sandbox"_s).toDouble()};
            }
            if (!reply->isFinished())
                reply->abort();
            reply->deleteLater();
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!faulttest::binary().isEmpty());
        m_fake = std::make_unique<FakeE2b>();
        QVERIFY(m_fake->listen());
        m_fake->setScriptContaining(u"slow"_s,
                                    {FakeStep::out(u"a\n"_s), FakeStep::sleep(150), FakeStep::out(u"b\n"_s)});
        m_env = faulttest::environment(m_root.path(), m_fake->url(), FakeE2b::defaultApiKey(), 1000.0);
        qputenv("SAFECELL_DATA_DIR", m_root.filePath(u"data"_s).toUtf8());
        m_token = faulttest::token(m_env);
        QVERIFY2(!m_token.isEmpty(), "safecell token");
    }

    void killedAtRandomMomentsTheLedgerStaysConsistent()
    {
        const QString quick = writeSnippet(u"quick.py"_s, "print(\"hi\")\n");
        const QString slow = writeSnippet(u"slow.py"_s, "print(\"slow\")\n");
        QNetworkAccessManager network;
        QElapsedTimer clock;
        clock.start();
        int round = 0;
        while (m_kills < kKills && clock.elapsed() < kBudgetMs) {
            if (m_serveKills < kServeKills && round % 4 == 3)
                serveOnce(network);
            else
                runOnce(round % 2 ? slow : quick);
            ++round;
        }
        const qint64 loopMs = clock.elapsed();

        auto ledger = SpendLedger::open(defaultLedgerPath());
        QVERIFY2(ledger, qPrintable(ledger ? QString() : ledger.error().message));
        SpendLedger &db = **ledger;
        const auto integrity = db.integrityCheck();
        QVERIFY(integrity);
        QCOMPARE(*integrity, u"ok"_s);
        const auto aggregates = db.aggregatesMatchEntries();
        QVERIFY(aggregates && *aggregates);

        // No charge counted twice: one settled entry per run and step.
        QSqlQuery q(db.database());
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM (SELECT run_id, step FROM entries WHERE step = 'execute'"
                       " GROUP BY run_id, step HAVING COUNT(*) > 1)"_s)
                && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
        q.finish();

        // No settled charge lost: every completed run has its one entry (and
        // the cost the API reported is the one settled), and its history row.
        int checked = 0;
        for (const Completed &run : std::as_const(m_completed)) {
            const auto entries = db.entriesForRun(run.runId);
            QVERIFY(entries);
            QVERIFY2(entries->size() == 1, qPrintable(u"run %1 has %2 entries"_s.arg(run.runId).arg(entries->size())));
            QCOMPARE(entries->first().step, u"execute"_s);
            if (run.sandboxUsd >= 0)
                QVERIFY2(qAbs(entries->first().charge.cost.usd() - run.sandboxUsd) < 1e-9,
                         qPrintable(u"run %1: settled %2, reported %3"_s.arg(run.runId)
                                        .arg(entries->first().charge.cost.usd())
                                        .arg(run.sandboxUsd)));
            QVERIFY(q.exec(u"SELECT COUNT(*) FROM runs WHERE run_id = '%1'"_s.arg(run.runId)) && q.next());
            QCOMPARE(q.value(0).toInt(), 1);
            q.finish();
            ++checked;
        }

        // The history agrees with the money: a run's recorded sandbox cost is
        // what its entries settled (a run killed between its settle and its
        // history row has an entry and no row, never the reverse).
        QVERIFY(q.exec(u"SELECT r.run_id, r.sandbox_cost_nanos, COALESCE(SUM(e.cost_nanos), 0) FROM runs r"
                       " LEFT JOIN entries e ON e.run_id = r.run_id AND e.kind = 'sandbox'"
                       " GROUP BY r.run_id"_s));
        int historyRows = 0;
        while (q.next()) {
            ++historyRows;
            QVERIFY2(q.value(1).toLongLong() == q.value(2).toLongLong(),
                     qPrintable(u"run %1: history %2, ledger %3"_s.arg(q.value(0).toString())
                                    .arg(q.value(1).toLongLong())
                                    .arg(q.value(2).toLongLong())));
        }
        q.finish();
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM entries WHERE step = 'execute'"_s) && q.next());
        const int settledRuns = q.value(0).toInt();
        q.finish();

        // Stale reservations: the killed processes' holds count until their
        // expiry, then are charged in full, once.
        QVERIFY(q.exec(u"SELECT COUNT(*), COALESCE(MAX(expires_ms - created_ms), 0), COALESCE(SUM(amount_nanos), 0),"
                       " COUNT(NULLIF(amount_nanos, 0)) FROM reservations"_s)
                && q.next());
        const int stale = q.value(0).toInt();
        const qint64 ttl = q.value(1).toLongLong();
        const Money staleHeld = Money::fromNanos(q.value(2).toLongLong());
        const int staleCharges = q.value(3).toInt();
        q.finish();
        const Money settledBefore = *db.totalSettled();
        const BudgetPolicy policy = BudgetPolicy{}.setLimit(ScopeLevel::Org, Money::fromUsd(1000.0));
        QVERIFY(ttl <= policy.reservationTtlMs);
        ManualClock later(QDateTime::currentDateTimeUtc().addMSecs(policy.reservationTtlMs + 1000));
        BudgetController controller(db, policy, later);
        const auto snapshot = controller.snapshot(BudgetScopes::forLocalUser());
        QVERIFY(snapshot);
        QCOMPARE(snapshot->reserved, Money());
        QCOMPARE(*db.totalSettled(), settledBefore + staleHeld);
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM entries WHERE lapsed_hold <> ''"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), staleCharges);
        q.finish();
        const auto hold = controller.reserve(Money::fromNanos(1), BudgetScopes::forLocalUser(), u"probe"_s,
                                             u"execute"_s);
        QVERIFY(hold);
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM reservations"_s) && q.next());
        QCOMPARE(q.value(0).toInt(), 1); // only the probe's
        q.finish();
        QVERIFY(controller.release(*hold));

        qInfo("crash consistency: %d SIGKILLs (%d of `safecell run`, %d of `safecell serve`) in %lld ms; "
              "%d runs started, %d completed and checked, %d settled in the ledger, %d history rows, "
              "%d stale reservations lapsed and charged in full; integrity ok; fake E2B created %d sandboxes",
              m_kills, m_runKills, m_serveKills, loopMs, m_runsStarted, checked, settledRuns, historyRows, stale,
              m_fake->sandboxesCreated());
        QVERIFY2(m_kills == kKills, qPrintable(u"only %1 kills within the time bound"_s.arg(m_kills)));
        QVERIFY2(checked > 0, "some runs completed between the kills");
    }
};

QTEST_GUILESS_MAIN(TestCrashConsistency)
#include "tst_crashconsistency.moc"
