#include "PyTokenCursor.h"

#include "safety/NameFilter.h"
#include "safety/PyLexer.h"

#include <QSet>

namespace safecell::safety {

namespace {

const QSet<QStringView> &keywords()
{
    static const QSet<QStringView> set{u"False",  u"None",   u"True",    u"and",      u"as",       u"assert", u"async",
                                       u"await",  u"break",  u"class",   u"continue", u"def",      u"del",    u"elif",
                                       u"else",   u"except", u"finally", u"for",      u"from",     u"global", u"if",
                                       u"import", u"in",     u"is",      u"lambda",   u"nonlocal", u"not",    u"or",
                                       u"pass",   u"raise",  u"return",  u"try",      u"while",    u"with",   u"yield"};
    return set;
}

} // namespace

PyTokenCursor::PyTokenCursor(QStringView source)
    : m_s(source)
    , m_t(lexPython(source))
    , m_n(int(m_t.size()))
{
    m_fold = foldIdentifiers(source, m_t);
    if (!m_fold.buffer.isEmpty())
        m_s = m_fold.buffer;
    m_tok = m_t.constData();
    matchBrackets();
}

bool PyTokenCursor::isKeyword(int i) const
{
    static const NameFilter filter = filterOf(keywords());
    return isName(i) && filter.mayContain(text(i)) && keywords().contains(text(i));
}

void PyTokenCursor::matchBrackets()
{
    m_match.assign(m_n, -1);
    std::vector<int> stack;
    for (int i = 0; i < m_n; ++i) {
        if (m_tok[i].kind != PyToken::Op || m_tok[i].length != 1)
            continue;
        const QChar c = m_s[m_tok[i].start];
        if (c == u'(' || c == u'[' || c == u'{') {
            stack.push_back(i);
        } else if ((c == u')' || c == u']' || c == u'}') && !stack.empty()) {
            m_match[stack.back()] = i;
            m_match[i] = stack.back();
            stack.pop_back();
        }
    }
}

int PyTokenCursor::statementEnd(int i) const
{
    for (; i < m_n; ++i) {
        if (m_tok[i].kind == PyToken::Newline || isOp(i, u';'))
            return i;
    }
    return m_n;
}

int PyTokenCursor::dotted(int i, QString *out) const
{
    out->clear();
    while (isName(i)) {
        *out += text(i);
        if (isOp(i + 1, u'.') && isName(i + 2)) {
            *out += u'.';
            i += 2;
            continue;
        }
        return i + 1;
    }
    return i;
}

QList<PyTokenCursor::Arg> PyTokenCursor::callArgs(int open) const
{
    QList<Arg> args;
    const int close = valid(open) ? m_match[open] : -1;
    if (close < 0)
        return args;
    int begin = open + 1;
    for (int i = open + 1; i <= close; ++i) {
        if (i < close) {
            if (m_tok[i].kind != PyToken::Op)
                continue;
            const QStringView op = text(i);
            if (op == u"(" || op == u"[" || op == u"{") {
                if (m_match[i] > i && m_match[i] < close)
                    i = m_match[i];
                continue;
            }
            if (op != u",")
                continue;
        }
        if (i > begin) {
            Arg arg{begin, i, {}};
            if (i - begin >= 2 && isName(begin) && isOp(begin + 1, u'=')) {
                arg.keyword = text(begin);
                arg.begin = begin + 2;
            }
            args << arg;
        }
        begin = i + 1;
    }
    return args;
}

std::optional<PyTokenCursor::Arg> PyTokenCursor::argument(const QList<Arg> &args, int position,
                                                          const QStringList &keywords) const
{
    int positional = 0;
    for (const Arg &arg : args) {
        if (!arg.keyword.isNull()) {
            for (const QString &k : keywords) {
                if (arg.keyword == k)
                    return arg;
            }
            continue;
        }
        if (isOp(arg.begin, u'*') || isOp(arg.begin, u"**"))
            continue;
        if (positional++ == position)
            return arg;
    }
    return std::nullopt;
}

} // namespace safecell::safety
