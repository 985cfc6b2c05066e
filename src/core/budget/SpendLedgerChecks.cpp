// The ledger's self-checks, for tests and diagnostics (see SpendLedger.h).
#include "SpendLedger.h"

#include "LedgerRows.h"

#include <QSqlError>
#include <QSqlQuery>

namespace safecell {

using namespace ledgerrows;

Expected<qint64, LedgerError> SpendLedger::entryCount()
{
    auto value = m_connection->scalar(QStringLiteral("SELECT COUNT(*) FROM entries"), {});
    if (!value)
        return unexpected(value.error());
    return value->toLongLong();
}

Expected<Money, LedgerError> SpendLedger::totalSettled()
{
    auto value = m_connection->scalar(QStringLiteral("SELECT COALESCE(SUM(cost_nanos), 0) FROM entries"), {});
    if (!value)
        return unexpected(value.error());
    return Money::fromNanos(value->toLongLong());
}

Expected<bool, LedgerError> SpendLedger::aggregatesMatchEntries()
{
    for (ScopeLevel level : kScopeLevels) {
        const QString column = QLatin1String(scopeColumn(level));
        auto fromEntries = m_connection->scalar(
            QStringLiteral("SELECT COALESCE(SUM(cost_nanos), 0) || '/' || COUNT(*) FROM entries WHERE %1 <> ''")
                .arg(column),
            {});
        auto fromSlots = m_connection->scalar(
            QStringLiteral("SELECT COALESCE(SUM(cost_nanos), 0) || '/' || COALESCE(SUM(entries), 0)"
                           " FROM spend_slots WHERE level = ?"),
            {int(level)});
        if (!fromEntries)
            return unexpected(fromEntries.error());
        if (!fromSlots)
            return unexpected(fromSlots.error());
        if (fromEntries->toString() != fromSlots->toString())
            return false;
    }
    return true;
}

int SpendLedger::synchronousMode()
{
    return m_connection->pragmaValue(QStringLiteral("synchronous"));
}

Expected<QString, LedgerError> SpendLedger::integrityCheck()
{
    QSqlQuery query(m_connection->database());
    if (!query.exec(QStringLiteral("PRAGMA integrity_check")))
        return unexpected(m_connection->error(QStringLiteral("integrity_check"), query));
    QStringList lines;
    while (query.next())
        lines << query.value(0).toString();
    return lines.join(QLatin1Char('\n'));
}

} // namespace safecell
