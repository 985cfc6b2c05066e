#include "budget/BudgetController.h"
#include "budget/CostModel.h"
#include "budget/LedgerLocation.h"
#include "budget/SpendLedger.h"
#include "gui/BudgetGauge.h"
#include "gui/BudgetMonitor.h"
#include "gui/BudgetWatch.h"
#include "gui/DesktopNotifier.h"
#include "settings/Settings.h"

#include <QImage>
#include <QLocale>
#include <QMainWindow>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestBudgetGauge : public QObject {
    Q_OBJECT
private:
    // The monitor reads on the watcher's thread: wait for its answer.
    static bool refreshAndWait(BudgetMonitor &monitor, QSignalSpy &snapshots)
    {
        const qsizetype before = snapshots.count();
        monitor.refresh();
        return QTest::qWaitFor([&] { return snapshots.count() > before; }, 10000);
    }
    QTemporaryDir m_dir;

    static BudgetSnapshot snapshotWith(BudgetState state, qint64 spentCents, qint64 heldCents)
    {
        BudgetSnapshot s;
        s.spent = Money::fromNanos(spentCents * 10'000'000);
        s.reserved = Money::fromNanos(heldCents * 10'000'000);
        s.limit = Money::fromNanos(qint64(500) * 10000000);
        s.state = state;
        ScopeSnapshot org;
        org.level = ScopeLevel::Org;
        org.key = u"acme"_s;
        org.spent = s.spent;
        org.reserved = s.reserved;
        org.limit = s.limit;
        org.state = state;
        s.scopes << org;
        return s;
    }

    // The colour in the middle of the bar's spent part, as painted.
    static QColor paintedSpentColour(BudgetGauge &gauge)
    {
        gauge.resize(gauge.sizeHint());
        const QImage image = gauge.grab().toImage();
        return image.pixelColor(int(6 * image.devicePixelRatio()), image.height() / 2);
    }

