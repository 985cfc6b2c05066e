// Settled entries and the per-scope aggregates kept with them
// (see SpendLedger.h).
#include "SpendLedger.h"

#include "LedgerRows.h"

namespace safecell {

using namespace ledgerrows;

Expected<SpendLedger::InsertResult, LedgerError> SpendLedger::insertEntry(const LedgerEntry &e)
{
    auto insert = m_connection->prepared(
        QStringLiteral("INSERT INTO entries (idempotency_key, run_id, step, org_key, user_key,"
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
            return unexpected(
                LedgerError{QStringLiteral("entry %1 conflicts but cannot be read").arg(e.idempotencyKey)});
        return InsertResult{**existing, false};
    }
    LedgerEntry stored = e;
    stored.id = (*insert)->lastInsertId().toLongLong();

    auto upsert = m_connection->prepared(
        QStringLiteral("INSERT INTO spend_slots (level, scope_key, slot, cost_nanos, entries)"
                       " VALUES (?, ?, ?, ?, 1) ON CONFLICT (level, scope_key, slot) DO UPDATE"
                       " SET cost_nanos = cost_nanos + excluded.cost_nanos,"
                       " entries = entries + 1"));
    if (!upsert)
        return unexpected(upsert.error());
    const qint64 slot = slotOf(e.time.toMSecsSinceEpoch());
    for (ScopeLevel level : kScopeLevels) {
        if (e.scopes.key(level).isEmpty())
            continue;
        const QVariantList slotValues{int(level), e.scopes.key(level), slot, e.charge.cost.nanos()};
        if (auto done = m_connection->execPrepared(*upsert, slotValues); !done)
            return unexpected(done.error());
    }
    return InsertResult{stored, true};
}

Expected<std::optional<LedgerEntry>, LedgerError> SpendLedger::findEntry(const QString &idempotencyKey)
{
    auto query = m_connection->prepared(
        QStringLiteral("SELECT %1 FROM entries WHERE idempotency_key = ?").arg(kEntryColumns));
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
    auto query = m_connection->prepared(
        QStringLiteral("SELECT %1 FROM entries WHERE run_id = ? ORDER BY id").arg(kEntryColumns));
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

} // namespace safecell
