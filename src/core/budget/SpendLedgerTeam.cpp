// A team ledger's half of each hold: which server hold stands beside a
// local one, and the calls the server has not heard yet (see SpendLedger.h).
#include "SpendLedger.h"

#include "LedgerRows.h"

namespace safecell {

using namespace ledgerrows;

Expected<Done, LedgerError> SpendLedger::linkTeamHold(const QString &localId, const TeamHoldLink &link)
{
    auto query = m_connection->prepared(
        QStringLiteral("INSERT OR REPLACE INTO team_holds (local_id, team_hold, server, idempotency_key)"
                       " VALUES (?, ?, ?, ?)"));
    if (!query)
        return unexpected(query.error());
    return m_connection->execPrepared(*query, {text(localId), text(link.teamHold), text(link.server),
                                               text(link.idempotencyKey)});
}

Expected<std::optional<SpendLedger::TeamHoldLink>, LedgerError> SpendLedger::teamHold(const QString &localId)
{
    auto query = m_connection->prepared(
        QStringLiteral("SELECT team_hold, server, idempotency_key FROM team_holds WHERE local_id = ?"));
    if (!query)
        return unexpected(query.error());
    if (auto done = m_connection->execPrepared(*query, {text(localId)}); !done)
        return unexpected(done.error());
    std::optional<TeamHoldLink> link;
    if ((*query)->next())
        link = TeamHoldLink{(*query)->value(0).toString(), (*query)->value(1).toString(),
                            (*query)->value(2).toString()};
    (*query)->finish();
    return link;
}

Expected<Done, LedgerError> SpendLedger::unlinkTeamHold(const QString &localId)
{
    auto query = m_connection->prepared(QStringLiteral("DELETE FROM team_holds WHERE local_id = ?"));
    if (!query)
        return unexpected(query.error());
    return m_connection->execPrepared(*query, {text(localId)});
}

Expected<Done, LedgerError> SpendLedger::queueTeamCall(const QString &server, const TeamCall &call)
{
    auto query = m_connection->prepared(
        QStringLiteral("INSERT OR IGNORE INTO team_outbox (server, action, team_hold, idempotency_key, cost_nanos,"
                       " queued_ms) VALUES (?, ?, ?, ?, ?, ?)"));
    if (!query)
        return unexpected(query.error());
    return m_connection->execPrepared(*query, {text(server), call.action, text(call.teamHold),
                                               text(call.idempotencyKey), call.cost.nanos(), call.queuedMs});
}

Expected<QList<SpendLedger::TeamCall>, LedgerError> SpendLedger::queuedTeamCalls(const QString &server, int limit)
{
    auto query = m_connection->prepared(
        QStringLiteral("SELECT id, action, team_hold, idempotency_key, cost_nanos, queued_ms, attempts"
                       " FROM team_outbox WHERE server = ? ORDER BY id LIMIT ?"));
    if (!query)
        return unexpected(query.error());
    if (auto done = m_connection->execPrepared(*query, {text(server), limit}); !done)
        return unexpected(done.error());
    QList<TeamCall> calls;
    while ((*query)->next()) {
        const QSqlQuery &q = **query;
        calls << TeamCall{q.value(0).toLongLong(),
                          q.value(1).toString(),
                          q.value(2).toString(),
                          q.value(3).toString(),
                          Money::fromNanos(q.value(4).toLongLong()),
                          q.value(5).toLongLong(),
                          q.value(6).toInt()};
    }
    (*query)->finish();
    return calls;
}

Expected<qint64, LedgerError> SpendLedger::queuedTeamCallCount(const QString &server)
{
    auto count = m_connection->scalar(QStringLiteral("SELECT count(*) FROM team_outbox WHERE server = ?"),
                                      {text(server)});
    if (!count)
        return unexpected(count.error());
    return count->toLongLong();
}

Expected<Done, LedgerError> SpendLedger::removeTeamCall(qint64 id)
{
    auto query = m_connection->prepared(QStringLiteral("DELETE FROM team_outbox WHERE id = ?"));
    if (!query)
        return unexpected(query.error());
    return m_connection->execPrepared(*query, {id});
}

Expected<Done, LedgerError> SpendLedger::noteTeamCallFailed(qint64 id, const QString &error)
{
    auto query = m_connection->prepared(
        QStringLiteral("UPDATE team_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?"));
    if (!query)
        return unexpected(query.error());
    return m_connection->execPrepared(*query, {text(error), id});
}

} // namespace safecell
