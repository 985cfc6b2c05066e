#pragma once

#include <QString>

namespace safecell {

// SafeCell's data files (policy, kernel driver, price table...) ship twice:
// compiled in as Qt resources (":/<relative>") and installed as plain files
// under <prefix>/share/safecell (the bundle's Contents/Resources on macOS).
// An installed copy wins, so a team can tighten an installed policy; the
// compiled-in copy keeps a build or a relocated binary working. The build
// tree is never looked at.

// The installed data folder, found relative to the running executable
// (<applicationDirPath>/../share/safecell). Empty before a QCoreApplication
// exists, which leaves dataFile() with the compiled-in copy.
QString installedDataDir();

// dataFile(relative, installedDataDir()).
QString dataFile(const QString &relative);

// <installedDir>/<relative> when that file exists, else ":/<relative>".
// Returns an empty string for a path that is empty, absolute or climbs out
// of the data folder ("../x"), so a caller cannot be steered elsewhere.
QString dataFile(const QString &relative, const QString &installedDir);

// The user's own data folder (ledger, autosaved tabs): $SAFECELL_DATA_DIR
// when set (tests, portable installs), else QStandardPaths'
// AppDataLocation. Created when missing.
QString appDataDir();

} // namespace safecell
