#pragma once

#include "FakeE2b.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace safecell::fake {

// Runs SafeCell's SQL runner script (Python that imports sqlite3) with the
// real python3, against the files uploaded to the sandbox (path in the
// sandbox -> content), and turns what it does into /execute steps as E2B's
// code interpreter would: a display() becomes a result (not the main one),
// other stdout a stdout step, an uncaught exception an error. IPython is
// stood in for by a display() that hands its bundle back.
FakeScript runSqlScriptWithPython(const QString &code, const QHash<QString, QByteArray> &files);

} // namespace safecell::fake
