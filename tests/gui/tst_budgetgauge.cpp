#include "budget/BudgetController.h"
#include "budget/CostModel.h"
#include "budget/SpendLedger.h"
#include "gui/BudgetGauge.h"
#include "gui/BudgetMonitor.h"
#include "gui/DesktopNotifier.h"
#include "settings/Settings.h"

#include <QImage>
#include <QLocale>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestBudgetGauge : public QObject {
    Q_OBJECT
private:
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

    void monitorReadsTheLedgerAndNoticesACrossedThreshold()
    {
        Settings settings(m_dir.filePath(u"b.ini"_s));
        settings.setValue(Setting::BudgetMonthlyLimitUsd, 1.0);
        settings.setValue(Setting::BudgetWarnThreshold, 0.5);
        settings.setValue(Setting::BudgetDegradeThreshold, 0.9);
        const QString path = m_dir.filePath(u"ledger.sqlite"_s);
        BudgetMonitor monitor(settings, path);
        QSignalSpy snapshots(&monitor, &BudgetMonitor::snapshotChanged);
        QSignalSpy crossed(&monitor, &BudgetMonitor::thresholdCrossed);
        monitor.refresh();
        QCOMPARE(snapshots.count(), 1);
        QCOMPARE(snapshots.last().at(0).value<BudgetSnapshot>().state, BudgetState::Active);
        QCOMPARE(crossed.count(), 0);

        // Another component (the run pipeline) spends 60 cents.
        auto ledger = SpendLedger::open(path);
        QVERIFY(ledger);
        BudgetController spender(**ledger, BudgetPolicy::fromSettings(settings));
        const auto hold = spender.reserve(*Money::fromUsd(0.6), BudgetScopes::forLocalUser(), u"run1"_s, u"llm"_s);
        QVERIFY(hold);
        Charge charge;
        charge.kind = ChargeKind::Llm;
        charge.resource = u"command-r"_s;
        charge.cost = *Money::fromUsd(0.6);
        QVERIFY(spender.settle(*hold, charge));

        monitor.refresh();
        QCOMPARE(snapshots.count(), 2);
        const auto snapshot = snapshots.last().at(0).value<BudgetSnapshot>();
        QCOMPARE(snapshot.state, BudgetState::Warned);
        QCOMPARE(snapshot.spent, *Money::fromUsd(0.6));
        QCOMPARE(crossed.count(), 1);
        QCOMPARE(crossed.last().at(0).value<BudgetState>(), BudgetState::Warned);
        monitor.refresh(); // same state: no second alert
        QCOMPARE(crossed.count(), 1);
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
        monitor.refresh();
        const QDateTime local = lapses.toLocalTime();
        const QString until = local.date() == QDate::currentDate() ? QLocale().toString(local.time(), QLocale::ShortFormat)
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
        monitor.refresh();
        QCOMPARE(gauge.snapshot().reserved.nanos(), 0);
        QCOMPARE(gauge.snapshot().spent, *Money::fromUsd(0.25));
        QCOMPARE(gauge.snapshot().chargedOnLapse, *Money::fromUsd(0.25));
        QCOMPARE(gauge.text(), u"$0.25 of $5.00"_s);
        QVERIFY(!gauge.toolTip().contains(u"held until"_s));
        QVERIFY(gauge.toolTip().contains(u"$0.25 spent ($0.25 charged on lapse)"_s));
        QVERIFY(!monitor.msUntilLapseRefresh());
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
