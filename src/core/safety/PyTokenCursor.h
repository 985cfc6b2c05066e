#pragma once

#include "safety/PyIdentifierFold.h"
#include "safety/PyToken.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>
#include <vector>

namespace safecell::safety {

// A snippet's Python tokens, read by index: what a token is, where its
// bracket closes, where its statement ends and how a call's arguments
// divide. Names are read in their NFKC form (PyIdentifierFold), so `ｅｖａｌ`
// is `eval`. An index out of range reads as no token at all.
// The reads are inline: the analysis asks them for every token, many times.
class PyTokenCursor {
public:
    // One argument of a call: tokens [begin, end), after `keyword=` if any.
    struct Arg {
        int begin = 0;
        int end = 0; // exclusive
        QStringView keyword;
    };

    explicit PyTokenCursor(QStringView source);

    QStringView text(int i) const { return m_s.sliced(m_tok[i].start, m_tok[i].length); }
    bool valid(int i) const { return i >= 0 && i < m_n; }
    bool same(int i, QStringView s) const
    {
        const PyToken &t = m_tok[i];
        if (t.length != s.size())
            return false;
        const QChar *p = m_s.data() + t.start;
        for (int k = 0; k < t.length; ++k) {
            if (p[k] != s[k])
                return false;
        }
        return true;
    }
    bool isOp(int i, QStringView op) const { return valid(i) && m_tok[i].kind == PyToken::Op && same(i, op); }
    bool isOp(int i, char16_t op) const
    {
        return valid(i) && m_tok[i].kind == PyToken::Op && m_tok[i].length == 1 && m_s[m_tok[i].start] == op;
    }
    bool isName(int i) const { return valid(i) && m_tok[i].kind == PyToken::Name; }
    // __builtins__, __subclasses__, __globals__, __code__: ways out of the language.
    bool isDunderEscape(int i) const
    {
        const PyToken &t = m_tok[i];
        if (t.length < 8 || m_s[t.start] != u'_' || m_s[t.start + 1] != u'_')
            return false;
        return same(i, u"__builtins__") || same(i, u"__subclasses__") || same(i, u"__globals__")
               || same(i, u"__code__");
    }
    bool isWord(int i, QStringView w) const { return isName(i) && same(i, w); }
    bool isKeyword(int i) const;
    bool isEnd(int i) const { return !valid(i) || m_tok[i].kind == PyToken::Newline || isOp(i, u';'); }

    // The logical line's end or its next ';' (a ';' inside brackets is a
    // syntax error; ending there keeps every scan linear).
    int statementEnd(int i) const;
    // The dotted name from i into *out; returns the index after it.
    int dotted(int i, QString *out) const;
    // The arguments of the call whose '(' is at `open`; none when it is not closed.
    QList<Arg> callArgs(int open) const;
    // The argument at `position` among the positional ones, or given by one of `keywords`.
    std::optional<Arg> argument(const QList<Arg> &args, int position, const QStringList &keywords) const;

protected:
    QStringView m_s; // the source, or its copy with folded names appended
    QList<PyToken> m_t;
    const PyToken *m_tok = nullptr; // m_t's storage, read without QList's checks
    int m_n;
    std::vector<int> m_match; // the index of each bracket's partner; -1: none
    FoldedIdentifiers m_fold;

private:
    void matchBrackets();
};

} // namespace safecell::safety
