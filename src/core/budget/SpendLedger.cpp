// Opening a ledger (connect, migrate) and its transactions; the queries
// live in the SpendLedger*.cpp file of their job (see SpendLedger.h).
#include "SpendLedger.h"

#include "LedgerMigrations.h"

namespace safecell {

SpendLedger::SpendLedger(std::unique_ptr<LedgerConnection> connection) : m_connection(std::move(connection)) {}

SpendLedger::~SpendLedger() = default;

Expected<std::unique_ptr<SpendLedger>, LedgerError> SpendLedger::open(const QString &path)
{
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
