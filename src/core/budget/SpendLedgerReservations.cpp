// Holds: money reserved for a paid step until it settles, is released or
// lapses (see SpendLedger.h).
#include "SpendLedger.h"

#include "LedgerRows.h"

namespace safecell {

using namespace ledgerrows;

Expected<Done, LedgerError> SpendLedger::insertReservation(const Reservation &r)
{
    auto query = m_connection->prepared(
        QStringLiteral("INSERT INTO reservations (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
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
    auto query = m_connection->prepared(
        QStringLiteral("UPDATE reservations SET org_key = ?, user_key = ?, session_key = ?,"
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

Expected<std::optional<Reservation>, LedgerError> SpendLedger::firstReservation(const QString &condition,
                                                                                const QString &value)
{
    auto query = m_connection->prepared(
        QStringLiteral("SELECT %1 FROM reservations WHERE %2 ORDER BY created_ms LIMIT 1")
            .arg(kReservationColumns, condition));
    if (!query)
        return unexpected(query.error());
    if (auto done = m_connection->execPrepared(*query, {value}); !done)
        return unexpected(done.error());
    std::optional<Reservation> found;
    if ((*query)->next())
        found = reservationFrom(**query);
    (*query)->finish();
    return found;
}

Expected<std::optional<Reservation>, LedgerError> SpendLedger::findReservation(const QString &id)
{
    return firstReservation(QStringLiteral("id = ?"), id);
}

Expected<std::optional<Reservation>, LedgerError> SpendLedger::findReservationByKey(const QString &idempotencyKey)
{
    return firstReservation(QStringLiteral("idempotency_key = ?"), idempotencyKey);
}

} // namespace safecell
