#pragma once

#include "sandbox/Execution.h"
#include "sandbox/SharedData.h"

#include <QString>

namespace safecell {

// When a snippet failed to open a path of the analyst's computer that IS
// shared (FileNotFoundError, PermissionError), or a relative name that a
// share has: where snippets see it (/data/<name>). The kernel's own hint
// (resources/kernel/worker.py) covers the paths nobody shared, since it
// cannot know the host paths behind /data. Empty otherwise.
QString sharedPathHint(const ExecutionError &error, const QList<SharedPath> &shares);

// The path a FileNotFoundError's or PermissionError's message names
// ("[Errno 2] No such file or directory: '/home/me/sales.csv'"); empty
// when it names none.
QString pathInOsError(const QString &value);

} // namespace safecell
