#pragma once

#include "LedgerTypes.h"

#include "common/Expected.h"

namespace safecell {

class LedgerConnection;

// Brings a ledger file to the schema this SafeCell knows (LedgerSchema.h),
// in one write transaction: every migration the file has not had yet, in
// order. Refuses a file newer than this SafeCell, which would misread it.
Expected<Done, LedgerError> migrateLedger(LedgerConnection &connection);

// The file's `PRAGMA user_version`: how many migrations it has had; -1 when
// it cannot be read.
int ledgerSchemaVersion(LedgerConnection &connection);

} // namespace safecell
