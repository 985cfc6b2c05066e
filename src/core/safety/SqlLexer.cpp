#include "SqlLexer.h"

namespace safecell::safety {

namespace {

bool isWordStart(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_' || c >= 0x80;
}

bool isWordPart(char16_t c)
{
    return isWordStart(c) || (c >= u'0' && c <= u'9') || c == u'$';
}

bool isDigit(char16_t c)
{
    return c >= u'0' && c <= u'9';
}

class Lexer {
public:
    explicit Lexer(QStringView s)
        : m_s(s)
        , m_n(int(s.size()))
    {
    }

    QList<SqlToken> run()
    {
        m_tokens.reserve(m_n / 4 + 8);
        while (m_pos < m_n)
            step();
        return std::move(m_tokens);
    }

private:
    char16_t at(int i) const { return i < m_n ? m_s[i].unicode() : u'\0'; }

    void emit(SqlToken::Kind kind, int start, int end, int line, int lineStart)
    {
        m_tokens.push_back(SqlToken{kind, start, end - start, line, start - lineStart + 1});
    }

    // Advances to `end`, counting the newlines passed.
    void advanceTo(int end)
    {
        for (int i = m_pos; i < end; ++i) {
            if (m_s[i].unicode() == u'\n') {
                ++m_line;
                m_lineStart = i + 1;
            }
        }
        m_pos = end;
    }

    // Closing quote `q` with doubling (''); returns the index after it or m_n.
    int quotedEnd(int from, char16_t q, bool backslash) const
    {
        int i = from;
        while (i < m_n) {
            const char16_t c = m_s[i].unicode();
            if (backslash && c == u'\\') {
                i += 2;
                continue;
            }
            if (c == q) {
                if (at(i + 1) == q) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            ++i;
        }
        return m_n;
    }

    void step()
    {
        const char16_t c = m_s[m_pos].unicode();
        const int start = m_pos, line = m_line, lineStart = m_lineStart;
        if (c == u'\n' || c == u' ' || c == u'\t' || c == u'\r' || c == u'\f') {
            advanceTo(m_pos + 1);
            return;
        }
        if (c == u'-' && at(m_pos + 1) == u'-') {
            int i = m_pos;
            while (i < m_n && m_s[i].unicode() != u'\n')
                ++i;
            m_pos = i;
            return;
        }
        if (c == u'/' && at(m_pos + 1) == u'*') {
            int depth = 1;
            int i = m_pos + 2;
            while (i < m_n && depth > 0) {
                if (m_s[i].unicode() == u'/' && at(i + 1) == u'*') {
                    ++depth;
                    i += 2;
                } else if (m_s[i].unicode() == u'*' && at(i + 1) == u'/') {
                    --depth;
                    i += 2;
                } else {
                    ++i;
                }
            }
            advanceTo(std::min(i, m_n));
            return;
        }
        if (c == u'\'') {
            const int end = quotedEnd(m_pos + 1, u'\'', false);
            advanceTo(end);
            emit(SqlToken::String, start, end, line, lineStart);
            return;
        }
        if ((c == u'E' || c == u'e' || c == u'N' || c == u'n' || c == u'X' || c == u'x' || c == u'B' || c == u'b')
            && at(m_pos + 1) == u'\'') {
            const int end = quotedEnd(m_pos + 2, u'\'', c == u'E' || c == u'e');
            advanceTo(end);
            emit(SqlToken::String, start, end, line, lineStart);
            return;
        }
        if (c == u'"' || c == u'`') {
            const int end = quotedEnd(m_pos + 1, c, false);
            advanceTo(end);
            emit(SqlToken::QuotedName, start, end, line, lineStart);
            return;
        }
        if (c == u'[') {
            // SQL Server's [name]; ']]' is a doubled bracket.
            const int end = quotedEnd(m_pos + 1, u']', false);
            advanceTo(end);
            emit(SqlToken::QuotedName, start, end, line, lineStart);
            return;
        }
        if (c == u'$') {
            // $$...$$ or $tag$...$tag$; $1 is a parameter.
            int i = m_pos + 1;
            if (!isDigit(at(m_pos + 1))) {
                while (i < m_n && (isWordStart(m_s[i].unicode()) || isDigit(m_s[i].unicode())))
                    ++i;
            }
            if (at(i) == u'$') {
                const QStringView tag = m_s.sliced(m_pos, i + 1 - m_pos);
                const qsizetype close = m_s.indexOf(tag, i + 1);
                const int end = close < 0 ? m_n : int(close + tag.size());
                advanceTo(end);
                emit(SqlToken::String, start, end, line, lineStart);
                return;
            }
            int j = m_pos + 1;
            while (j < m_n && isDigit(m_s[j].unicode()))
                ++j;
            emit(SqlToken::Variable, start, j, line, lineStart);
            m_pos = j;
            return;
        }
        if (isWordStart(c)) {
            int i = m_pos + 1;
            while (i < m_n && isWordPart(m_s[i].unicode()))
                ++i;
            emit(SqlToken::Word, start, i, line, lineStart);
            m_pos = i;
            return;
        }
        if (isDigit(c) || (c == u'.' && isDigit(at(m_pos + 1)))) {
            int i = m_pos + 1;
            while (i < m_n) {
                const char16_t d = m_s[i].unicode();
                if (isDigit(d) || d == u'.' || (d >= u'a' && d <= u'z') || (d >= u'A' && d <= u'Z') || d == u'_')
                    ++i;
                else if ((d == u'+' || d == u'-') && (m_s[i - 1] == u'e' || m_s[i - 1] == u'E'))
                    ++i;
                else
                    break;
            }
            emit(SqlToken::Number, start, i, line, lineStart);
            m_pos = i;
            return;
        }
        if (c == u'@' || c == u'?' || (c == u':' && isWordStart(at(m_pos + 1)))) {
            int i = m_pos + 1;
            while (i < m_n && (m_s[i].unicode() == u'@' || isWordPart(m_s[i].unicode())))
                ++i;
            emit(SqlToken::Variable, start, i, line, lineStart);
            m_pos = i;
            return;
        }
        static const char16_t *const twos[] = {u"<=", u">=", u"<>", u"!=", u"==", u"||", u"::", u"<<", u">>", u"->"};
        int len = 1;
        for (const char16_t *op : twos) {
            if (c == op[0] && at(m_pos + 1) == op[1]) {
                len = 2;
                break;
            }
        }
        emit(SqlToken::Op, start, m_pos + len, line, lineStart);
        m_pos += len;
    }

    QStringView m_s;
    int m_n;
    int m_pos = 0;
    int m_line = 1;
    int m_lineStart = 0;
    QList<SqlToken> m_tokens;
};

} // namespace

QList<SqlToken> lexSql(QStringView source)
{
    if (source.size() > (1 << 30))
        source = source.first(1 << 30);
    return Lexer(source).run();
}

QList<SqlStatement> splitSql(const QList<SqlToken> &tokens, QStringView source)
{
    QList<SqlStatement> statements;
    int begin = 0;
    const int n = int(tokens.size());
    for (int i = 0; i <= n; ++i) {
        const bool end = i == n || (tokens[i].kind == SqlToken::Op && source[tokens[i].start] == u';');
        if (!end)
            continue;
        if (i > begin)
            statements.push_back({begin, i});
        begin = i + 1;
    }
    return statements;
}

} // namespace safecell::safety
