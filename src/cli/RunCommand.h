#pragma once

#include <QStringList>

namespace safecell::cli {

// `safecell run FILE [--language python|sql] [--timeout-ms N] [--json] [--allow-ambiguous]
// [--allow-internet] [--upload-data]`.
// Returns the process exit code (see exitCodeFor()).
int runCommand(const QStringList &arguments);

} // namespace safecell::cli
