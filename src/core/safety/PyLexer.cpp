#include "PyLexerMachine.h"

namespace safecell::safety {

namespace pylex {

QList<PyToken> Lexer::run()
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

void Lexer::measureIndent()
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

void Lexer::scanCode()
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

void Lexer::scanOperator(Frame &frame)
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
    static const char16_t *const twos[] = {u"**", u"//", u"==", u"!=", u"<=", u">=", u"<<", u">>", u"->", u":=",
                                           u"+=", u"-=", u"*=", u"/=", u"%=", u"&=", u"|=", u"^=", u"@="};
    int len = 1;
    // Only these can start an operator of two or three characters.
    bool multi = false;
    switch (c) {
    case u'*':
    case u'/':
    case u'<':
    case u'>':
    case u'!':
    case u'-':
    case u':':
    case u'=':
    case u'+':
    case u'%':
    case u'&':
    case u'|':
    case u'^':
    case u'@':
    case u'.':
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

} // namespace pylex

QList<PyToken> lexPython(QStringView source)
{
    // Positions are int: inputs are capped far below 2 GiB characters.
    if (source.size() > (1 << 30))
        source = source.first(1 << 30);
    return pylex::Lexer(source).run();
}

} // namespace safecell::safety
