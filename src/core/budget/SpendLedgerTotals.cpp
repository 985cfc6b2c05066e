// What one scope has spent and holds: the sums the budget decides on
// (see SpendLedger.h).
#include "SpendLedger.h"

#include "LedgerRows.h"

namespace safecell {

using namespace ledgerrows;

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
    auto value = m_connection->scalar(QStringLiteral(
                                          "SELECT COALESCE(SUM(amount_nanos), 0) FROM reservations WHERE %1 = ?"
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
    auto value = m_connection->scalar(QStringLiteral(
                                          "SELECT COALESCE(MIN(expires_ms), 0) || '/' || COALESCE(MAX(expires_ms), 0)"
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

} // namespace safecell
