#pragma once

#include "safety/SqlLexer.h"

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>
#include <utility>
#include <vector>

namespace safecell::safety {

// A script's SQL tokens, read by index: what a token is, where its
// parenthesis closes, what a call's arguments are and the value of a
// literal number. An index out of range reads as no token at all.
class SqlTokenCursor {
public:
    explicit SqlTokenCursor(QStringView source);

    QStringView text(int i) const { return m_s.sliced(m_t[i].start, m_t[i].length); }
    bool valid(int i) const { return i >= 0 && i < m_n; }
    bool isOp(int i, QStringView op) const { return valid(i) && m_t[i].kind == SqlToken::Op && text(i) == op; }
    bool isWord(int i) const { return valid(i) && m_t[i].kind == SqlToken::Word; }
    // The word `word`, in any case.
    bool is(int i, QStringView word) const { return isWord(i) && text(i).compare(word, Qt::CaseInsensitive) == 0; }
    QString upper(int i) const { return text(i).toString().toUpper(); }
    // the index after a parenthesised group starting at i (or i + 1)
    int skip(int i) const { return isOp(i, u"(") && m_match[i] > i ? m_match[i] + 1 : i + 1; }

    // First index at bracket depth 0 in [from, end) where pred holds.
    template <class Pred>
    int findTop(int from, int end, Pred pred) const
    {
        for (int i = from; i < end; i = skip(i)) {
            if (pred(i))
                return i;
        }
        return -1;
    }

    std::optional<double> number(int i) const;
    // Products and sums of numeric literals: 1e8, 100*1000*1000, 10000000+1.
    std::optional<double> fold(int begin, int end) const;
    // The [begin, end) token ranges of the arguments of the call whose '(' is at `open`.
    std::vector<std::pair<int, int>> args(int open) const;

protected:
    QStringView m_s;
    QList<SqlToken> m_t;
    int m_n;
    std::vector<int> m_match; // the index of each parenthesis's partner; -1: none
};

} // namespace safecell::safety
