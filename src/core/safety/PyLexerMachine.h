#pragma once

// The Python lexer's state machine, shared by the files that define its
// parts: PyLexer.cpp (code, operators, indentation) and PyLexerStrings.cpp
// (strings and f-strings). Private to the safety part.
#include "PyLexer.h"

#include <vector>

namespace safecell::safety::pylex {

inline bool isIdentStart(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_' || c >= 0x80;
}

inline bool isIdentPart(char16_t c)
{
    return isIdentStart(c) || (c >= u'0' && c <= u'9');
}

inline bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

inline char16_t lower(char16_t c)
{
    return (c >= u'A' && c <= u'Z') ? char16_t(c + 32) : c;
}

// Where the lexer is: ordinary code, the literal text of an f-string, an
// expression inside an f-string's braces, or a field's format spec. Kept on
// an explicit stack so deeply nested input cannot exhaust the C++ stack.
struct Frame {
    enum Type : quint8 { Code, FString, Field, Spec };
    Type type = Code;
    char16_t quote = u'"';
    bool triple = false;
    bool raw = false;
    int depth = 0; // open brackets, for Code and Field
};

class Lexer {
public:
    explicit Lexer(QStringView s)
        : m_s(s)
        , m_n(int(s.size()))
    {
        m_frames.push_back({});
    }

    QList<PyToken> run();

private:
    char16_t at(int i) const { return i < m_n ? m_s[i].unicode() : u'\0'; }

    void newline(int posOfNewline)
    {
        ++m_line;
        m_lineStart = posOfNewline + 1;
    }

    void emit(PyToken::Kind kind, int start, int length)
    {
        PyToken t;
        t.kind = kind;
        t.start = start;
        t.length = length;
        t.line = m_tokLine;
        t.column = start - m_tokLineStart + 1;
        t.indent = m_indent;
        if (kind != PyToken::Newline && m_atLineStart && m_frames.size() == 1) {
            t.lineStart = true;
            m_atLineStart = false;
        }
        if (m_count == m_capacity)
            grow(m_capacity * 2);
        m_out[m_count++] = t;
    }

    // Tokens are written straight into the list's storage: appending through
    // QList's generic emplace cost a third of the lexer's time.
    void grow(qsizetype capacity)
    {
        m_tokens.resize(capacity);
        m_capacity = capacity;
        m_out = m_tokens.data();
    }

    PyToken::Kind lastKind() const { return m_out[m_count - 1].kind; }
    bool hasTokens() const { return m_count > 0; }

    void markTokenStart()
    {
        m_tokLine = m_line;
        m_tokLineStart = m_lineStart;
    }

    bool inBaseCode() const { return m_frames.size() == 1 && m_frames.back().depth == 0; }

    void measureIndent();

    void scanCode();

    void scanOperator(Frame &frame);

    bool isStringPrefix(int from, int to) const
    {
        bool r = false, b = false, u = false, f = false;
        for (int i = from; i < to; ++i) {
            switch (lower(m_s[i].unicode())) {
            case u'r':
                if (r)
                    return false;
                r = true;
                break;
            case u'b':
                if (b)
                    return false;
                b = true;
                break;
            case u'u':
                if (u)
                    return false;
                u = true;
                break;
            case u'f':
                if (f)
                    return false;
                f = true;
                break;
            default:
                return false;
            }
        }
        return !(u && (r || b || f)) && !(b && f);
    }

    // start: the token's first character (prefix included); quotePos: the
    // opening quote.
    void scanString(int start, int quotePos);

    const Frame &enclosingFString() const;

    // Pops frames up to and including the innermost f-string, emitting its end.
    void closeFString(int endPos);

    void scanFStringText();

    QStringView m_s;
    int m_n;
    int m_pos = 0;
    int m_line = 1;
    int m_lineStart = 0;
    int m_tokLine = 1;
    int m_tokLineStart = 0;
    int m_indent = 0;
    bool m_atLineStart = true;
    bool m_measured = false;
    std::vector<Frame> m_frames;
    QList<PyToken> m_tokens;
    PyToken *m_out = nullptr;
    qsizetype m_count = 0;
    qsizetype m_capacity = 0;
};

} // namespace safecell::safety::pylex
