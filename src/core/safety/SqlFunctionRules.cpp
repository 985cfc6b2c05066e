#include "SqlAnalysis.h"

namespace safecell::safety {

// Constructs that count wherever they appear in a statement.
void SqlAnalysis::everywhere(int begin, int end)
{
    for (int i = begin; i < end; ++i) {
        if (!isWord(i))
            continue;
        if (is(i, u"INTO") && (is(i + 1, u"OUTFILE") || is(i + 1, u"DUMPFILE"))) {
            report(QStringLiteral("SQL-ESCAPE"), i, i + 1, QStringLiteral("INTO ") + upper(i + 1));
            continue;
        }
        if (is(i, u"INFILE") && i > begin) {
            report(QStringLiteral("SQL-ESCAPE"), i, i, QStringLiteral("LOAD DATA INFILE"));
            continue;
        }
        if (is(i, u"WAITFOR")) {
            report(QStringLiteral("SQL-ABUSE"), i, i, QStringLiteral("WAITFOR"));
            continue;
        }
        const bool call = isOp(i + 1, u"(");
        const bool executed = i > begin && (is(i - 1, u"EXEC") || is(i - 1, u"EXECUTE") || is(i - 1, u"CALL"));
        if (!call && !executed)
            continue;
        if (isOp(i - 1, u".") && !is(i - 2, u"master") && !is(i - 2, u"sys") && !is(i - 2, u"dbo"))
            continue; // a method-like name on something else
        const QString name = text(i).toString().toLower();
        if (const auto it = m_sql.functions.constFind(name); it != m_sql.functions.constEnd()) {
            report(*it, i, call ? m_match[i + 1] : i, name);
            continue;
        }
        bool matched = false;
        for (auto it = m_sql.functionPrefixes.constBegin(); it != m_sql.functionPrefixes.constEnd(); ++it) {
            if (name.startsWith(it.key())) {
                report(it.value(), i, call ? m_match[i + 1] : i, name);
                matched = true;
                break;
            }
        }
        if (matched || !call)
            continue;
        if (const auto it = m_sql.sizeFunctions.constFind(name); it != m_sql.sizeFunctions.constEnd())
            sizeArgument(i, *it, m_sql.maxBlobBytes, QStringLiteral("bytes"));
        else if (name == QLatin1String("generate_series"))
            series(i);
    }
}

void SqlAnalysis::sizeArgument(int fn, int index, double limit, const QString &unit)
{
    const auto a = args(fn + 1);
    if (index >= int(a.size()))
        return;
    const auto v = fold(a[index].first, a[index].second);
    if (v && *v >= limit)
        report(QStringLiteral("SQL-ABUSE"), fn, m_match[fn + 1], QStringLiteral("%1 %2").arg(*v, 0, 'g', 3).arg(unit));
}

void SqlAnalysis::series(int fn)
{
    const auto a = args(fn + 1);
    if (a.size() < 2)
        return;
    const auto from = fold(a[0].first, a[0].second);
    const auto to = fold(a[1].first, a[1].second);
    if (from && to && *to - *from >= m_sql.maxSeriesRows)
        report(QStringLiteral("SQL-ABUSE"), fn, m_match[fn + 1], QStringLiteral("%1 rows").arg(*to - *from, 0, 'g', 3));
}

} // namespace safecell::safety
