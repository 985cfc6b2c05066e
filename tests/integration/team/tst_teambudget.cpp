// Runs budgeted on a team ledger (issue 21): BudgetController with a team
// server in its policy, on a real PostgreSQL 15. The org and user limits
// are the server's and hold across desktops (each with its own local
// ledger); session and task limits stay local; a server that cannot be
// reached fails paid steps closed, and the settles it missed are delivered
// once, when it is back.
#include "PostgresServer.h"
#include "TeamDatabase.h"

#include "budget/BudgetController.h"
#include "budget/BudgetWatcher.h"
#include "budget/SpendLedger.h"
#include "budget/TeamBudget.h"
#include "budget/TeamLedger.h"
#include "budget/TeamSchema.h"
#include "pipeline/RunThread.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace safecell;
using safecell::test::cents;
using safecell::test::PostgresServer;

namespace {

Charge llmCharge(Money cost)
{
    Charge charge;
    charge.kind = ChargeKind::Llm;
    charge.resource = QStringLiteral("command-r");
    charge.cost = cost;
    return charge;
}

// One analyst's SafeCell: its own local ledger file and controller.
struct Desktop {
    std::unique_ptr<SpendLedger> ledger;
    std::unique_ptr<BudgetController> budget;
    BudgetScopes scopes;
};

} // namespace

