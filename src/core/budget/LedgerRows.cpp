#include "LedgerRows.h"

#include <QTimeZone>

#include <limits>

namespace safecell::ledgerrows {

qint64 slotOf(qint64 ms)
{
    return ms >= 0 ? ms / kSlotMs : -((-ms + kSlotMs - 1) / kSlotMs);
}

qint64 slotCeil(qint64 ms)
{
    if (ms >= std::numeric_limits<qint64>::max() - kSlotMs)
        return std::numeric_limits<qint64>::max();
    return -slotOf(-ms);
}

const char *scopeColumn(ScopeLevel level)
{
    switch (level) {
    case ScopeLevel::Org:
        return "org_key";
    case ScopeLevel::User:
        return "user_key";
    case ScopeLevel::Session:
        return "session_key";
    case ScopeLevel::Task:
        return "task_key";
    }
    Q_UNREACHABLE();
}

QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

QVariantList scopeValues(const BudgetScopes &scopes)
{
    QVariantList values;
    for (ScopeLevel level : kScopeLevels)
        values << text(scopes.key(level));
    return values;
}

namespace {
BudgetScopes scopesFrom(const QSqlQuery &q, int first)
{
    BudgetScopes scopes;
    for (ScopeLevel level : kScopeLevels)
        scopes.set(level, q.value(first + int(level)).toString());
    return scopes;
}
} // namespace

const QString kEntryColumns = QStringLiteral(
    "id, idempotency_key, run_id, step, org_key, user_key, session_key, task_key, kind, resource,"
    " input_tokens, output_tokens, duration_ms, cost_nanos, reserved_nanos, created_ms, lapsed_hold");

LedgerEntry entryFrom(const QSqlQuery &q)
{
    LedgerEntry e;
    e.id = q.value(0).toLongLong();
    e.idempotencyKey = q.value(1).toString();
    e.runId = q.value(2).toString();
    e.step = q.value(3).toString();
    e.scopes = scopesFrom(q, 4);
    e.charge.kind = chargeKindFromName(q.value(8).toString()).value_or(ChargeKind::Local);
    e.charge.resource = q.value(9).toString();
    e.charge.inputTokens = q.value(10).toLongLong();
    e.charge.outputTokens = q.value(11).toLongLong();
    e.charge.durationMs = q.value(12).toLongLong();
    e.charge.cost = Money::fromNanos(q.value(13).toLongLong());
    e.reserved = Money::fromNanos(q.value(14).toLongLong());
    e.time = QDateTime::fromMSecsSinceEpoch(q.value(15).toLongLong(), QTimeZone::utc());
    e.lapsedHold = q.value(16).toString();
    return e;
}

const QString kReservationColumns = QStringLiteral(
    "id, idempotency_key, run_id, step, org_key, user_key, session_key, task_key, amount_nanos,"
    " created_ms, expires_ms, kind, resource");

Reservation reservationFrom(const QSqlQuery &q)
{
    Reservation r;
    r.id = q.value(0).toString();
    r.idempotencyKey = q.value(1).toString();
    r.runId = q.value(2).toString();
    r.step = q.value(3).toString();
    r.scopes = scopesFrom(q, 4);
    r.amount = Money::fromNanos(q.value(8).toLongLong());
    r.created = QDateTime::fromMSecsSinceEpoch(q.value(9).toLongLong(), QTimeZone::utc());
    r.expires = QDateTime::fromMSecsSinceEpoch(q.value(10).toLongLong(), QTimeZone::utc());
    r.kind = chargeKindFromName(q.value(11).toString()).value_or(ChargeKind::Llm);
    r.resource = q.value(12).toString();
    return r;
}

} // namespace safecell::ledgerrows
