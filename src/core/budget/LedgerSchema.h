#pragma once

#include <QStringList>

#include <vector>

namespace safecell {

// The ledger's schema as an ordered list of migrations. The database's
// `PRAGMA user_version` says how many have been applied; opening a ledger
// applies the rest in one transaction. Append, never edit, a migration.
struct LedgerMigration {
    int version;
    QStringList statements;
};

const std::vector<LedgerMigration> &ledgerMigrations();
int latestLedgerVersion();

} // namespace safecell