class TestTeamBudget : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<PostgresServer> m_server;
    QTemporaryDir m_dir;
    QString m_database;
    int m_databases = 0;
    int m_desktops = 0;

    TeamServer serverFor(const QString &user) const { return m_server->teamServer(m_database, user); }
    std::unique_ptr<TeamLedger> as(const QString &user)
    {
        auto ledger = TeamLedger::open(serverFor(user));
        if (!ledger)
            qWarning() << ledger.error().message;
        return ledger ? std::move(ledger).value() : nullptr;
    }
    Desktop desktop(const QString &analyst, BudgetPolicy policy = {})
    {
        Desktop d;
        auto ledger = SpendLedger::open(m_dir.filePath(QStringLiteral("desktop%1.sqlite").arg(++m_desktops)));
        if (!ledger) {
            qWarning() << ledger.error().message;
            return d;
        }
        d.ledger = std::move(ledger).value();
        policy.team = serverFor(analyst);
        d.budget = std::make_unique<BudgetController>(*d.ledger, policy);
        d.scopes = BudgetScopes::of(QStringLiteral("local-org"), analyst, QStringLiteral("session-") + analyst);
        return d;
    }
    qint64 scalar(const QString &sql) { return test::superuserScalar(*m_server, m_database, sql); }

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
                                                                       QStringLiteral("CREATE ROLE owner LOGIN")});
        QVERIFY2(roles, roles ? "" : qPrintable(roles.error()));
    }

    // A database of its own per test, with a $1 org limit.
    void init()
    {
        if (!m_server->isRunning())
            QVERIFY(m_server->restart());
        m_database = QStringLiteral("budget%1").arg(++m_databases);
        const auto created = m_server->exec(QStringLiteral("postgres"),
                                            {QStringLiteral("CREATE DATABASE ") + m_database});
        QVERIFY2(created, created ? "" : qPrintable(created.error()));
        auto superuser = as(QString::fromLatin1(PostgresServer::kSuperuser));
        QVERIFY(superuser);
        QVERIFY(superuser->migrate());
        QVERIFY(superuser->grant(QStringLiteral("alice"), false));
        QVERIFY(superuser->grant(QStringLiteral("bob"), false));
        QVERIFY(superuser->grant(QStringLiteral("owner"), true));
        auto owner = as(QStringLiteral("owner"));
        QVERIFY(owner);
        QVERIFY(owner->setLimit(ScopeLevel::Org, {}, cents(100)));
    }

    // Two desktops share the team's $1: together they never hold or settle
    // past it, and the refusal names the team's scope. Their own settings'
    // org and user limits ($0.10 here) are the team's to decide, not theirs.
    void teamLimitHoldsAcrossDesktops()
    {
        BudgetPolicy own;
        own.setLimit(ScopeLevel::Org, cents(10));
        own.setLimit(ScopeLevel::User, cents(10));
        Desktop alice = desktop(QStringLiteral("alice"), own);
        Desktop bob = desktop(QStringLiteral("bob"), own);
        QVERIFY(alice.budget && bob.budget);
        int granted = 0;
        std::optional<BudgetError> refusal;
        for (int i = 0; i < 8 && !refusal; ++i) {
            Desktop &d = i % 2 ? bob : alice;
            auto hold = d.budget->reserve(cents(30), d.scopes, QStringLiteral("run%1").arg(i), QStringLiteral("chat"));
            if (!hold) {
                refusal = hold.error();
                break;
            }
            ++granted;
            auto settled = d.budget->settle(*hold, llmCharge(cents(30)));
            QVERIFY2(settled, settled ? "" : qPrintable(settled.error().message));
        }
        QCOMPARE(granted, 3); // $0.90 settled; a fourth $0.30 would pass $1
        QVERIFY(refusal);
        QCOMPARE(refusal->kind, BudgetError::Kind::OverBudget);
        QCOMPARE(refusal->overBudget.scope, ScopeLevel::Org);
        QCOMPARE(refusal->overBudget.scopeKey, QStringLiteral("team"));
        QCOMPARE(refusal->overBudget.remaining, cents(10));
        QCOMPARE(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), cents(90).nanos());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);

        // Each desktop's snapshot shows the team's figures, not its own.
        TeamFigures figures;
        auto snap = alice.budget->snapshot(alice.scopes, &figures);
        QVERIFY(snap);
        const ScopeSnapshot *org = snap->scope(ScopeLevel::Org);
        QVERIFY(org);
        QCOMPARE(org->key, QStringLiteral("team"));
        QCOMPARE(org->spent, cents(90));
        QCOMPARE(org->limit, std::optional<Money>(cents(100)));
        QCOMPARE(snap->decidingScope, std::optional<ScopeLevel>(ScopeLevel::Org));
        QVERIFY(snap->team.readAt.isValid());
        QVERIFY(!snap->team.staleSince.isValid());
        QCOMPARE(snap->toJson().value(QStringLiteral("team")).toObject().value(QStringLiteral("server")).toString(),
                 serverFor(QStringLiteral("alice")).describe());
    }

    // The session scope stays on the desktop: its refusal gives back the
    // hold the server had granted.
    void localScopeRefusalGivesTheTeamHoldBack()
    {
        BudgetPolicy policy;
        policy.setLimit(ScopeLevel::Session, cents(20));
        Desktop alice = desktop(QStringLiteral("alice"), policy);
        QVERIFY(alice.budget);
        auto hold = alice.budget->reserve(cents(50), alice.scopes, QStringLiteral("run1"), QStringLiteral("chat"));
        QVERIFY(!hold);
        QCOMPARE(hold.error().kind, BudgetError::Kind::OverBudget);
        QCOMPARE(hold.error().overBudget.scope, ScopeLevel::Session);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.entries")), 0);
    }

    // Server down: paid steps fail closed with a message naming the server,
    // a settle it missed waits in the outbox, the snapshot says since when
    // the team figures are stale; back up, the settle is delivered once.
    void unreachableServerFailsClosedAndLosesNothing()
    {
        Desktop alice = desktop(QStringLiteral("alice"));
        QVERIFY(alice.budget);
        auto hold = alice.budget->reserve(cents(40), alice.scopes, QStringLiteral("run1"), QStringLiteral("chat"));
        QVERIFY2(hold, hold ? "" : qPrintable(hold.error().message));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 1);

        QVERIFY(m_server->stop());
        auto settled = alice.budget->settle(*hold, llmCharge(cents(25)));
        QVERIFY(settled); // recorded on the desktop at once
        QCOMPARE(alice.ledger->queuedTeamCallCount(serverFor(QStringLiteral("alice")).describe()).value(), 1);

        auto refused = alice.budget->reserve(cents(10), alice.scopes, QStringLiteral("run2"), QStringLiteral("chat"));
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, BudgetError::Kind::TeamUnreachable);
        QVERIFY2(refused.error().message.contains(serverFor(QStringLiteral("alice")).describe()),
                 qPrintable(refused.error().message));
        QVERIFY(alice.budget->reserve(Money(), alice.scopes)); // a free step never needs the server
        auto stale = alice.budget->snapshot(alice.scopes);
        QVERIFY(stale);
        QVERIFY(stale->team.staleSince.isValid());
        QCOMPARE(stale->team.queuedCalls, 1);

        QVERIFY(m_server->restart());
        auto fresh = alice.budget->snapshot(alice.scopes);
        QVERIFY(fresh);
        QVERIFY(!fresh->team.staleSince.isValid());
        QCOMPARE(fresh->team.queuedCalls, 0);
        QCOMPARE(fresh->scope(ScopeLevel::Org)->spent, cents(25));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
        QCOMPARE(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), cents(25).nanos());

        // A repeated settle changes nothing, here or there.
        QVERIFY(alice.budget->settle(*hold, llmCharge(cents(25))));
        QVERIFY(alice.budget->snapshot(alice.scopes)); // delivers anything queued
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.entries")), 1);
        // And paid work resumes by itself.
        auto again = alice.budget->reserve(cents(10), alice.scopes, QStringLiteral("run3"), QStringLiteral("chat"));
        QVERIFY2(again, again ? "" : qPrintable(again.error().message));
        QVERIFY(alice.budget->release(*again));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
    }

    // A step's local record and the call that tells the server are one
    // local transaction: when the call cannot be kept, the settle fails
    // whole (the hold stays, here and there) instead of being recorded
    // here while the server is never told; once it can, it goes through.
    void aSettleIsRecordedWithItsServerCallOrNotAtAll()
    {
        Desktop alice = desktop(QStringLiteral("alice"));
        QVERIFY(alice.budget);
        auto hold = alice.budget->reserve(cents(40), alice.scopes, QStringLiteral("run1"), QStringLiteral("chat"));
        QVERIFY(hold);
        const QString local = alice.ledger->path();
        // A statement on the desktop's ledger; a query's first value, else 0.
        const auto localScalar = [&local](const QString &sql) {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("local-check"));
            db.setDatabaseName(local);
            qint64 value = -1;
            if (db.open()) {
                QSqlQuery query(db);
                if (query.exec(sql))
                    value = query.next() ? query.value(0).toLongLong() : 0;
                else
                    qWarning() << sql << query.lastError().text();
            }
            db.close();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(QStringLiteral("local-check"));
            return value;
        };
        QCOMPARE(localScalar(QStringLiteral("CREATE TRIGGER full BEFORE INSERT ON team_outbox "
                                            "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END")),
                 0);
        const auto failed = alice.budget->settle(*hold, llmCharge(cents(25)));
        QVERIFY(!failed);
        QCOMPARE(localScalar(QStringLiteral("SELECT count(*) FROM entries")), 0);
        QCOMPARE(localScalar(QStringLiteral("SELECT count(*) FROM reservations")), 1);
        QCOMPARE(localScalar(QStringLiteral("SELECT count(*) FROM team_holds")), 1);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 1);

        QCOMPARE(localScalar(QStringLiteral("DROP TRIGGER full")), 0);
        QVERIFY(alice.budget->settle(*hold, llmCharge(cents(25))));
        QCOMPARE(localScalar(QStringLiteral("SELECT count(*) FROM entries")), 1);
        QCOMPARE(localScalar(QStringLiteral("SELECT count(*) FROM team_outbox")), 0);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
        QCOMPARE(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), cents(25).nanos());
    }

    // The outbox survives the desktop: a settle queued by one SafeCell is
    // delivered by the next one on the same local ledger.
    void queuedSettleOutlivesTheProcess()
    {
        const QString path = m_dir.filePath(QStringLiteral("restarted.sqlite"));
        BudgetPolicy policy;
        policy.team = serverFor(QStringLiteral("bob"));
        const BudgetScopes scopes = BudgetScopes::of(QStringLiteral("local-org"), QStringLiteral("bob"));
        {
            auto ledger = SpendLedger::open(path).value();
            BudgetController budget(*ledger, policy);
            auto hold = budget.reserve(cents(30), scopes, QStringLiteral("run1"), QStringLiteral("chat"));
            QVERIFY(hold);
            QVERIFY(m_server->stop());
            QVERIFY(budget.settle(*hold, llmCharge(cents(12))));
        }
        QVERIFY(m_server->restart());
        auto ledger = SpendLedger::open(path).value();
        BudgetController budget(*ledger, policy);
        QVERIFY(budget.snapshot(scopes));
        QCOMPARE(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), cents(12).nanos());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
    }

    // The gauge's watcher shows another desktop's spend at its next poll
    // (kPollMs, a second), and says since when the figures are stale once
    // the server stops answering.
    void watcherShowsOtherDesktopsSpendAndStaleness()
    {
        const QString alicePath = m_dir.filePath(QStringLiteral("watched.sqlite"));
        QVERIFY(SpendLedger::open(alicePath)); // created, as the window does
        BudgetPolicy policy;
        policy.team = serverFor(QStringLiteral("alice"));
        BudgetWatcher watcher(alicePath, policy);
        QSignalSpy snapshots(&watcher, &BudgetWatcher::snapshotRead);
        watcher.poke(policy);
        QCOMPARE(snapshots.count(), 1);
        const auto orgOf = [](const QList<QVariant> &signal) {
            return signal.at(0).value<BudgetSnapshot>().scope(ScopeLevel::Org)->spent;
        };
        QCOMPARE(orgOf(snapshots.last()), Money());
        watcher.setPolling(true);

        Desktop bob = desktop(QStringLiteral("bob"));
        auto hold = bob.budget->reserve(cents(30), bob.scopes, QStringLiteral("run1"), QStringLiteral("chat"));
        QVERIFY(hold);
        QVERIFY(bob.budget->settle(*hold, llmCharge(cents(30))));
        QElapsedTimer seen;
        seen.start();
        QTRY_VERIFY_WITH_TIMEOUT(orgOf(snapshots.last()) == cents(30), 10000);
        qInfo() << "bob's spend reached alice's gauge after" << seen.elapsed() << "ms (poll:" << BudgetWatcher::kPollMs
                << "ms)";

        QVERIFY(m_server->stop());
        QTRY_VERIFY_WITH_TIMEOUT(snapshots.last().at(0).value<BudgetSnapshot>().team.staleSince.isValid(), 10000);
        const BudgetSnapshot stale = snapshots.last().at(0).value<BudgetSnapshot>();
        QCOMPARE(stale.scope(ScopeLevel::Org)->spent, cents(30)); // the last known figures
        QVERIFY(!stale.team.problem.isEmpty());
        QVERIFY(m_server->restart());
        QTRY_VERIFY_WITH_TIMEOUT(!snapshots.last().at(0).value<BudgetSnapshot>().team.staleSince.isValid(), 10000);
    }

    // The team's thresholds, crossed by another desktop, reach this one's
    // watcher as alerts (the window notifies them), each once, none for
    // what was already crossed at the first read.
    void watcherNotifiesTheTeamsThresholds()
    {
        Desktop bob = desktop(QStringLiteral("bob"));
        auto first = bob.budget->reserve(cents(40), bob.scopes, QStringLiteral("run1"), QStringLiteral("chat"));
        QVERIFY(first);
        QVERIFY(bob.budget->settle(*first, llmCharge(cents(40))));

        const QString alicePath = m_dir.filePath(QStringLiteral("alerts.sqlite"));
        QVERIFY(SpendLedger::open(alicePath));
        BudgetPolicy policy;
        policy.team = serverFor(QStringLiteral("alice"));
        // A desktop whose clock is in last month: the team's alerts are the
        // server's period's all the same.
        const QDateTime serverNow = QDateTime::currentDateTimeUtc();
        ManualClock lastMonth(serverNow.addDays(-40));
        BudgetWatcher watcher(alicePath, policy, lastMonth);
        QSignalSpy alerts(&watcher, &BudgetWatcher::alertFired);
        watcher.poke(policy);
        QCOMPARE(alerts.count(), 0);

        auto second = bob.budget->reserve(cents(40), bob.scopes, QStringLiteral("run2"), QStringLiteral("chat"));
        QVERIFY(second);
        QVERIFY(bob.budget->settle(*second, llmCharge(cents(40)))); // $0.80 of $1: warned
        watcher.poke(policy);
        QCOMPARE(alerts.count(), 1);
        auto alert = alerts.last().at(0).value<BudgetAlert>();
        QCOMPARE(alert.level, ScopeLevel::Org);
        QCOMPARE(alert.scopeKey, QStringLiteral("team"));
        QCOMPARE(alert.state, BudgetState::Warned);
        QCOMPARE(alert.used, cents(80));
        QCOMPARE(alert.periodStart,
                 QDateTime(QDate(serverNow.date().year(), serverNow.date().month(), 1), QTime(0, 0), QTimeZone::utc()));
        watcher.poke(policy);
        QCOMPARE(alerts.count(), 1); // once

        auto third = bob.budget->reserve(cents(15), bob.scopes, QStringLiteral("run3"), QStringLiteral("chat"));
        QVERIFY(third);
        QVERIFY(bob.budget->settle(*third, llmCharge(cents(15)))); // $0.95: degraded
        watcher.poke(policy);
        QCOMPARE(alerts.count(), 2);
        QCOMPARE(alerts.last().at(0).value<BudgetAlert>().state, BudgetState::Degraded);
    }

    // Privacy: a run's code and output reach the team server only while
    // the admin has the audit log on, and no analyst can read it there.
    void auditLogKeepsRunsOnlyWhileTheAdminHasItOn()
    {
        Desktop alice = desktop(QStringLiteral("alice"));
        QVERIFY(alice.budget && alice.budget->team());
        TeamAuditRun run;
        run.runId = QStringLiteral("run-secret");
        run.language = QStringLiteral("python");
        run.code = QStringLiteral("print('quarterly numbers')");
        run.output = QStringLiteral("quarterly numbers\n");
        run.outcome = QStringLiteral("ok");
        alice.budget->team()->audit(run);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.audit")), 0);

        auto owner = as(QStringLiteral("owner"));
        QVERIFY(owner && owner->setAudit(true));
        alice.budget->team()->audit(run);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.audit WHERE analyst = 'alice' AND code LIKE "
                                       "'%quarterly%'")),
                 1);

        // Bob, an analyst, reads no one's runs and cannot switch the log.
        QSqlDatabase bob = m_server->connect(QStringLiteral("bob"), m_database, QStringLiteral("bob"));
        {
            QSqlQuery query(bob);
            QVERIFY(!query.exec(QStringLiteral("SELECT code FROM safecell.audit")));
            QVERIFY(!query.exec(QStringLiteral("SELECT safecell.set_audit(false)")));
            QVERIFY(!query.exec(QStringLiteral("UPDATE safecell.options SET value = false")));
        }
        bob.close();
        bob = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("bob"));

        QVERIFY(owner->setAudit(false));
        run.runId = QStringLiteral("run-after");
        alice.budget->team()->audit(run);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.audit")), 1);

        // A real run, on the local sandbox, is audited as it ends.
        QVERIFY(owner->setAudit(true));
        RunWorkerConfig config;
        config.ledgerPath = m_dir.filePath(QStringLiteral("runs.sqlite"));
        config.budgetPolicy.team = serverFor(QStringLiteral("alice"));
        RunThread runner(config);
        QSignalSpy finished(runner.worker(), &RunWorker::finished);
        RunRequest request;
        request.code = QStringLiteral("print('audited ' + str(6 * 7))");
        runner.start(request);
        QVERIFY(finished.wait(60'000));
        QCOMPARE(finished.first().at(0).value<RunReport>().outcome, RunOutcome::Ok);
        QTRY_COMPARE_WITH_TIMEOUT(scalar(QStringLiteral(
                                      "SELECT count(*) FROM safecell.audit WHERE output = 'audited 42\n'")),
                                  1, 10'000);
    }

    // A hold that lapsed on the server is held again under a key of its own
    // (the server hands a held key's row back as it is, unchecked), checked
    // against the limit, in place of its charge on lapse.
    void aHoldLapsedOnTheServerIsHeldAgainChecked()
    {
        Desktop alice = desktop(QStringLiteral("alice"));
        auto hold = alice.budget->reserve(cents(20), alice.scopes, QStringLiteral("run1"), QStringLiteral("e2b"), {},
                                          1000, ChargeKind::Sandbox, QStringLiteral("e2b"));
        QVERIFY(hold);
        QTest::qWait(2100); // lapsed on both clocks
        QCOMPARE(as(QStringLiteral("alice"))->chargeLapsed().value(), 1);
        auto grown = alice.budget->adjust(*hold, alice.scopes, cents(50), 60'000);
        QVERIFY2(grown, grown ? "" : qPrintable(grown.error().message));
        QCOMPARE(scalar(QStringLiteral("SELECT sum(amount_nanos) FROM safecell.holds")), cents(50).nanos());
        QCOMPARE(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), 0); // the charge it replaced
        // Past the limit, it is refused as a new hold would be.
        auto tooMuch = alice.budget->adjust(*grown, alice.scopes, cents(150), 60'000);
        QVERIFY(!tooMuch);
        QCOMPARE(tooMuch.error().kind, BudgetError::Kind::OverBudget);
        QVERIFY(alice.budget->settle(*grown, llmCharge(cents(45))));
        QCOMPARE(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")), cents(45).nanos());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
    }

    // A release that arrives after its hold lapsed leaves the charge on
    // lapse: parts of it may have been billed, their settles lost.
    void aLateReleaseKeepsTheChargeOnLapse()
    {
        Desktop alice = desktop(QStringLiteral("alice"));
        auto hold = alice.budget->reserve(cents(30), alice.scopes, QStringLiteral("run1"), QStringLiteral("chat"), {},
                                          1000);
        QVERIFY(hold);
        QTest::qWait(2100);
        QVERIFY(alice.budget->release(*hold));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
        QCOMPARE(scalar(QStringLiteral("SELECT coalesce(sum(cost_nanos), 0) FROM safecell.entries")),
                 cents(30).nanos());
    }

    // Thirty desktops at once, each a process with its own local ledger and
    // controller (the path of every paid step), on a $1 team: together they
    // never settle past it, hold nothing at the end, and every settle
    // reached the server (no outbox left).
    void thirtyDesktopsAtOnceNeverSpendPastTheTeamsLimit()
    {
        QList<std::shared_ptr<QProcess>> desktops;
        for (int i = 0; i < 30; ++i) {
            auto process = std::make_shared<QProcess>();
            process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
            const QString analyst = i % 2 ? QStringLiteral("bob") : QStringLiteral("alice");
            process->start(QString::fromLocal8Bit(qgetenv("TEAM_DESKTOP")),
                           {QStringLiteral("--url"), m_server->teamUrl(m_database, analyst), QStringLiteral("--ledger"),
                            m_dir.filePath(QStringLiteral("crowd%1.sqlite").arg(i)), QStringLiteral("--count"),
                            QStringLiteral("10")});
            QVERIFY(process->waitForStarted());
            desktops.append(process);
        }
        int granted = 0, refused = 0;
        for (const auto &process : desktops) {
            QVERIFY(process->waitForFinished(180'000));
            QCOMPARE(process->exitCode(), 0);
            const QList<QByteArray> totals = process->readAllStandardOutput().trimmed().split(' ');
            QCOMPARE(totals.size(), 8);
            granted += totals[1].toInt();
            refused += totals[3].toInt();
            QCOMPARE(totals[5].toInt(), 0); // the server always answered
            QCOMPARE(totals[7].toInt(), 0); // nothing left to tell it
        }
        qInfo() << "30 desktops:" << granted << "steps granted," << refused << "refused over the limit";
        QVERIFY2(refused > 0, "the limit was never reached: the test proves nothing");
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.entries")), qint64(granted));
        QVERIFY(scalar(QStringLiteral("SELECT sum(cost_nanos) FROM safecell.entries")) <= cents(100).nanos());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM safecell.holds")), 0);
    }

    // A team URL that cannot be used never lets a paid step run outside
    // the team's limits.
    void unusableTeamUrlFailsClosed()
    {
        BudgetPolicy policy;
        policy.teamProblem = QStringLiteral("the team server URL must start with postgresql://, not http://");
        auto ledger = SpendLedger::open(m_dir.filePath(QStringLiteral("badurl.sqlite"))).value();
        BudgetController budget(*ledger, policy);
        const BudgetScopes scopes = BudgetScopes::of(QStringLiteral("o"), QStringLiteral("alice"));
        auto hold = budget.reserve(cents(1), scopes, QStringLiteral("run1"), QStringLiteral("chat"));
        QVERIFY(!hold);
        QCOMPARE(hold.error().kind, BudgetError::Kind::TeamUnreachable);
        QVERIFY(hold.error().message.contains(QStringLiteral("postgresql://")));
        QVERIFY(budget.reserve(Money(), scopes)); // free runs go on
    }

    void cleanupTestCase() { m_server.reset(); }
};

QTEST_GUILESS_MAIN(TestTeamBudget)
#include "tst_teambudget.moc"
