#pragma once

#include <QtGlobal>

namespace safecell::safety {

// One Python token. Comments, line continuations and blank lines produce no
// token; the text is never copied (start/length index the source).
struct PyToken {
    enum Kind : quint8 {
        Name, // identifier or keyword (non-ASCII letters included)
        Number,
        String,       // a complete plain/raw/bytes literal
        FStringStart, // f"...: the literal text of an f-string up to its end;
        FStringEnd,   // the expressions inside it come as ordinary tokens between
        Op,
        Newline, // end of a logical line (not inside brackets)
    };
    Kind kind = Op;
    bool lineStart = false; // first token of a logical line
    int start = 0;
    int length = 0;
    int line = 1;   // 1-based
    int column = 1; // 1-based, in UTF-16 units
    int indent = 0; // indentation of the logical line the token is on
};

} // namespace safecell::safety
