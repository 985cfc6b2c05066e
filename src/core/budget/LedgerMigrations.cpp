#include "LedgerMigrations.h"

#include "LedgerConnection.h"
#include "LedgerSchema.h"

#include "common/Logging.h"

namespace safecell {

int ledgerSchemaVersion(LedgerConnection &connection)
{
    return connection.pragmaValue(QStringLiteral("user_version"));
}

Expected<Done, LedgerError> migrateLedger(LedgerConnection &connection)
{
    return connection.writeTransaction([&connection]() -> Expected<Done, LedgerError> {
        const int current = ledgerSchemaVersion(connection);
        if (current < 0)
            return unexpected(LedgerError{QStringLiteral("cannot read the ledger's schema version")});
        if (current > latestLedgerVersion())
            return unexpected(
                LedgerError{QStringLiteral("the ledger has schema version %1, newer than this SafeCell knows (%2)")
                                .arg(current)
                                .arg(latestLedgerVersion())});
        for (const LedgerMigration &migration : ledgerMigrations()) {
            if (migration.version <= current)
                continue;
            for (const QString &statement : migration.statements) {
                if (auto done = connection.execDirect(statement); !done)
                    return done;
            }
            const QString stamp = QStringLiteral("PRAGMA user_version=%1").arg(migration.version);
            if (auto done = connection.execDirect(stamp); !done)
                return done;
            qCInfo(lcBudget) << "ledger schema migrated to version" << migration.version;
        }
        return Done{};
    });
}

} // namespace safecell
