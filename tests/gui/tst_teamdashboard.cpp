// The spend dashboard's Team tab (issue 21), on a real PostgreSQL 15: the
// admin sees every analyst's spend this month, an analyst only their own
// (the server's row-level security), a server that cannot be reached says
// so, and without a team server there is no Team tab.
#include "PostgresServer.h"

#include "budget/TeamLedger.h"
#include "gui/SpendDashboard.h"
#include "gui/TeamSpendView.h"
#include "settings/Settings.h"

#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using safecell::test::PostgresServer;

class TestTeamDashboard : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<PostgresServer> m_server;

    TeamServer as(const QString &user) const { return m_server->teamServer(QStringLiteral("team"), user); }
    static Money cents(qint64 n) { return Money::fromNanos(n * 10'000'000LL); }
    void spend(const QString &analyst, const QString &model, qint64 centsSpent)
    {
        auto ledger = TeamLedger::open(as(analyst));
        QVERIFY(ledger);
        TeamHoldRequest request;
        request.idempotencyKey = QStringLiteral("%1/%2/%3").arg(analyst, model).arg(centsSpent);
        request.runId = request.idempotencyKey;
        request.step = QStringLiteral("chat");
        request.resource = model;
        request.amount = cents(centsSpent);
        auto hold = (*ledger)->reserve(request);
        QVERIFY(hold && hold->hold);
        QVERIFY((*ledger)->settle(hold->hold->id, request.idempotencyKey, cents(centsSpent)));
    }
    std::unique_ptr<SpendDashboard> dashboardFor(const QString &user, Settings &settings)
    {
        auto dashboard = std::make_unique<SpendDashboard>(settings, m_dir.filePath(QStringLiteral("ledger.sqlite")));
        dashboard->showTeam(as(user));
        return dashboard;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!PostgresServer::binDir().isEmpty(), "postgresql-15 is not installed; run scripts/setup");
        auto server = PostgresServer::start();
        QVERIFY2(server, server ? "" : qPrintable(server.error()));
        m_server = std::move(server).value();
        QVERIFY(m_server->exec(QStringLiteral("postgres"),
                               {QStringLiteral("CREATE DATABASE team"), QStringLiteral("CREATE ROLE alice LOGIN"),
                                QStringLiteral("CREATE ROLE bob LOGIN"), QStringLiteral("CREATE ROLE boss LOGIN")}));
        auto owner = TeamLedger::open(as(QString::fromLatin1(PostgresServer::kSuperuser)));
        QVERIFY(owner);
        QVERIFY((*owner)->migrate());
        QVERIFY((*owner)->grant(QStringLiteral("alice"), false));
        QVERIFY((*owner)->grant(QStringLiteral("bob"), false));
        QVERIFY((*owner)->grant(QStringLiteral("boss"), true));
        spend(QStringLiteral("alice"), QStringLiteral("command-r"), 30);
        spend(QStringLiteral("alice"), QStringLiteral("command-a"), 20);
        spend(QStringLiteral("bob"), QStringLiteral("command-r"), 70);
    }

    void theAdminSeesEveryAnalyst()
    {
        Settings settings(m_dir.filePath(QStringLiteral("s.ini")));
        auto dashboard = dashboardFor(QStringLiteral("boss"), settings);
        auto *tabs = dashboard->findChild<QTabWidget *>(QStringLiteral("views"));
        QVERIFY(tabs);
        QCOMPARE(tabs->count(), 2);
        TeamSpendView *team = dashboard->teamView();
        QVERIFY(team);
        QTRY_VERIFY_WITH_TIMEOUT(!team->isLoading(), 15'000);
        QCOMPARE(team->table()->rowCount(), 3);
        QVERIFY2(team->statusText().contains(QStringLiteral("$1.20")), qPrintable(team->statusText()));
        QVERIFY(team->statusText().contains(QStringLiteral("analysts: 2")));
        const auto series = team->chart()->series();
        QCOMPARE(series.size(), 1);
        auto *bars = qobject_cast<QHorizontalBarSeries *>(series.first());
        QVERIFY(bars);
        QCOMPARE(bars->barSets().first()->count(), 2); // one bar per analyst
        QCOMPARE(bars->barSets().first()->at(0), 0.5); // alice, sorted by name
        QCOMPARE(bars->barSets().first()->at(1), 0.7); // bob
    }

    void anAnalystSeesOnlyTheirOwn()
    {
        Settings settings(m_dir.filePath(QStringLiteral("s.ini")));
        auto dashboard = dashboardFor(QStringLiteral("bob"), settings);
        TeamSpendView *team = dashboard->teamView();
        QTRY_VERIFY_WITH_TIMEOUT(!team->isLoading(), 15'000);
        QCOMPARE(team->table()->rowCount(), 1);
        QCOMPARE(team->table()->item(0, 0)->text(), QStringLiteral("bob"));
        QVERIFY(team->statusText().contains(QStringLiteral("the team's admin sees everyone's")));
    }

    void anUnreachableServerIsSaid()
    {
        Settings settings(m_dir.filePath(QStringLiteral("s.ini")));
        SpendDashboard dashboard(settings, m_dir.filePath(QStringLiteral("ledger.sqlite")));
        TeamServer nowhere = as(QStringLiteral("alice"));
        nowhere.host = m_dir.filePath(QStringLiteral("no-server-here"));
        dashboard.showTeam(nowhere);
        QTRY_VERIFY_WITH_TIMEOUT(!dashboard.teamView()->isLoading(), 15'000);
        QVERIFY2(dashboard.teamView()->statusText().contains(QStringLiteral("cannot be read")),
                 qPrintable(dashboard.teamView()->statusText()));
        QCOMPARE(dashboard.teamView()->table()->rowCount(), 0);
    }

    void noTeamServerNoTeamTab()
    {
        Settings settings(m_dir.filePath(QStringLiteral("s.ini")));
        SpendDashboard dashboard(settings, m_dir.filePath(QStringLiteral("ledger.sqlite")));
        QCOMPARE(dashboard.findChild<QTabWidget *>(QStringLiteral("views"))->count(), 1);
        QVERIFY(!dashboard.teamView());
    }

    void cleanupTestCase() { m_server.reset(); }
};

QTEST_MAIN(TestTeamDashboard)
#include "tst_teamdashboard.moc"
