#pragma once

#include <QString>

namespace safecell {

// Where the spend ledger lives: `ledger.sqlite` in the app data folder
// (QStandardPaths::AppDataLocation), or in $SAFECELL_DATA_DIR when set
// (tests, portable installs). Creates the folder.
QString defaultLedgerPath();

} // namespace safecell
