#pragma once

#include <QString>

namespace safecell {

// The user's line where a traceback ends (1-based), or 0 when the traceback
// names none. Understands the local kernel's `File "<cell N>", line L` and
// E2B's `Cell In[N], line L`; the innermost (last) frame of the snippet wins.
int failingLineFromTraceback(const QString &traceback);

} // namespace safecell
