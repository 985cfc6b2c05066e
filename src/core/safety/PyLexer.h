#pragma once

#include <QList>
#include <QStringView>

namespace safecell::safety {

// One Python token. Comments, line continuations and blank lines produce no
// token; the text is never copied (start/length index the source).
struct PyToken {
    enum Kind : quint8 {
        Name,     // identifier or keyword (non-ASCII letters included)
        Number,
        String,   // a complete plain/raw/bytes literal
        FStringStart, // f"...: the literal text of an f-string up to its end;
        FStringEnd,   // the expressions inside it come as ordinary tokens between
        Op,
        Newline,  // end of a logical line (not inside brackets)
    };
    Kind kind = Op;
    bool lineStart = false; // first token of a logical line
    int start = 0;
    int length = 0;
    int line = 1;   // 1-based
    int column = 1; // 1-based, in UTF-16 units
    int indent = 0; // indentation of the logical line the token is on
};

// Python lexer: knows comments, every string form (prefixes r b u f rb br fr rf
// in any case, triple quotes, f-strings with nested fields, quotes and format
// specs), line continuations, brackets across lines and non-ASCII names.
// Never fails: malformed input (an unterminated string, a stray character)
// still yields tokens. One pass, linear in the input.
QList<PyToken> lexPython(QStringView source);

// The literal text between a String token's quotes (prefix and quotes removed,
// escapes kept as written); empty for other tokens.
QStringView pyStringBody(QStringView source, const PyToken &token);
bool pyStringIsBytes(QStringView source, const PyToken &token);

} // namespace safecell::safety
