// The Python lexer's strings and f-strings (see PyLexerMachine.h).
#include "PyLexerMachine.h"

namespace safecell::safety::pylex {

// start: the token's first character (prefix included); quotePos: the
// opening quote.
void Lexer::scanString(int start, int quotePos)
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

const Frame &Lexer::enclosingFString() const
{
    for (auto it = m_frames.rbegin(); it != m_frames.rend(); ++it) {
        if (it->type == Frame::FString)
            return *it;
    }
    return m_frames.front();
}

// Pops frames up to and including the innermost f-string, emitting its end.
void Lexer::closeFString(int endPos)
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

void Lexer::scanFStringText()
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

} // namespace safecell::safety::pylex
