// Which budget alerts have fired, so each fires once per scope and period
// (see SpendLedger.h).
#include "SpendLedger.h"

#include "LedgerRows.h"

namespace safecell {

using namespace ledgerrows;

Expected<bool, LedgerError> SpendLedger::recordAlert(ScopeLevel level, const QString &key, qint64 periodStartMs,
                                                     const QString &state, qint64 nowMs)
{
    auto query = m_connection->prepared(
        QStringLiteral("INSERT OR IGNORE INTO alerts (level, scope_key, period_start_ms, state,"
                       " fired_ms) VALUES (?, ?, ?, ?, ?)"));
    if (!query)
        return unexpected(query.error());
    if (auto done = m_connection->execPrepared(*query, {int(level), text(key), periodStartMs, state, nowMs}); !done)
        return unexpected(done.error());
    return (*query)->numRowsAffected() > 0;
}

Expected<QStringList, LedgerError> SpendLedger::firedAlerts(ScopeLevel level, const QString &key, qint64 periodStartMs)
{
    auto query = m_connection->prepared(
        QStringLiteral("SELECT state FROM alerts WHERE level = ? AND scope_key = ? AND period_start_ms = ?"
                       " ORDER BY fired_ms"));
    if (!query)
        return unexpected(query.error());
    if (auto done = m_connection->execPrepared(*query, {int(level), text(key), periodStartMs}); !done)
        return unexpected(done.error());
    QStringList states;
    while ((*query)->next())
        states << (*query)->value(0).toString();
    (*query)->finish();
    return states;
}

} // namespace safecell
