#pragma once

#include <QStringList>

namespace safecell::cli {

// `safecell history [--json|--csv] [--limit N] [--outcome O] [--search TEXT]`:
// the run history, newest first, for export.
int historyCommand(const QStringList &arguments);

} // namespace safecell::cli
