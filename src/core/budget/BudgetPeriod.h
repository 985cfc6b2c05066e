#pragma once

#include <QDateTime>
#include <QTimeZone>

namespace safecell {

// A budget period: a calendar month in the user's local time, starting on a
// configurable day (1..28, so every month has it). [start, end).
struct BudgetPeriod {
    QDateTime start; // UTC
    QDateTime end;   // UTC, exclusive

    bool contains(const QDateTime &t) const { return t >= start && t < end; }
    static BudgetPeriod containing(const QDateTime &nowUtc, const QTimeZone &zone, int firstDay = 1);
    static int clampFirstDay(int day);
};

} // namespace safecell
