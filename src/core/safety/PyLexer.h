#pragma once

#include "safety/PyToken.h"

#include <QList>
#include <QStringView>

namespace safecell::safety {

// Python lexer: knows comments, every string form (prefixes r b u f rb br fr rf
// in any case, triple quotes, f-strings with nested fields, quotes and format
// specs), line continuations, brackets across lines and non-ASCII names.
// Never fails: malformed input (an unterminated string, a stray character)
// still yields tokens. One pass, linear in the input.
QList<PyToken> lexPython(QStringView source);

} // namespace safecell::safety
