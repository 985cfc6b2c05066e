#include "budget/SpendLedger.h"
#include "budget/SpendReport.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestSpendReport : public QObject {
    Q_OBJECT
private:
    static Money usd(double v) { return *Money::fromUsd(v); }
    static QDateTime at(int day, int hour = 12) { return QDateTime(QDate(2026, 11, day), QTime(hour, 0), Qt::UTC); }
    static LedgerEntry entry(const QString &key, const QString &run, ChargeKind kind, const QString &resource,
                             double cost, const QDateTime &time)
    {
        LedgerEntry e;
        e.idempotencyKey = key;
        e.runId = run;
        e.step = u"step"_s;
        e.scopes = BudgetScopes::forLocalUser();
        e.charge.kind = kind;
        e.charge.resource = resource;
        e.charge.cost = usd(cost);
        e.time = time;
        return e;
    }

private Q_SLOTS:
    void groupsByDayModelSandboxAndRun()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ledger.sqlite"_s);
        auto ledger = SpendLedger::open(path);
        QVERIFY(ledger);
        const QList<LedgerEntry> entries = {
            entry(u"a"_s, u"r1"_s, ChargeKind::Llm, u"command-a"_s, 0.50, at(2, 9)),
            entry(u"b"_s, u"r1"_s, ChargeKind::Sandbox, u"e2b"_s, 0.10, at(2, 23)),
            entry(u"c"_s, u"r2"_s, ChargeKind::Llm, u"command-r7b"_s, 0.05, at(4)),
            entry(u"d"_s, u"r3"_s, ChargeKind::Llm, u"command-a"_s, 1.00, at(5)),
            entry(u"e"_s, u"r4"_s, ChargeKind::Local, u"local"_s, 0.0, at(5)),
            entry(u"f"_s, u"r5"_s, ChargeKind::Llm, u"command-a"_s, 9.00, at(30, 23)), // outside the range
        };
        for (const LedgerEntry &e : entries)
            QVERIFY((*ledger)->insertEntry(e));

        const auto report = readSpendReport(**ledger, at(1, 0), at(30, 0), 2);
        QVERIFY2(report, report ? "" : qPrintable(report.error().message));
        QCOMPARE(report->daily.size(), 3);
        QCOMPARE(report->daily.at(0).date, QDate(2026, 11, 2));
        QCOMPARE(report->daily.at(0).cost, usd(0.60));
        QCOMPARE(report->daily.at(2).cost, usd(1.00));
        QCOMPARE(report->byModel.size(), 2);
        QCOMPARE(report->byModel.at(0).name, u"command-a"_s);
        QCOMPARE(report->byModel.at(0).cost, usd(1.50));
        QCOMPARE(report->bySandbox.size(), 1);
        QCOMPARE(report->sandbox, usd(0.10));
        QCOMPARE(report->llm, usd(1.55));
        QCOMPARE(report->total(), usd(1.65));
        QCOMPARE(report->costliestRuns.size(), 2);
        QCOMPARE(report->costliestRuns.at(0).runId, u"r3"_s);
        QCOMPARE(report->costliestRuns.at(1).runId, u"r1"_s);
        QCOMPARE(report->costliestRuns.at(1).cost, usd(0.60));
    }

    void aLedgerThatCannotBeReadIsAnError()
    {
        QTemporaryDir dir;
        auto ledger = SpendLedger::open(dir.filePath(u"ledger.sqlite"_s));
        QVERIFY(ledger);
        QSqlQuery drop((*ledger)->database());
        QVERIFY(drop.exec(u"DROP TABLE entries"_s));
        drop.finish();
        const auto report = readSpendReport(**ledger, at(1), at(2));
        QVERIFY(!report);
        QVERIFY2(report.error().message.contains(u"entries"_s), qPrintable(report.error().message));
    }

    void forecastAtTheBurnRate()
    {
        const QDate start(2026, 11, 1), end(2026, 12, 1);
        // $1 a day over 5 days, limit $10: five more days -> Nov 10.
        QList<SpendReport::Day> daily;
        for (int d = 1; d <= 5; ++d)
            daily << SpendReport::Day{QDate(2026, 11, d), usd(1)};
        QCOMPARE(forecastLimitDay(daily, usd(10), start, end, QDate(2026, 11, 5)), QDate(2026, 11, 10));
        // A large limit is not reached this period.
        QCOMPARE(forecastLimitDay(daily, usd(1000), start, end, QDate(2026, 11, 5)), std::nullopt);
        // Already reached: the day it happened.
        QCOMPARE(forecastLimitDay(daily, usd(3), start, end, QDate(2026, 11, 5)), QDate(2026, 11, 3));
        // Nothing spent: no forecast.
        QCOMPARE(forecastLimitDay({}, usd(10), start, end, QDate(2026, 11, 5)), std::nullopt);
    }
};

QTEST_MAIN(TestSpendReport)
#include "tst_spendreport.moc"
