#include "SpendReport.h"

#include "SpendLedger.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

#include <functional>

#include <cmath>

namespace safecell {

namespace {

constexpr qint64 kDayMs = 24 * 60 * 60 * 1000;

Money moneyOf(const QVariant &value)
{
    return Money::fromNanos(value.toLongLong());
}

} // namespace

Expected<SpendReport, LedgerError> readSpendReport(SpendLedger &ledger, const QDateTime &from, const QDateTime &to,
                                                   int topRuns)
{
    SpendReport report;
    const qint64 fromMs = from.toMSecsSinceEpoch();
    const qint64 toMs = to.toMSecsSinceEpoch();
    auto run = [&](const QString &sql, const std::function<void(QSqlQuery &)> &row) -> Expected<Done, LedgerError> {
        QSqlQuery query(ledger.database());
        const bool prepared = query.prepare(sql);
        query.bindValue(QStringLiteral(":from"), fromMs);
        query.bindValue(QStringLiteral(":to"), toMs);
        if (!prepared || !query.exec())
            return unexpected(LedgerError{QStringLiteral("the spend report failed: %1").arg(query.lastError().text())});
        while (query.next())
            row(query);
        return Done{};
    };
    // One read transaction: the three views agree on what was spent.
    auto done = ledger.readTransaction([&]() -> Expected<Done, LedgerError> {
        auto daily = run(QStringLiteral("SELECT created_ms / %1 AS day, SUM(cost_nanos) FROM entries"
                                        " WHERE created_ms >= :from AND created_ms < :to GROUP BY day ORDER BY day")
                             .arg(kDayMs),
                         [&](QSqlQuery &q) {
            const QDate date = QDateTime::fromMSecsSinceEpoch(q.value(0).toLongLong() * kDayMs, Qt::UTC).date();
            report.daily << SpendReport::Day{date, moneyOf(q.value(1))};
        });
        if (!daily)
            return daily;
        auto shares = run(QStringLiteral("SELECT kind, resource, SUM(cost_nanos) AS c FROM entries"
                                         " WHERE created_ms >= :from AND created_ms < :to AND kind != 'local'"
                                         " GROUP BY kind, resource ORDER BY c DESC"),
                          [&](QSqlQuery &q) {
            const SpendReport::Share share{q.value(1).toString(), moneyOf(q.value(2))};
            if (q.value(0).toString() == QLatin1String("llm")) {
                report.byModel << share;
                report.llm += share.cost;
            } else {
                report.bySandbox << share;
                report.sandbox += share.cost;
            }
        });
        if (!shares)
            return shares;
        return run(QStringLiteral("SELECT run_id, SUM(cost_nanos) AS c, MAX(created_ms),"
                                  " SUM(CASE WHEN lapsed_hold <> '' THEN cost_nanos ELSE 0 END) FROM entries"
                                  " WHERE created_ms >= :from AND created_ms < :to GROUP BY run_id"
                                  " HAVING c > 0 ORDER BY c DESC LIMIT %1")
                       .arg(std::max(0, topRuns)),
                   [&](QSqlQuery &q) {
            report.costliestRuns << SpendReport::RunCost{q.value(0).toString(), moneyOf(q.value(1)),
                                                         QDateTime::fromMSecsSinceEpoch(q.value(2).toLongLong(),
                                                                                        Qt::UTC),
                                                         moneyOf(q.value(3))};
        });
    });
    if (!done)
        return unexpected(done.error());
    return report;
}

std::optional<QDate> forecastLimitDay(const QList<SpendReport::Day> &daily, Money limit, QDate periodStart,
                                      QDate periodEnd, QDate today)
{
    Money spent;
    for (const SpendReport::Day &day : daily) {
        if (day.date < periodStart || day.date > today)
            continue;
        spent += day.cost;
        if (limit.nanos() > 0 && spent >= limit)
            return day.date;
    }
    if (spent.nanos() == 0 || limit.nanos() == 0)
        return std::nullopt;
    const qint64 daysSoFar = periodStart.daysTo(today) + 1;
    const double perDay = double(spent.nanos()) / double(daysSoFar);
    const double daysLeft = double((limit - spent).nanos()) / perDay;
    const QDate reached = today.addDays(qint64(std::ceil(daysLeft)));
    if (reached >= periodEnd)
        return std::nullopt;
    return reached;
}

} // namespace safecell
