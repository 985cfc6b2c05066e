#include "BudgetPeriod.h"

#include <algorithm>

namespace safecell {

namespace {
QDateTime localMidnightUtc(QDate date, const QTimeZone &zone)
{
    // Where midnight does not exist (a DST jump at 00:00) Qt moves it
    // forward to the first valid local time, which is what a period wants.
    return QDateTime(date, QTime(0, 0), zone).toUTC();
}
} // namespace

int BudgetPeriod::clampFirstDay(int day)
{
    return std::clamp(day, 1, 28);
}

BudgetPeriod BudgetPeriod::containing(const QDateTime &nowUtc, const QTimeZone &zone, int firstDay)
{
    firstDay = clampFirstDay(firstDay);
    const QDate today = nowUtc.toTimeZone(zone).date();
    QDate start(today.year(), today.month(), firstDay);
    if (today < start)
        start = start.addMonths(-1);
    return {localMidnightUtc(start, zone), localMidnightUtc(start.addMonths(1), zone)};
}

} // namespace safecell
