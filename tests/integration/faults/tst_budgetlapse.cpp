// A `safecell run` killed mid-run (issue 16): E2B bills its orphaned sandbox
// until the sandbox's lifetime ends, and the run's hold covered that whole
// lifetime. Once the hold lapses (its expiry passes, seen here by a SafeCell
// whose clock is past it: this test) it is charged in full, exactly once,
// to the run it was for, and `safecell budget --json` shows it as spend
// charged on lapse with nothing held.
#include "FakeE2b.h"
#include "SafecellProcess.h"

#include "budget/BudgetController.h"
#include "budget/LedgerLocation.h"
#include "budget/SpendLedger.h"

#include <QSqlQuery>
#include <QTest>

using namespace safecell;
using safecell::fake::FakeE2b;
using safecell::fake::FakeStep;
using namespace Qt::StringLiterals;

class TestBudgetLapse : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_root;
    QProcessEnvironment m_env;

    QJsonObject budgetJson()
    {
        QProcess budget;
        budget.setProcessEnvironment(m_env);
        budget.start(faulttest::binary(), {u"budget"_s, u"--json"_s});
        if (!budget.waitForFinished(60'000) || budget.exitCode() != 0)
            return {};
        return QJsonDocument::fromJson(budget.readAllStandardOutput()).object();
    }

private Q_SLOTS:
    void aRunKilledMidRunIsChargedItsSandboxsHoldWhenItLapses()
    {
        QVERIFY(!faulttest::binary().isEmpty());
        bool executing = false;
        FakeE2b fake;
        QVERIFY(fake.listen());
        fake.setScriptContaining(u"long"_s, {FakeStep::out(u"started\n"_s), FakeStep::hang()});
        m_env = faulttest::environment(m_root.path(), fake.url(), FakeE2b::defaultApiKey(), 10.0);
        qputenv("SAFECELL_DATA_DIR", m_root.filePath(u"data"_s).toUtf8());
        QFile snippet(m_root.filePath(u"long.py"_s));
        QVERIFY(snippet.open(QIODevice::WriteOnly));
        snippet.write("print('long')\n");
        snippet.close();

        connect(&fake, &FakeE2b::requestReceived, &fake,
                [&](const QString &request) { executing = executing || request == u"POST /execute"_s; });
        QProcess run;
        run.setProcessEnvironment(m_env);
        run.start(faulttest::binary(), {u"run"_s, u"--timeout-ms"_s, u"20000"_s, snippet.fileName()});
        QTRY_VERIFY_WITH_TIMEOUT(executing || run.state() == QProcess::NotRunning, 60'000);
        QVERIFY2(executing, run.readAllStandardError().constData());
        QTest::qWait(300); // mid-run: the code is running on the sandbox
        run.kill();        // SIGKILL: nothing is settled nor released
        QVERIFY(run.waitForFinished(10'000));
        QCOMPARE(run.exitStatus(), QProcess::CrashExit);
        QCOMPARE(fake.liveSandboxes(), 1); // E2B bills it until its lifetime ends

        // What it left: its sandbox's hold, for its run, lapsing no sooner
        // than that lifetime (20 s asked, plus margins) ends.
        auto opened = SpendLedger::open(defaultLedgerPath());
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        SpendLedger &ledger = **opened;
        QSqlQuery q(ledger.database());
        QVERIFY(
            q.exec(u"SELECT id, run_id, kind, amount_nanos, expires_ms - created_ms, expires_ms FROM reservations"_s));
        QVERIFY(q.next());
        const QString holdId = q.value(0).toString();
        const QString runId = q.value(1).toString();
        QCOMPARE(q.value(2).toString(), u"sandbox"_s);
        const Money held = Money::fromNanos(q.value(3).toLongLong());
        QVERIFY(held.nanos() > 0);
        QVERIFY2(q.value(4).toLongLong() >= 20'000 + 10 * 60'000, qPrintable(q.value(4).toString()));
        const QDateTime expires = QDateTime::fromMSecsSinceEpoch(q.value(5).toLongLong(), QTimeZone::utc());
        QVERIFY(!q.next());
        q.finish();
        QVERIFY2(!runId.startsWith(u"session:"_s), qPrintable(runId));

        const QJsonObject before = budgetJson();
        QVERIFY(!before.isEmpty());
        QCOMPARE(before.value(u"reserved"_s).toDouble(), held.usd());
        const double spentBefore = before.value(u"spent"_s).toDouble();
        QCOMPARE(before.value(u"chargedOnLapse"_s).toDouble(), 0.0);

        // The expiry passes: the next SafeCell to look charges the hold.
        ManualClock later(expires);
        BudgetController controller(ledger, BudgetPolicy{}.setLimit(ScopeLevel::Org, Money::fromUsd(10.0)), later);
        const auto snapshot = controller.snapshot(BudgetScopes::forLocalUser());
        QVERIFY(snapshot);
        QCOMPARE(snapshot->reserved, Money());
        QCOMPARE(snapshot->chargedOnLapse, held);
        QVERIFY(controller.snapshot(BudgetScopes::forLocalUser())); // seen again: charged once

        const QJsonObject after = budgetJson();
        QVERIFY(!after.isEmpty());
        QCOMPARE(after.value(u"reserved"_s).toDouble(), 0.0);
        QVERIFY(qAbs(after.value(u"spent"_s).toDouble() - (spentBefore + held.usd())) < 1e-12);
        QCOMPARE(after.value(u"chargedOnLapse"_s).toDouble(), held.usd());
        QVERIFY(qAbs(after.value(u"remaining"_s).toDouble() - (before.value(u"remaining"_s).toDouble())) < 1e-12);

        const auto entries = ledger.entriesForRun(runId);
        QVERIFY(entries);
        int charges = 0;
        for (const LedgerEntry &e : *entries) {
            if (!e.chargedOnLapse())
                continue;
            ++charges;
            QCOMPARE(e.lapsedHold, holdId);
            QCOMPARE(e.charge.kind, ChargeKind::Sandbox);
            QCOMPARE(e.charge.cost, held);
        }
        QCOMPARE(charges, 1);
        QCOMPARE(*ledger.aggregatesMatchEntries(), true);
        qInfo("a run killed mid-run: its hold of %s for run %s was charged in full when it lapsed",
              qPrintable(held.toString()), qPrintable(runId));
    }
};

QTEST_GUILESS_MAIN(TestBudgetLapse)
#include "tst_budgetlapse.moc"
