#pragma once

#include <QString>

namespace safecell {

// "<pid>-<start time>" of this process. Work folders, workspace folders and
// cgroups carry it in their names, so a later SafeCell can tell whether
// their owner is still running: the start time keeps a new process that got
// the same pid from passing for the old one.
QString sandboxOwnerTag();

// Whether the process a tag names is still running.
bool sandboxOwnerAlive(const QString &tag);

// Removes what SafeCell processes that are gone (killed, crashed) left in
// `tempDir` (their work and workspace folders) and in this machine's
// cgroups (empty sandbox cgroups). Anything whose owner still runs, or
// whose name carries no owner (an older SafeCell's), stays. Once per
// folder and process.
void removeSandboxLeftovers(const QString &tempDir);

} // namespace safecell
