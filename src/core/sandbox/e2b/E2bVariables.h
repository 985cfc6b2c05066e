#pragma once

#include <QString>

namespace safecell {

// The key of the application/json display that carries the listing of the
// session's variables back from E2B.
inline constexpr char kSafecellVariablesKey[] = "safecell_variables";

// What E2bSandbox runs in the run's context after a Python run, for the
// Variables pane: the local kernel's own listing (resources/kernel/
// variables.py), in a namespace of its own, given the session's globals,
// shown with IPython's display() as application/json under
// kSafecellVariablesKey. It leaves the session's namespace (and `_`) as the
// snippet left it.
QString e2bVariablesCode();

} // namespace safecell