private Q_SLOTS:
    void colouredByState()
    {
        const QList<BudgetState> states = {BudgetState::Active, BudgetState::Warned, BudgetState::Degraded,
                                           BudgetState::Stopped};
        QSet<QRgb> colours;
        for (BudgetState state : states) {
            BudgetGauge gauge;
            gauge.setSnapshot(snapshotWith(state, 400, 0));
            QCOMPARE(gauge.currentColour(), BudgetGauge::colourFor(state));
            QCOMPARE(paintedSpentColour(gauge).rgb(), BudgetGauge::colourFor(state).rgb());
            colours.insert(BudgetGauge::colourFor(state).rgb());
        }
        QCOMPARE(colours.size(), 4);
    }

    void showsSpentOfLimitAndHeldApartWithAScopeTooltip()
    {
        BudgetGauge gauge;
        gauge.setSnapshot(snapshotWith(BudgetState::Warned, 400, 25));
        QCOMPARE(gauge.text(), u"$4.00 of $5.00  (+$0.25 held)"_s);
        QVERIFY(gauge.toolTip().contains(u"acme"_s));
        QVERIFY(gauge.toolTip().contains(u"$0.25 held"_s));
        QVERIFY(gauge.toolTip().contains(u"warning"_s));
        gauge.setSnapshot(snapshotWith(BudgetState::Active, 100, 0));
        QCOMPARE(gauge.text(), u"$1.00 of $5.00"_s);
        gauge.setUnavailable(u"disk <gone>"_s);
        QVERIFY(gauge.text().contains(u"unavailable"_s));
        QVERIFY(gauge.toolTip().contains(u"&lt;gone&gt;"_s));
    }

    // Issue 21: the team's figures say which server they are from, and
    // since when they are stale when it stops answering.
    void teamFiguresSayWhenTheyAreStale()
    {
        BudgetGauge gauge;
        BudgetSnapshot fresh = snapshotWith(BudgetState::Active, 100, 0);
        fresh.team.server = u"alice@db.example.com:5432/safecell, TLS verify-full"_s;
        fresh.team.readAt = QDateTime::currentDateTimeUtc();
        gauge.setSnapshot(fresh);
        QCOMPARE(gauge.text(), u"$1.00 of $5.00"_s);
        QVERIFY(gauge.toolTip().contains(u"alice@db.example.com"_s));

        BudgetSnapshot stale = fresh;
        stale.team.staleSince = QDateTime::currentDateTimeUtc();
        stale.team.problem = u"connection refused"_s;
        stale.team.queuedCalls = 2;
        gauge.setSnapshot(stale);
        QVERIFY2(gauge.text().contains(u"team figures stale since"_s), qPrintable(gauge.text()));
        QVERIFY(gauge.toolTip().contains(u"paid steps are refused"_s));
        QVERIFY(gauge.toolTip().contains(u"connection refused"_s));
        QVERIFY(gauge.toolTip().contains(u"2 settle"_s));

        BudgetSnapshot never = snapshotWith(BudgetState::Stopped, 0, 0);
        never.team.server = fresh.team.server;
        gauge.setSnapshot(never);
        QVERIFY2(gauge.text().contains(u"team server unreachable"_s), qPrintable(gauge.text()));
        QVERIFY(gauge.toolTip().contains(u"has not answered yet"_s));
    }

    // Spends `usd` as another process would: its own connection and controller.
    static void spendElsewhere(const QString &path, const Settings &settings, double usd)
    {
        auto ledger = SpendLedger::open(path);
        QVERIFY(ledger);
        BudgetController spender(**ledger, BudgetPolicy::fromSettings(settings));
        const auto hold = spender.reserve(*Money::fromUsd(usd), BudgetScopes::forLocalUser(),
                                          QUuid::createUuid().toString(), u"llm"_s);
        QVERIFY(hold);
        Charge charge;
        charge.kind = ChargeKind::Llm;
        charge.resource = u"command-r"_s;
        charge.cost = *Money::fromUsd(usd);
        QVERIFY(spender.settle(*hold, charge));
    }

    void monitorSeesOtherProcessesSpendAndTheLedgersAlerts()
    {
        Settings settings(m_dir.filePath(u"b.ini"_s));
        settings.setValue(Setting::BudgetMonthlyLimitUsd, 1.0);
        settings.setValue(Setting::BudgetWarnThreshold, 0.3);
        settings.setValue(Setting::BudgetDegradeThreshold, 0.9);
        const QString path = m_dir.filePath(u"ledger.sqlite"_s);
        // Crossed before the window started: the gauge shows it, no notice.
        spendElsewhere(path, settings, 0.35);
        BudgetMonitor monitor(settings, path);
        QSignalSpy snapshots(&monitor, &BudgetMonitor::snapshotChanged);
        QSignalSpy alerts(&monitor, &BudgetMonitor::alertFired);
        QVERIFY(refreshAndWait(monitor, snapshots));
        QCOMPARE(snapshots.last().at(0).value<BudgetSnapshot>().state, BudgetState::Warned);
        QCOMPARE(alerts.count(), 0);

        // Another process crosses Degraded; nobody pokes the monitor: its
        // watcher sees the commit itself.
        spendElsewhere(path, settings, 0.6);
        QTRY_COMPARE_WITH_TIMEOUT(alerts.count(), 1, 5000);
        const auto alert = alerts.last().at(0).value<BudgetAlert>();
        QCOMPARE(alert.state, BudgetState::Degraded);
        QCOMPARE(alert.level, ScopeLevel::Org);
        QCOMPARE(alert.used.nanos(), Money::fromUsd(0.95)->nanos());
        QCOMPARE(alert.limit, *Money::fromUsd(1.0));
        QCOMPARE(snapshots.last().at(0).value<BudgetSnapshot>().spent, *Money::fromUsd(0.95));

        // Read again, and another commit that crosses nothing: no second notice.
        QVERIFY(refreshAndWait(monitor, snapshots));
        spendElsewhere(path, settings, 0.01);
        QTRY_COMPARE_WITH_TIMEOUT(snapshots.last().at(0).value<BudgetSnapshot>().spent, *Money::fromUsd(0.96), 5000);
        QCOMPARE(alerts.count(), 1);
    }

    void aThresholdAnotherProcessCrossesIsNotifiedInTheWindow()
    {
        qputenv("SAFECELL_DATA_DIR", m_dir.filePath(u"watch-data"_s).toUtf8());
        Settings settings(m_dir.filePath(u"w.ini"_s));
        settings.setValue(Setting::BudgetMonthlyLimitUsd, 1.0);
        settings.setValue(Setting::BudgetWarnThreshold, 0.5);
        QMainWindow window;
        BudgetWatch watch(settings, window.addToolBar(u"run"_s), window.statusBar());
        QSignalSpy snapshots(watch.monitor(), &BudgetMonitor::snapshotChanged);
        QTRY_VERIFY_WITH_TIMEOUT(!snapshots.isEmpty(), 5000); // its first read, once the window is up
        spendElsewhere(defaultLedgerPath(), settings, 0.6);
        QTRY_COMPARE_WITH_TIMEOUT(watch.notifier()->lastMessage(), u"Budget warning: $0.60 of $1.00 used"_s, 5000);
        QCOMPARE(watch.gauge()->snapshot().state, BudgetState::Warned);
        qunsetenv("SAFECELL_DATA_DIR");
    }

    void aRunsOwnSnapshotIsShownWithoutARead()
    {
        Settings settings(m_dir.filePath(u"r.ini"_s));
        BudgetMonitor monitor(settings, m_dir.filePath(u"run-ledger.sqlite"_s));
        QSignalSpy snapshots(&monitor, &BudgetMonitor::snapshotChanged);
        const BudgetSnapshot reported = snapshotWith(BudgetState::Degraded, 460, 0);
        monitor.showRunSnapshot(reported);
        QCOMPARE(snapshots.count(), 1); // at once, on this thread
        QCOMPARE(snapshots.at(0).at(0).value<BudgetSnapshot>().spent, reported.spent);
    }

    void aCrashedProcesssHoldSaysWhenItLapsesAndIsChargedThen()
    {
        Settings settings(m_dir.filePath(u"c.ini"_s));
        settings.setValue(Setting::BudgetMonthlyLimitUsd, 5.0);
        const QString path = m_dir.filePath(u"crash-ledger.sqlite"_s);
        const QDateTime start = QDateTime::currentDateTimeUtc();
        ManualClock clock(start);
        {
            // A process reserves for a paid step and dies before settling.
            auto ledger = SpendLedger::open(path);
            QVERIFY(ledger);
            BudgetController crashed(**ledger, BudgetPolicy::fromSettings(settings), clock);
            QVERIFY(crashed.reserve(*Money::fromUsd(0.25), BudgetScopes::forLocalUser(), u"run1"_s, u"e2b"_s));
        }
        const QDateTime lapses = start.addMSecs(BudgetPolicy().reservationTtlMs);

        BudgetGauge gauge;
        BudgetMonitor monitor(settings, path, nullptr, clock);
        connect(&monitor, &BudgetMonitor::snapshotChanged, &gauge, &BudgetGauge::setSnapshot);
        QSignalSpy snapshots(&monitor, &BudgetMonitor::snapshotChanged);
        QVERIFY(refreshAndWait(monitor, snapshots));
        const QDateTime local = lapses.toLocalTime();
        const QString until = local.date() == QDate::currentDate()
                                  ? QLocale().toString(local.time(), QLocale::ShortFormat)
                                  : QLocale().toString(local, QLocale::ShortFormat);
        QCOMPARE(gauge.text(), u"$0.00 of $5.00  (+$0.25 held until %1)"_s.arg(until));
        QVERIFY(gauge.toolTip().contains(u"charged in full at its expiry"_s));
        // The monitor reads again just after the hold lapses, with nothing else happening.
        const auto due = monitor.msUntilLapseRefresh();
        QVERIFY(due);
        QVERIFY2(*due > BudgetPolicy().reservationTtlMs - 60'000 && *due <= BudgetPolicy().reservationTtlMs + 5000,
                 qPrintable(QString::number(*due)));

        // Lapsed unsettled: the provider may have billed it all, so it is spend now, named as such.
        clock.set(lapses);
        QVERIFY(refreshAndWait(monitor, snapshots));
        QCOMPARE(gauge.snapshot().reserved.nanos(), 0);
        QCOMPARE(gauge.snapshot().spent, *Money::fromUsd(0.25));
        QCOMPARE(gauge.snapshot().chargedOnLapse, *Money::fromUsd(0.25));
        QCOMPARE(gauge.text(), u"$0.25 of $5.00"_s);
        QVERIFY(!gauge.toolTip().contains(u"held until"_s));
        QVERIFY(gauge.toolTip().contains(u"$0.25 spent ($0.25 charged on lapse)"_s));
        QVERIFY(!monitor.msUntilLapseRefresh());
        // Shown as spent by a watcher that only reads: the hold is still
        // there for the next process that spends to charge.
        auto ledger = SpendLedger::open(path);
        QVERIFY(ledger);
        QCOMPARE(*(*ledger)->hasLapsedReservations(lapses.toMSecsSinceEpoch()), true);
    }

    void notifierFallsBackToTheStatusBar()
    {
        QStatusBar bar;
        DesktopNotifier notifier(&bar);
        notifier.notify(u"Budget warning"_s, u"$4 of $5 spent"_s);
        QCOMPARE(notifier.lastMessage(), u"Budget warning: $4 of $5 spent"_s);
        QCOMPARE(bar.currentMessage(), notifier.lastMessage());
    }
};

QTEST_MAIN(TestBudgetGauge)
#include "tst_budgetgauge.moc"
