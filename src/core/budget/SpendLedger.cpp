// Opening a ledger (connect, migrate) and its transactions; the queries
// live in the SpendLedger*.cpp file of their job (see SpendLedger.h).
#include "SpendLedger.h"

#include "LedgerMigrations.h"

namespace safecell {

namespace {
SpendLedger::OpenObserver &openObserver()
{
    static SpendLedger::OpenObserver observer;
    return observer;
}
} // namespace

SpendLedger::SpendLedger(std::unique_ptr<LedgerConnection> connection)
    : m_connection(std::move(connection))
{
}

SpendLedger::~SpendLedger() = default;

void SpendLedger::setOpenObserver(OpenObserver observer)
{
    openObserver() = std::move(observer);
}

Expected<std::unique_ptr<SpendLedger>, LedgerError> SpendLedger::open(const QString &path)
{
    if (openObserver())
        openObserver()(path);
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

Expected<qint64, LedgerError> SpendLedger::dataVersion()
{
    auto value = m_connection->scalar(QStringLiteral("PRAGMA data_version"), {});
    if (!value)
        return unexpected(value.error());
    return value->toLongLong();
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

} // namespace safecell
