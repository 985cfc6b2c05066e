#include "budget/BudgetPeriod.h"
#include "budget/BudgetState.h"

#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestBudgetPeriod : public QObject {
    Q_OBJECT
private:
    const QTimeZone berlin{"Europe/Berlin"};

    QDateTime local(int y, int m, int d, int h, int min) const
    {
        return QDateTime(QDate(y, m, d), QTime(h, min), berlin);
    }

private Q_SLOTS:
    void calendarMonthInLocalTime()
    {
        QVERIFY(berlin.isValid());
        const auto p = BudgetPeriod::containing(local(2026, 11, 30, 23, 59).toUTC(), berlin);
        QCOMPARE(p.start, local(2026, 11, 1, 0, 0).toUTC());
        QCOMPARE(p.end, local(2026, 12, 1, 0, 0).toUTC());
        QCOMPARE(p.start.toUTC().time(), QTime(23, 0)); // Oct 31 23:00 UTC, UTC+1
        // One minute later it is December in Berlin (still November in UTC).
        const auto next = BudgetPeriod::containing(local(2026, 12, 1, 0, 0).toUTC(), berlin);
        QCOMPARE(next.start, p.end);
        QCOMPARE(next.start.toUTC(), QDateTime(QDate(2026, 11, 30), QTime(23, 0), QTimeZone::utc()));
    }

    void daylightSavingMonthsHaveTheirRealLength()
    {
        // March 2026 in Berlin loses an hour (31 days minus 1 hour).
        const auto p = BudgetPeriod::containing(local(2026, 3, 15, 12, 0).toUTC(), berlin);
        QCOMPARE(p.start.secsTo(p.end), qint64(31 * 24 - 1) * 3600);
    }

    void configurableFirstDay()
    {
        const auto before = BudgetPeriod::containing(local(2026, 1, 14, 23, 59).toUTC(), berlin, 15);
        QCOMPARE(before.start, local(2025, 12, 15, 0, 0).toUTC());
        QCOMPARE(before.end, local(2026, 1, 15, 0, 0).toUTC());
        const auto on = BudgetPeriod::containing(local(2026, 1, 15, 0, 0).toUTC(), berlin, 15);
        QCOMPARE(on.start, local(2026, 1, 15, 0, 0).toUTC());
        QCOMPARE(on.end, local(2026, 2, 15, 0, 0).toUTC());
        QCOMPARE(BudgetPeriod::clampFirstDay(31), 28);
        QCOMPARE(BudgetPeriod::clampFirstDay(0), 1);
    }

    void thresholdsAreExactAtTheirEdges_data()
    {
        QTest::addColumn<qint64>("usedNanos");
        QTest::addColumn<QString>("state");
        QTest::newRow("zero") << qint64(0) << u"active"_s;
        QTest::newRow("below warn") << qint64(749'999'999) << u"active"_s;
        QTest::newRow("at warn") << qint64(750'000'000) << u"warned"_s;
        QTest::newRow("above warn") << qint64(750'000'001) << u"warned"_s;
        QTest::newRow("below degrade") << qint64(899'999'999) << u"warned"_s;
        QTest::newRow("at degrade") << qint64(900'000'000) << u"degraded"_s;
        QTest::newRow("above degrade") << qint64(900'000'001) << u"degraded"_s;
        QTest::newRow("below stop") << qint64(999'999'999) << u"degraded"_s;
        QTest::newRow("at stop") << qint64(1'000'000'000) << u"stopped"_s;
        QTest::newRow("above stop") << qint64(1'000'000'001) << u"stopped"_s;
    }

    void thresholdsAreExactAtTheirEdges()
    {
        QFETCH(qint64, usedNanos);
        QFETCH(QString, state);
        QCOMPARE(budgetStateName(budgetStateFor(Money::fromNanos(usedNanos), Money::fromNanos(1'000'000'000), {})),
                 state);
    }

    void thresholdsFromSettingsAreValidated()
    {
        QVERIFY(BudgetThresholds::fromFractions(0.75, 0.9));
        QCOMPARE(BudgetThresholds::fromFractions(0.5, 0.8, 0.95)->stopPpm, 950'000);
        QVERIFY(!BudgetThresholds::fromFractions(0.9, 0.75)); // out of order
        QVERIFY(!BudgetThresholds::fromFractions(std::nan(""), 0.9));
        QVERIFY(!BudgetThresholds::fromFractions(-0.1, 0.9));
        QCOMPARE(hardCap(Money::fromNanos(1'000'000'000), *BudgetThresholds::fromFractions(0.5, 0.8, 0.95)).nanos(),
                 950'000'000);
    }

    void aZeroLimitIsStopped() { QCOMPARE(budgetStateFor(Money(), Money(), {}), BudgetState::Stopped); }
};

QTEST_GUILESS_MAIN(TestBudgetPeriod)
#include "tst_budgetperiod.moc"
