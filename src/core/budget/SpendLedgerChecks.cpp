// The ledger's self-checks, for tests and diagnostics (see SpendLedger.h).
#include "SpendLedger.h"

#include <QSqlError>
#include <QSqlQuery>

namespace safecell {

Expected<qint64, LedgerError> SpendLedger::entryCount()
{
    auto value = scalar(QStringLiteral("SELECT COUNT(*) FROM entries"), {});
    if (!value)
        return unexpected(value.error());
    return value->toLongLong();
}

Expected<Money, LedgerError> SpendLedger::totalSettled()
{
    auto value = scalar(QStringLiteral("SELECT COALESCE(SUM(cost_nanos), 0) FROM entries"), {});
    if (!value)
        return unexpected(value.error());
    return Money::fromNanos(value->toLongLong());
}

int SpendLedger::synchronousMode()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA synchronous")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

Expected<QString, LedgerError> SpendLedger::integrityCheck()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA integrity_check")))
        return unexpected(error(QStringLiteral("integrity_check"), query));
    QStringList lines;
    while (query.next())
        lines << query.value(0).toString();
    return lines.join(QLatin1Char('\n'));
}

} // namespace safecell
