#include "PyLexer.h"

#include <vector>

namespace safecell::safety {

namespace {

bool isIdentStart(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_' || c >= 0x80;
}

bool isIdentPart(char16_t c)
{
    return isIdentStart(c) || (c >= u'0' && c <= u'9');
}

bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

char16_t lower(char16_t c)
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
    explicit Lexer(QStringView s) : m_s(s), m_n(int(s.size())) { m_frames.push_back({}); }

    QList<PyToken> run()
    {
        grow(m_n / 4 + 16);
        m_atLineStart = true;
        while (m_pos < m_n) {
            Frame &top = m_frames.back();
            if (top.type == Frame::FString || top.type == Frame::Spec)
                scanFStringText();
            else
                scanCode();
        }
        // Close whatever is open so every f-string start has an end.
        while (m_frames.size() > 1) {
            if (m_frames.back().type == Frame::FString)
                emit(PyToken::FStringEnd, m_n, 0);
            m_frames.pop_back();
        }
        if (m_count > 0 && m_out[m_count - 1].kind != PyToken::Newline)
            emit(PyToken::Newline, m_n, 0);
        m_tokens.resize(m_count);
        return std::move(m_tokens);
    }

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

    void measureIndent()
    {
        int col = 0;
        int i = m_pos;
        while (i < m_n) {
            const char16_t c = m_s[i].unicode();
            if (c == u' ')
                ++col;
            else if (c == u'\t')
                col = (col / 8 + 1) * 8;
            else if (c == u'\f')
                col = 0;
            else
                break;
            ++i;
        }
        m_indent = col;
        m_pos = i;
        m_measured = true;
    }

    void scanCode()
    {
        Frame &frame = m_frames.back();
        if (m_atLineStart && !m_measured && inBaseCode())
            measureIndent();
        if (m_pos >= m_n)
            return;
        const char16_t c = m_s[m_pos].unicode();
        if (c == u' ' || c == u'\t' || c == u'\f' || c == u'\r') {
            ++m_pos;
            while (m_pos < m_n && (m_s[m_pos] == u' ' || m_s[m_pos] == u'\t'))
                ++m_pos;
            return;
        }
        if (c == u'\n') {
            if (m_frames.size() > 1 && frame.type == Frame::Field && !enclosingFString().triple) {
                // A newline cannot be inside a one-line f-string: it was never closed.
                closeFString(m_pos);
                return;
            }
            if (inBaseCode() && hasTokens() && lastKind() != PyToken::Newline) {
                markTokenStart();
                emit(PyToken::Newline, m_pos, 1);
            }
            newline(m_pos);
            ++m_pos;
            if (inBaseCode()) {
                m_atLineStart = true;
                m_measured = false;
            }
            return;
        }
        if (c == u'#') {
            while (m_pos < m_n && m_s[m_pos].unicode() != u'\n')
                ++m_pos;
            return;
        }
        if (c == u'\\') {
            if (at(m_pos + 1) == u'\n') {
                newline(m_pos + 1);
                m_pos += 2;
                return;
            }
            if (at(m_pos + 1) == u'\r' && at(m_pos + 2) == u'\n') {
                newline(m_pos + 2);
                m_pos += 3;
                return;
            }
        }
        markTokenStart();
        if (isIdentStart(c)) {
            int end = m_pos + 1;
            while (end < m_n && isIdentPart(m_s[end].unicode()))
                ++end;
            const char16_t q = at(end);
            if ((q == u'"' || q == u'\'') && end - m_pos <= 2 && isStringPrefix(m_pos, end)) {
                scanString(m_pos, end);
                return;
            }
            emit(PyToken::Name, m_pos, end - m_pos);
            m_pos = end;
            return;
        }
        if (isDigit(c) || (c == u'.' && isDigit(at(m_pos + 1)))) {
            int end = m_pos + 1;
            const bool hex = c == u'0' && (lower(at(m_pos + 1)) == u'x');
            while (end < m_n) {
                const char16_t d = m_s[end].unicode();
                if (isIdentPart(d) && d < 0x80) {
                    ++end;
                } else if (d == u'.') {
                    ++end;
                } else if ((d == u'+' || d == u'-') && !hex && lower(m_s[end - 1].unicode()) == u'e') {
                    ++end;
                } else {
                    break;
                }
            }
            emit(PyToken::Number, m_pos, end - m_pos);
            m_pos = end;
            return;
        }
        if (c == u'"' || c == u'\'') {
            scanString(m_pos, m_pos);
            return;
        }
        scanOperator(frame);
    }

