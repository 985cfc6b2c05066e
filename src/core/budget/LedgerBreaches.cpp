#include "LedgerBreaches.h"

#include "SpendLedger.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>

namespace safecell {

namespace {

QString scopeColumn(ScopeLevel level)
{
    switch (level) {
    case ScopeLevel::Org:
        return QStringLiteral("org_key");
    case ScopeLevel::User:
        return QStringLiteral("user_key");
    case ScopeLevel::Session:
        return QStringLiteral("session_key");
    case ScopeLevel::Task:
        return QStringLiteral("task_key");
    }
    Q_UNREACHABLE();
}

// The ledger's text columns are NOT NULL; a null QString would bind as NULL.
QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

LedgerError sqlError(const QString &what, const QSqlQuery &query)
{
    return LedgerError{QStringLiteral("ledger breaches: %1 failed: %2").arg(what, query.lastError().text())};
}

} // namespace

Expected<Done, LedgerError> LedgerBreaches::record(const Breach &b)
{
    QSqlQuery q(m_ledger.database());
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO breaches (idempotency_key, run_id, step, org_key, user_key,"
                             " session_key, task_key, held_nanos, settled_nanos, created_ms)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(text(b.idempotencyKey));
    q.addBindValue(text(b.runId));
    q.addBindValue(text(b.step));
    for (ScopeLevel level : kScopeLevels)
        q.addBindValue(text(b.scopes.key(level)));
    q.addBindValue(b.held.nanos());
    q.addBindValue(b.settled.nanos());
    q.addBindValue(b.time.toMSecsSinceEpoch());
    if (!q.exec())
        return unexpected(sqlError(QStringLiteral("record"), q));
    return Done{};
}

Expected<qint64, LedgerError> LedgerBreaches::count(ScopeLevel level, const QString &key, qint64 fromMs, qint64 toMs)
{
    QSqlQuery q(m_ledger.database());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM breaches WHERE %1 = ? AND created_ms >= ? AND created_ms < ?")
                  .arg(scopeColumn(level)));
    q.addBindValue(text(key));
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (!q.exec() || !q.next())
        return unexpected(sqlError(QStringLiteral("count"), q));
    return q.value(0).toLongLong();
}

Expected<QList<Breach>, LedgerError> LedgerBreaches::all()
{
    QSqlQuery q(m_ledger.database());
    if (!q.exec(QStringLiteral("SELECT idempotency_key, run_id, step, org_key, user_key, session_key, task_key,"
                               " held_nanos, settled_nanos, created_ms FROM breaches ORDER BY id")))
        return unexpected(sqlError(QStringLiteral("list"), q));
    QList<Breach> breaches;
    while (q.next()) {
        Breach b;
        b.idempotencyKey = q.value(0).toString();
        b.runId = q.value(1).toString();
        b.step = q.value(2).toString();
        for (ScopeLevel level : kScopeLevels)
            b.scopes.set(level, q.value(3 + int(level)).toString());
        b.held = Money::fromNanos(q.value(7).toLongLong());
        b.settled = Money::fromNanos(q.value(8).toLongLong());
        b.time = QDateTime::fromMSecsSinceEpoch(q.value(9).toLongLong(), QTimeZone::utc());
        breaches << b;
    }
    return breaches;
}

} // namespace safecell
