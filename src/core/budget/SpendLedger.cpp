#include "SpendLedger.h"

#include "LedgerMigrations.h"
#include "LedgerRows.h"

#include <QTimeZone>

namespace safecell {

using namespace ledgerrows;

SpendLedger::SpendLedger(std::unique_ptr<LedgerConnection> connection) : m_connection(std::move(connection)) {}

SpendLedger::~SpendLedger() = default;

Expected<std::unique_ptr<SpendLedger>, LedgerError> SpendLedger::open(const QString &path)
{
    auto connection = LedgerConnection::open(path);
    if (!connection)
        return unexpected(connection.error());
    if (auto migrated = migrateLedger(*connection.value()); !migrated)
        return unexpected(migrated.error());
    return std::unique_ptr<SpendLedger>(new SpendLedger(std::move(connection.value())));
}

int SpendLedger::schemaVersion()
{
    return ledgerSchemaVersion(*m_connection);
}

Expected<Done, LedgerError> SpendLedger::writeTransaction(const std::function<Expected<Done, LedgerError>()> &work,
                                                          Durability durability)
{
    return m_connection->writeTransaction(work, durability);
}

Expected<Done, LedgerError> SpendLedger::readTransaction(const std::function<Expected<Done, LedgerError>()> &work)
{
    return m_connection->readTransaction(work);
}

Expected<Money, LedgerError> SpendLedger::settled(ScopeLevel level, const QString &key, qint64 fromMs, qint64 toMs)
{
    auto value = m_connection->scalar(QStringLiteral("SELECT COALESCE(SUM(cost_nanos), 0) FROM spend_slots"
                                       " WHERE level = ? AND scope_key = ? AND slot >= ? AND slot < ?"),
                        {int(level), text(key), slotOf(fromMs), slotCeil(toMs)});
    if (!value)
        return unexpected(value.error());
    return Money::fromNanos(value->toLongLong());
}

Expected<Money, LedgerError> SpendLedger::reserved(ScopeLevel level, const QString &key, qint64 nowMs)
{
    auto value = m_connection->scalar(QStringLiteral("SELECT COALESCE(SUM(amount_nanos), 0) FROM reservations WHERE %1 = ?"
                                       " AND expires_ms > ?")
                            .arg(QLatin1String(scopeColumn(level))),
                        {text(key), nowMs});
    if (!value)
        return unexpected(value.error());
    return Money::fromNanos(value->toLongLong());
}

Expected<std::optional<SpendLedger::HoldSpan>, LedgerError> SpendLedger::holdSpan(ScopeLevel level, const QString &key,
                                                                                  qint64 nowMs)
{
    auto value = m_connection->scalar(QStringLiteral("SELECT COALESCE(MIN(expires_ms), 0) || '/' || COALESCE(MAX(expires_ms), 0)"
                                       " FROM reservations WHERE %1 = ? AND expires_ms > ?")
                            .arg(QLatin1String(scopeColumn(level))),
                        {text(key), nowMs});
    if (!value)
        return unexpected(value.error());
    const QStringList parts = value->toString().split(QLatin1Char('/'));
    const qint64 first = parts.value(0).toLongLong();
    if (first <= 0)
        return std::optional<HoldSpan>();
    return std::optional<HoldSpan>(HoldSpan{first, parts.value(1).toLongLong()});
}

Expected<Done, LedgerError> SpendLedger::insertReservation(const Reservation &r)
{
    auto query = m_connection->prepared(QStringLiteral("INSERT INTO reservations (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                              .arg(kReservationColumns));
    if (!query)
        return unexpected(query.error());
    QVariantList values{text(r.id), text(r.idempotencyKey), text(r.runId), text(r.step)};
    values << scopeValues(r.scopes);
    values << r.amount.nanos() << r.created.toMSecsSinceEpoch() << r.expires.toMSecsSinceEpoch()
           << chargeKindName(r.kind) << text(r.resource);
    return m_connection->execPrepared(*query, values);
}

Expected<Done, LedgerError> SpendLedger::updateReservation(const Reservation &r)
{
    auto query = m_connection->prepared(QStringLiteral("UPDATE reservations SET org_key = ?, user_key = ?, session_key = ?,"
                                         " task_key = ?, amount_nanos = ?, expires_ms = ?, run_id = ?, kind = ?,"
                                         " resource = ? WHERE id = ?"));
    if (!query)
        return unexpected(query.error());
    QVariantList values = scopeValues(r.scopes);
    values << r.amount.nanos() << r.expires.toMSecsSinceEpoch() << text(r.runId) << chargeKindName(r.kind)
           << text(r.resource) << text(r.id);
    return m_connection->execPrepared(*query, values);
}

Expected<bool, LedgerError> SpendLedger::deleteReservation(const QString &id)
{
    auto query = m_connection->prepared(QStringLiteral("DELETE FROM reservations WHERE id = ?"));
    if (!query)
        return unexpected(query.error());
    if (auto done = m_connection->execPrepared(*query, {id}); !done)
        return unexpected(done.error());
    return (*query)->numRowsAffected() > 0;
}

Expected<std::optional<Reservation>, LedgerError> SpendLedger::findReservation(const QString &id)
{
    auto query = m_connection->prepared(QStringLiteral("SELECT %1 FROM reservations WHERE id = ?").arg(kReservationColumns));
    if (!query)
        return unexpected(query.error());
    if (auto done = m_connection->execPrepared(*query, {id}); !done)
        return unexpected(done.error());
    std::optional<Reservation> found;
    if ((*query)->next())
        found = reservationFrom(**query);
    (*query)->finish();
    return found;
}

Expected<std::optional<LedgerEntry>, LedgerError> SpendLedger::findEntry(const QString &idempotencyKey)
{
    auto query = m_connection->prepared(QStringLiteral("SELECT %1 FROM entries WHERE idempotency_key = ?").arg(kEntryColumns));
    if (!query)
        return unexpected(query.error());
    if (auto done = m_connection->execPrepared(*query, {idempotencyKey}); !done)
        return unexpected(done.error());
    std::optional<LedgerEntry> found;
    if ((*query)->next())
        found = entryFrom(**query);
    (*query)->finish();
    return found;
}

Expected<QList<LedgerEntry>, LedgerError> SpendLedger::entriesForRun(const QString &runId)
{
    auto query = m_connection->prepared(QStringLiteral("SELECT %1 FROM entries WHERE run_id = ? ORDER BY id").arg(kEntryColumns));
    if (!query)
        return unexpected(query.error());
    if (auto done = m_connection->execPrepared(*query, {runId}); !done)
        return unexpected(done.error());
    QList<LedgerEntry> entries;
    while ((*query)->next())
        entries << entryFrom(**query);
    (*query)->finish();
    return entries;
}

Expected<SpendLedger::InsertResult, LedgerError> SpendLedger::insertEntry(const LedgerEntry &e)
{
    auto insert = m_connection->prepared(QStringLiteral("INSERT INTO entries (idempotency_key, run_id, step, org_key, user_key,"
                                          " session_key, task_key, kind, resource, input_tokens, output_tokens,"
                                          " duration_ms, cost_nanos, reserved_nanos, created_ms, lapsed_hold)"
                                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                          " ON CONFLICT (idempotency_key) DO NOTHING"));
    if (!insert)
        return unexpected(insert.error());
    QVariantList values{text(e.idempotencyKey), text(e.runId), text(e.step)};
    values << scopeValues(e.scopes);
    values << chargeKindName(e.charge.kind) << text(e.charge.resource) << std::max<qint64>(0, e.charge.inputTokens)
           << std::max<qint64>(0, e.charge.outputTokens) << std::max<qint64>(0, e.charge.durationMs)
           << e.charge.cost.nanos() << e.reserved.nanos() << e.time.toMSecsSinceEpoch() << text(e.lapsedHold);
    if (auto done = m_connection->execPrepared(*insert, values); !done)
        return unexpected(done.error());
    if ((*insert)->numRowsAffected() == 0) {
        auto existing = findEntry(e.idempotencyKey);
        if (!existing)
            return unexpected(existing.error());
        if (!*existing)
            return unexpected(LedgerError{QStringLiteral("entry %1 conflicts but cannot be read").arg(e.idempotencyKey)});
        return InsertResult{**existing, false};
    }
    LedgerEntry stored = e;
    stored.id = (*insert)->lastInsertId().toLongLong();

    auto upsert = m_connection->prepared(QStringLiteral("INSERT INTO spend_slots (level, scope_key, slot, cost_nanos, entries)"
                                          " VALUES (?, ?, ?, ?, 1) ON CONFLICT (level, scope_key, slot) DO UPDATE"
                                          " SET cost_nanos = cost_nanos + excluded.cost_nanos,"
                                          " entries = entries + 1"));
    if (!upsert)
        return unexpected(upsert.error());
    const qint64 slot = slotOf(e.time.toMSecsSinceEpoch());
    for (ScopeLevel level : kScopeLevels) {
        if (e.scopes.key(level).isEmpty())
            continue;
        if (auto done = m_connection->execPrepared(*upsert, {int(level), e.scopes.key(level), slot, e.charge.cost.nanos()}); !done)
            return unexpected(done.error());
    }
    return InsertResult{stored, true};
}

Expected<bool, LedgerError> SpendLedger::recordAlert(ScopeLevel level, const QString &key, qint64 periodStartMs,
                                                     const QString &state, qint64 nowMs)
{
    auto query = m_connection->prepared(QStringLiteral("INSERT OR IGNORE INTO alerts (level, scope_key, period_start_ms, state,"
                                         " fired_ms) VALUES (?, ?, ?, ?, ?)"));
    if (!query)
        return unexpected(query.error());
    if (auto done = m_connection->execPrepared(*query, {int(level), text(key), periodStartMs, state, nowMs}); !done)
        return unexpected(done.error());
    return (*query)->numRowsAffected() > 0;
}

Expected<bool, LedgerError> SpendLedger::aggregatesMatchEntries()
{
    for (ScopeLevel level : kScopeLevels) {
        const QString column = QLatin1String(scopeColumn(level));
        auto fromEntries = m_connection->scalar(QStringLiteral("SELECT COALESCE(SUM(cost_nanos), 0) || '/' || COUNT(*)"
                                                 " FROM entries WHERE %1 <> ''").arg(column), {});
        auto fromSlots = m_connection->scalar(QStringLiteral("SELECT COALESCE(SUM(cost_nanos), 0) || '/' || COALESCE(SUM(entries), 0)"
                                               " FROM spend_slots WHERE level = ?"), {int(level)});
        if (!fromEntries)
            return unexpected(fromEntries.error());
        if (!fromSlots)
            return unexpected(fromSlots.error());
        if (fromEntries->toString() != fromSlots->toString())
            return false;
    }
    return true;
}

} // namespace safecell
