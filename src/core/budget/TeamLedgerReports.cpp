// What the team ledger reads for people rather than for holds: the
// month's alerts and the admin's report (see TeamLedger.h).
#include "TeamLedger.h"

#include <QTimeZone>

namespace safecell {

namespace {

QDateTime fromEpochMs(const QVariant &value)
{
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), QTimeZone::utc());
}

QString utcText(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

Expected<QList<TeamAlertRecord>, TeamError> TeamLedger::alerts()
{
    auto query = run(QStringLiteral("SELECT level, key, state, used_nanos, limit_nanos, "
                                    "(extract(epoch FROM fired_at) * 1000)::bigint FROM safecell.alerts "
                                    "WHERE period_start = safecell.period_start(now()) "
                                    "ORDER BY fired_at, level, key, "
                                    "array_position(ARRAY['warned', 'degraded', 'stopped'], state)"));
    if (!query) {
        // A server not yet at version 6 keeps no alerts.
        if (query.error().kind == TeamError::Kind::NotInitialised) {
            const auto version = schemaVersion();
            if (version && *version >= 1 && *version < 6)
                return QList<TeamAlertRecord>();
        }
        return unexpected(std::move(query).error());
    }
    QList<TeamAlertRecord> alerts;
    while (query->next()) {
        TeamAlertRecord alert;
        alert.level = scopeLevelFromName(query->value(0).toString()).value_or(ScopeLevel::Org);
        alert.key = query->value(1).toString();
        alert.state = budgetStateFromName(query->value(2).toString()).value_or(BudgetState::Stopped);
        alert.used = Money::fromNanos(query->value(3).toLongLong());
        alert.limit = Money::fromNanos(query->value(4).toLongLong());
        alert.firedAt = fromEpochMs(query->value(5));
        alerts.append(alert);
    }
    return alerts;
}

Expected<QList<TeamReportRow>, TeamError> TeamLedger::report(const QDate &month)
{
    const QDate first(month.year(), month.month(), 1);
    const QDateTime from(first, QTime(0, 0), QTimeZone::utc());
    const QDateTime to = from.addMonths(1);
    auto query = run(QStringLiteral("SELECT analyst, kind, resource, count(*), sum(cost_nanos)::bigint "
                                    "FROM safecell.entries WHERE created_at >= ?::timestamptz "
                                    "AND created_at < ?::timestamptz "
                                    "GROUP BY analyst, kind, resource ORDER BY analyst, kind, resource"),
                     {utcText(from), utcText(to)});
    if (!query)
        return unexpected(std::move(query).error());
    QList<TeamReportRow> rows;
    while (query->next()) {
        TeamReportRow row;
        row.analyst = query->value(0).toString();
        row.kind = chargeKindFromName(query->value(1).toString()).value_or(ChargeKind::Local);
        row.resource = query->value(2).toString();
        row.steps = query->value(3).toLongLong();
        row.cost = Money::fromNanos(query->value(4).toLongLong());
        rows.append(row);
    }
    return rows;
}

} // namespace safecell
