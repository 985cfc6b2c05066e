#pragma once

#include <QStringList>

namespace safecell::cli {

// `safecell classify FILE [--language python|sql] [--json]`: the verdict
// without running anything. Exit 0 safe, 3 dangerous, 7 ambiguous, 2 invalid.
int classifyCommand(const QStringList &arguments);

} // namespace safecell::cli