    void scanOperator(Frame &frame)
    {
        const char16_t c = m_s[m_pos].unicode();
        if (c == u'(' || c == u'[' || c == u'{') {
            ++frame.depth;
        } else if (c == u')' || c == u']' || c == u'}') {
            if (frame.depth > 0) {
                --frame.depth;
            } else if (frame.type == Frame::Field && c == u'}') {
                // End of a replacement field: back to the f-string's text.
                m_frames.pop_back();
                ++m_pos;
                return;
            }
        } else if (frame.type == Frame::Field && frame.depth == 0 && c == u':' && at(m_pos + 1) != u'=') {
            Frame spec = m_frames.back();
            spec.type = Frame::Spec;
            m_frames.push_back(spec);
            ++m_pos;
            return;
        }
        static const char16_t *const threes[] = {u"**=", u"//=", u">>=", u"<<=", u"..."};
        static const char16_t *const twos[] = {u"**", u"//", u"==", u"!=", u"<=", u">=", u"<<", u">>",
                                              u"->", u":=", u"+=", u"-=", u"*=", u"/=", u"%=", u"&=",
                                              u"|=", u"^=", u"@="};
        int len = 1;
        // Only these can start an operator of two or three characters.
        bool multi = false;
        switch (c) {
        case u'*': case u'/': case u'<': case u'>': case u'!': case u'-': case u':': case u'=':
        case u'+': case u'%': case u'&': case u'|': case u'^': case u'@': case u'.':
            multi = true;
            break;
        default:
            break;
        }
        if (!multi) {
            emit(PyToken::Op, m_pos, 1);
            ++m_pos;
            return;
        }
        for (const char16_t *op : threes) {
            if (at(m_pos) == op[0] && at(m_pos + 1) == op[1] && at(m_pos + 2) == op[2]) {
                len = 3;
                break;
            }
        }
        if (len == 1) {
            for (const char16_t *op : twos) {
                if (at(m_pos) == op[0] && at(m_pos + 1) == op[1]) {
                    len = 2;
                    break;
                }
            }
        }
        emit(PyToken::Op, m_pos, len);
        m_pos += len;
    }

    bool isStringPrefix(int from, int to) const
    {
        bool r = false, b = false, u = false, f = false;
        for (int i = from; i < to; ++i) {
            switch (lower(m_s[i].unicode())) {
            case u'r': if (r) return false; r = true; break;
            case u'b': if (b) return false; b = true; break;
            case u'u': if (u) return false; u = true; break;
            case u'f': if (f) return false; f = true; break;
            default: return false;
            }
        }
        return !(u && (r || b || f)) && !(b && f);
    }

    // start: the token's first character (prefix included); quotePos: the
    // opening quote.
    void scanString(int start, int quotePos)
    {
        bool raw = false, fstr = false;
        for (int i = start; i < quotePos; ++i) {
            const char16_t p = lower(m_s[i].unicode());
            raw |= p == u'r';
            fstr |= p == u'f';
        }
        const char16_t q = m_s[quotePos].unicode();
        const bool triple = at(quotePos + 1) == q && at(quotePos + 2) == q;
        const int bodyStart = quotePos + (triple ? 3 : 1);
        if (fstr) {
            emit(PyToken::FStringStart, start, bodyStart - start);
            Frame frame;
            frame.type = Frame::FString;
            frame.quote = q;
            frame.triple = triple;
            frame.raw = raw;
            m_frames.push_back(frame);
            m_pos = bodyStart;
            return;
        }
        int i = bodyStart;
        while (i < m_n) {
            const char16_t c = m_s[i].unicode();
            if (c == u'\\') {
                if (at(i + 1) == u'\n')
                    newline(i + 1);
                i += 2;
                continue;
            }
            if (c == u'\n') {
                if (!triple)
                    break; // unterminated: the string ends with its line
                newline(i);
            } else if (c == q && (!triple || (at(i + 1) == q && at(i + 2) == q))) {
                i += triple ? 3 : 1;
                emit(PyToken::String, start, i - start);
                m_pos = i;
                return;
            }
            ++i;
        }
        i = std::min(i, m_n);
        emit(PyToken::String, start, i - start);
        m_pos = i;
    }

