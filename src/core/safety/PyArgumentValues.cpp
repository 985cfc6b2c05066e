#include "PyAnalysis.h"

#include "safety/PyConstantFold.h"
#include "safety/PyStringLiteral.h"

#include <QRegularExpression>

namespace safecell::safety {

// The text of an argument that is only string literals (adjacent ones
// concatenate); nullopt for anything computed.
std::optional<QString> PyAnalysis::literal(int begin, int end) const
{
    if (begin >= end)
        return std::nullopt;
    QString out;
    for (int i = begin; i < end; ++i) {
        if (m_tok[i].kind != PyToken::String)
            return std::nullopt;
        out += pyStringBody(m_s, m_tok[i]);
    }
    return out;
}

// A path argument: a literal, Path("lit"), or a name bound to Path("lit").
std::optional<QString> PyAnalysis::pathLiteral(int begin, int end) const
{
    if (auto lit = literal(begin, end))
        return lit;
    if (end - begin == 1 && isName(begin)) {
        const auto path = m_paths.constFind(text(begin));
        if (path != m_paths.constEnd() && !path->isNull())
            return *path;
        const auto str = m_strings.constFind(text(begin));
        if (str != m_strings.constEnd())
            return *str;
        return std::nullopt;
    }
    // Path("x") / pathlib.Path("x")
    if (isOp(end - 1, u')')) {
        const int open = m_match[end - 1];
        if (open > begin && isWord(open - 1, u"Path")) {
            const QList<Arg> args = callArgs(open);
            if (args.size() == 1)
                return literal(args[0].begin, args[0].end);
        }
    }
    return std::nullopt;
}

PyAnalysis::PathKind PyAnalysis::classifyPath(const std::optional<QString> &path) const
{
    if (!path)
        return PathKind::NotLiteral;
    const QString &p = *path;
    for (const QString &prefix : m_py.urlPrefixes) {
        if (p.startsWith(prefix, Qt::CaseInsensitive))
            return PathKind::Url;
    }
    if (p.startsWith(u'/') || p.startsWith(u'\\') || p.startsWith(u'~')
        || (p.size() >= 2 && p[1] == u':' && p[0].isLetter()))
        return PathKind::Outside;
    static const QRegularExpression separators(QStringLiteral("[/\\\\]"));
    for (const QString &part : p.split(separators)) {
        if (part == QLatin1String(".."))
            return PathKind::Outside;
    }
    return PathKind::Relative;
}

// Integer/float expressions of literals (PyConstantFold).
std::optional<double> PyAnalysis::fold(int begin, int end) const
{
    return foldConstant(m_s, m_tok, m_match, begin, end);
}

// Code handed over as text: a string, an f-string, a sum with one, or a
// name bound to a string; not a lambda or a function.
bool PyAnalysis::givesText(const QList<Arg> &args, const QStringList &parameters) const
{
    for (qsizetype k = 0; k < parameters.size(); ++k) {
        const auto arg = argument(args, int(k), {parameters[k]});
        if (!arg || isWord(arg->begin, u"lambda"))
            continue;
        if (arg->end == arg->begin + 1 && isName(arg->begin) && m_strings.contains(text(arg->begin)))
            return true;
        for (int t = arg->begin; t < arg->end; ++t) {
            if (m_tok[t].kind == PyToken::String || m_tok[t].kind == PyToken::FStringStart)
                return true;
            if (m_match[t] > t)
                t = m_match[t];
        }
    }
    return false;
}

bool PyAnalysis::kwargIs(const QList<Arg> &args, const QString &spec) const
{
    const QString key = spec.section(u'=', 0, 0);
    const QString value = spec.section(u'=', 1);
    for (const Arg &arg : args) {
        if (arg.keyword == key && arg.end - arg.begin == 1 && text(arg.begin) == value)
            return true;
    }
    return false;
}

} // namespace safecell::safety
