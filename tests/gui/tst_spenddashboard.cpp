#include "budget/SpendLedger.h"
#include "gui/SpendDashboard.h"
#include "settings/Settings.h"

#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QPieSeries>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestSpendDashboard : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_ledger;

    static QDateTime at(int month, int day) { return QDateTime(QDate(2026, month, day), QTime(10, 0), Qt::UTC); }
    void add(const QString &key, const QString &run, ChargeKind kind, const QString &resource, double cost,
             const QDateTime &time)
    {
        auto ledger = SpendLedger::open(m_ledger);
        QVERIFY(ledger);
        LedgerEntry e;
        e.idempotencyKey = key;
        e.runId = run;
        e.step = u"s"_s;
        e.scopes = BudgetScopes::forLocalUser();
        e.charge.kind = kind;
        e.charge.resource = resource;
        e.charge.cost = *Money::fromUsd(cost);
        e.time = time;
        QVERIFY((*ledger)->insertEntry(e));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_ledger = m_dir.filePath(u"ledger.sqlite"_s);
        add(u"1"_s, u"run-a"_s, ChargeKind::Llm, u"command-a"_s, 1.0, at(11, 1));
        add(u"2"_s, u"run-b"_s, ChargeKind::Sandbox, u"e2b"_s, 0.5, at(11, 2));
        add(u"3"_s, u"run-c"_s, ChargeKind::Llm, u"command-r7b"_s, 0.5, at(11, 3));
        add(u"4"_s, u"run-old"_s, ChargeKind::Llm, u"command-a"_s, 4.0, at(10, 15));
    }

    void thisMonthWithForecastChartsAndRuns()
    {
        Settings settings(m_dir.filePath(u"d.ini"_s));
        settings.setValue(Setting::BudgetMonthlyLimitUsd, 10.0);
        SpendDashboard dashboard(settings, m_ledger, at(11, 4));
        dashboard.show();
        QTRY_VERIFY(!dashboard.isLoading()); // read on the query thread
        QCOMPARE(dashboard.report().total(), *Money::fromUsd(2.0));
        // $2 over 4 days = $0.50 a day; $8 left -> 16 more days: Nov 20.
        QCOMPARE(dashboard.forecast(), QDate(2026, 11, 20));
        QVERIFY(dashboard.summaryText().contains(u"$2.00"_s));
        QCOMPARE(dashboard.dailyChart()->series().size(), 3); // spent, limit, forecast
        auto *spent = qobject_cast<QLineSeries *>(dashboard.dailyChart()->series().at(0));
        QVERIFY(spent);
        QCOMPARE(spent->points().last().y(), 2.0);
        auto *bars = qobject_cast<QHorizontalBarSeries *>(dashboard.byResourceChart()->series().at(0));
        QVERIFY(bars);
        QCOMPARE(bars->barSets().at(0)->count(), 3); // two models and one sandbox
        QCOMPARE(bars->barSets().at(0)->at(0), 1.0); // costliest first
        auto *pie = qobject_cast<QPieSeries *>(dashboard.splitChart()->series().at(0));
        QVERIFY(pie);
        QCOMPARE(pie->count(), 2);
        QCOMPARE(pie->sum(), 2.0);
        auto *runs = dashboard.findChild<QTableWidget *>(u"runsTable"_s);
        QCOMPARE(runs->rowCount(), 3);
        QCOMPARE(runs->item(0, 0)->text(), u"run-a"_s);
    }

    void periodSelectorChangesTheFigures()
    {
        Settings settings(m_dir.filePath(u"e.ini"_s));
        SpendDashboard dashboard(settings, m_ledger, at(11, 4));
        auto *box = dashboard.findChild<QComboBox *>(u"periodBox"_s);
        box->setCurrentIndex(box->findData(int(SpendDashboard::Period::LastMonth)));
        QTRY_VERIFY(!dashboard.isLoading());
        QCOMPARE(dashboard.report().total(), *Money::fromUsd(4.0));
        QCOMPARE(dashboard.forecast(), std::nullopt);
        QCOMPARE(dashboard.dailyChart()->series().size(), 2); // no forecast for a past period
        dashboard.setPeriod(SpendDashboard::Period::Last7Days);
        QTRY_VERIFY(!dashboard.isLoading());
        QCOMPARE(dashboard.report().total(), *Money::fromUsd(2.0));
    }
};

QTEST_MAIN(TestSpendDashboard)
#include "tst_spenddashboard.moc"
