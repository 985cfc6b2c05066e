#pragma once

#include <QList>
#include <QStringView>

namespace safecell::safety {

struct SqlToken {
    enum Kind : quint8 {
        Word,       // keyword or bare identifier
        QuotedName, // "x", `x`, [x]
        String,     // 'x' (doubling ''), E'x', $$x$$, $tag$x$tag$
        Number,
        Op,       // punctuation; ';' ends a statement
        Variable, // @x, @@x, :x, ?, $1
    };
    Kind kind = Op;
    int start = 0;
    int length = 0;
    int line = 1;
    int column = 1;
};

// SQL lexer for the dialects analysts paste (SQLite, PostgreSQL, MySQL, SQL
// Server): comments (--, #-less, nested /* */) produce no token. Never fails;
// linear in the input.
QList<SqlToken> lexSql(QStringView source);

// Statements: token index ranges [begin, end) split at ';' (the ';' itself
// excluded); empty statements are dropped.
struct SqlStatement {
    int begin = 0;
    int end = 0;
};
QList<SqlStatement> splitSql(const QList<SqlToken> &tokens, QStringView source);

} // namespace safecell::safety
