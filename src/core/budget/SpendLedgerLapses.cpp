// Holds that lapse unsettled (see SpendLedger.h): charged in full, never
// dropped, so spend that may have happened is never hidden.
#include "SpendLedger.h"

#include "LedgerRows.h"

#include "common/Logging.h"

namespace safecell {

using namespace ledgerrows;

namespace {

// One entry per lapse of a hold: a hold held again after it lapsed (and
// lapsing again) is a new lapse with a new expiry.
QString lapseKey(const Reservation &hold)
{
    return QStringLiteral("lapse/%1/%2").arg(hold.id).arg(hold.expires.toMSecsSinceEpoch());
}

LedgerEntry lapseEntry(const Reservation &hold)
{
    LedgerEntry e;
    e.idempotencyKey = lapseKey(hold);
    e.runId = hold.runId;
    e.step = hold.step;
    e.scopes = hold.scopes;
    e.charge.kind = hold.kind;
    e.charge.resource = hold.resource;
    e.charge.cost = hold.amount;
    e.reserved = hold.amount;
    // Dated when it lapsed, not when it was seen: the same entry whoever
    // charges it, in the period that held it.
    e.time = hold.expires;
    e.lapsedHold = hold.id;
    return e;
}

} // namespace

Expected<QList<LedgerEntry>, LedgerError> SpendLedger::chargeLapsedReservations(qint64 nowMs)
{
    QList<LedgerEntry> charged;
    auto done = writeTransaction([&]() -> Expected<Done, LedgerError> {
        auto query = m_connection->prepared(
            QStringLiteral("SELECT %1 FROM reservations WHERE expires_ms <= ? ORDER BY expires_ms")
                .arg(kReservationColumns));
        if (!query)
            return unexpected(query.error());
        if (auto read = m_connection->execPrepared(*query, {nowMs}); !read)
            return read;
        QList<Reservation> lapsed;
        while ((*query)->next())
            lapsed << reservationFrom(**query);
        (*query)->finish();
        for (const Reservation &hold : std::as_const(lapsed)) {
            if (hold.amount.nanos() > 0) {
                auto inserted = insertEntry(lapseEntry(hold));
                if (!inserted)
                    return unexpected(inserted.error());
                if (inserted->inserted)
                    charged << inserted->entry;
            }
            if (auto deleted = deleteReservation(hold.id); !deleted)
                return unexpected(deleted.error());
        }
        return Done{};
    });
    if (!done)
        return unexpected(done.error());
    for (const LedgerEntry &e : std::as_const(charged))
        qCWarning(lcBudget).noquote() << "hold" << e.lapsedHold << "of" << e.step << "in run" << e.runId
                                      << "lapsed unsettled: charged" << e.charge.cost.toString() << "in full";
    return charged;
}

Expected<bool, LedgerError> SpendLedger::hasLapsedReservations(qint64 nowMs)
{
    auto value = m_connection->scalar(QStringLiteral(
                                          "SELECT EXISTS (SELECT 1 FROM reservations WHERE expires_ms <= ?)"),
                                      {nowMs});
    if (!value)
        return unexpected(value.error());
    return value->toBool();
}

Expected<Money, LedgerError> SpendLedger::lapsedUncharged(ScopeLevel level, const QString &key, qint64 fromMs,
                                                          qint64 toMs)
{
    // Still a row: nobody has charged it yet (a charge deletes the row).
    auto value = m_connection->scalar(QStringLiteral(
                                          "SELECT COALESCE(SUM(amount_nanos), 0) FROM reservations WHERE %1 = ?"
                                          " AND amount_nanos > 0 AND expires_ms >= ? AND expires_ms < ?")
                                          .arg(QLatin1String(scopeColumn(level))),
                                      {text(key), fromMs, toMs});
    if (!value)
        return unexpected(value.error());
    return Money::fromNanos(value->toLongLong());
}

Expected<std::optional<LedgerEntry>, LedgerError> SpendLedger::lapseCharge(const QString &holdId)
{
    auto query = m_connection->prepared(
        QStringLiteral("SELECT %1 FROM entries WHERE lapsed_hold = ? ORDER BY id DESC LIMIT 1").arg(kEntryColumns));
    if (!query)
        return unexpected(query.error());
    if (auto done = m_connection->execPrepared(*query, {text(holdId)}); !done)
        return unexpected(done.error());
    std::optional<LedgerEntry> found;
    if (!holdId.isEmpty() && (*query)->next())
        found = entryFrom(**query);
    (*query)->finish();
    return found;
}

Expected<Done, LedgerError> SpendLedger::lowerLapseCharge(const LedgerEntry &charge, Money by)
{
    if (by.nanos() <= 0)
        return Done{};
    if (!charge.chargedOnLapse() || by > charge.charge.cost)
        return unexpected(
            LedgerError{QStringLiteral("cannot lower entry %1 by %2").arg(charge.idempotencyKey, by.toString())});
    return writeTransaction([&]() -> Expected<Done, LedgerError> {
        auto entry = m_connection->prepared(QStringLiteral("UPDATE entries SET cost_nanos = cost_nanos - ?"
                                                           " WHERE id = ? AND lapsed_hold <> '' AND cost_nanos >= ?"));
        if (!entry)
            return unexpected(entry.error());
        if (auto done = m_connection->execPrepared(*entry, {by.nanos(), charge.id, by.nanos()}); !done)
            return done;
        if ((*entry)->numRowsAffected() != 1)
            return unexpected(
                LedgerError{QStringLiteral("the charge on lapse %1 changed meanwhile").arg(charge.idempotencyKey)});
        auto slots = m_connection->prepared(QStringLiteral("UPDATE spend_slots SET cost_nanos = cost_nanos - ?"
                                                           " WHERE level = ? AND scope_key = ? AND slot = ?"));
        if (!slots)
            return unexpected(slots.error());
        const qint64 slot = slotOf(charge.time.toMSecsSinceEpoch());
        for (ScopeLevel level : kScopeLevels) {
            if (charge.scopes.key(level).isEmpty())
                continue;
            const QVariantList slotValues{by.nanos(), int(level), charge.scopes.key(level), slot};
            if (auto done = m_connection->execPrepared(*slots, slotValues); !done)
                return done;
        }
        return Done{};
    });
}

Expected<Money, LedgerError> SpendLedger::chargedOnLapse(ScopeLevel level, const QString &key, qint64 fromMs,
                                                         qint64 toMs)
{
    // Charges on lapse are few; the month's entries are many. The unary
    // plus keeps SQLite off the time index (it chose it, and read the whole
    // month: 125 ms a scope at 100,000 entries) and on the partial index of
    // charges on lapse.
    auto value = m_connection->scalar(QStringLiteral(
                                          "SELECT COALESCE(SUM(cost_nanos), 0) FROM entries WHERE lapsed_hold <> ''"
                                          " AND %1 = ? AND +created_ms >= ? AND +created_ms < ?")
                                          .arg(QLatin1String(scopeColumn(level))),
                                      {text(key), fromMs, toMs});
    if (!value)
        return unexpected(value.error());
    return Money::fromNanos(value->toLongLong());
}

} // namespace safecell