    const Frame &enclosingFString() const
    {
        for (auto it = m_frames.rbegin(); it != m_frames.rend(); ++it) {
            if (it->type == Frame::FString)
                return *it;
        }
        return m_frames.front();
    }

    // Pops frames up to and including the innermost f-string, emitting its end.
    void closeFString(int endPos)
    {
        while (m_frames.size() > 1) {
            const Frame::Type type = m_frames.back().type;
            m_frames.pop_back();
            if (type == Frame::FString)
                break;
        }
        markTokenStart();
        emit(PyToken::FStringEnd, endPos, 0);
    }

    void scanFStringText()
    {
        const Frame frame = m_frames.back();
        const Frame &fs = enclosingFString();
        const char16_t q = fs.quote;
        while (m_pos < m_n) {
            const char16_t c = m_s[m_pos].unicode();
            if (c == u'\\') {
                if (at(m_pos + 1) == u'\n')
                    newline(m_pos + 1);
                if (!fs.raw && at(m_pos + 1) == u'N' && at(m_pos + 2) == u'{') {
                    int i = m_pos + 3;
                    while (i < m_n && m_s[i].unicode() != u'}' && m_s[i].unicode() != q && m_s[i].unicode() != u'\n')
                        ++i;
                    m_pos = (i < m_n && m_s[i].unicode() == u'}') ? i + 1 : i;
                    continue;
                }
                if (at(m_pos + 1) == u'{' || at(m_pos + 1) == u'}') {
                    ++m_pos; // the brace is handled as usual
                    continue;
                }
                m_pos += 2;
                continue;
            }
            if (c == u'\n') {
                if (!fs.triple) {
                    closeFString(m_pos);
                    return;
                }
                newline(m_pos);
                ++m_pos;
                continue;
            }
            if (c == q && (!fs.triple || (at(m_pos + 1) == q && at(m_pos + 2) == q))) {
                const int len = fs.triple ? 3 : 1;
                markTokenStart();
                // Drop the spec/field frames of a malformed field, then the f-string.
                while (m_frames.size() > 1) {
                    const Frame::Type type = m_frames.back().type;
                    m_frames.pop_back();
                    if (type == Frame::FString)
                        break;
                }
                emit(PyToken::FStringEnd, m_pos, len);
                m_pos += len;
                return;
            }
            if (c == u'{') {
                if (frame.type == Frame::FString && at(m_pos + 1) == u'{') {
                    m_pos += 2;
                    continue;
                }
                Frame field = fs;
                field.type = Frame::Field;
                field.depth = 0;
                m_frames.push_back(field);
                ++m_pos;
                return;
            }
            if (c == u'}') {
                if (frame.type == Frame::Spec) {
                    m_frames.pop_back(); // the spec
                    if (m_frames.size() > 1 && m_frames.back().type == Frame::Field)
                        m_frames.pop_back(); // its field
                    ++m_pos;
                    return;
                }
                m_pos += at(m_pos + 1) == u'}' ? 2 : 1;
                continue;
            }
            ++m_pos;
        }
    }

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

} // namespace

QList<PyToken> lexPython(QStringView source)
{
    // Positions are int: inputs are capped far below 2 GiB characters.
    if (source.size() > (1 << 30))
        source = source.first(1 << 30);
    return Lexer(source).run();
}

} // namespace safecell::safety
