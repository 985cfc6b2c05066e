#pragma once

#include <QStringList>

namespace safecell::cli {

// `safecell team init|grant|set-limit|status|report`: set up and read a
// team's shared ledger on PostgreSQL (issue 21). Each is its own entry of
// the table of commands ("team init", ...).
int teamCommand(const QStringList &arguments);

} // namespace safecell::cli
