// The ledger's self-checks, for tests and diagnostics (see SpendLedger.h).
#include "SpendLedger.h"

#include <QSqlError>
#include <QSqlQuery>

namespace safecell {

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
