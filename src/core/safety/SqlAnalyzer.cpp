#include "SqlAnalyzer.h"

#include "safety/FindingSpan.h"
#include "safety/SqlAnalysis.h"

#include <algorithm>
#include <vector>

namespace safecell::safety {

SqlAnalysis::SqlAnalysis(QStringView source, const Policy &policy)
    : SqlTokenCursor(source)
    , m_policy(policy)
    , m_sql(policy.sql)
{
}

QList<Finding> SqlAnalysis::run()
{
    for (const SqlStatement &st : splitSql(m_t, m_s)) {
        statement(st.begin, st.end);
        everywhere(st.begin, st.end);
    }
    return std::move(m_findings);
}

void SqlAnalysis::report(const QString &ruleId, int first, int last, const QString &detail)
{
    const RuleInfo *rule = m_policy.rule(ruleId);
    if (!rule || !rule->enabled || !valid(first))
        return;
    last = std::clamp(last, first, m_n - 1);
    const SqlToken &a = m_t[first];
    const SqlToken &b = m_t[last];
    addFinding(m_findings, *rule, m_s, TokenSpan{a.start, b.start + b.length, a.line, a.column, b.line != a.line},
               detail);
}

void SqlAnalysis::statement(int begin, int end, int depth)
{
    if (depth > 16) // EXPLAIN ANALYZE EXPLAIN ANALYZE ...
        return;
    m_depth = depth;
    int i = begin;
    while (isOp(i, u"(") && i < end)
        ++i;
    if (i >= end)
        return;
    if (is(i, u"WITH")) {
        i = withClause(i, end);
        if (i >= end)
            return;
    }
    mainStatement(i, end, begin);
}

// Reads WITH's CTEs, judging data-changing ones and unbounded recursion;
// returns the main statement's first token.
int SqlAnalysis::withClause(int i, int end)
{
    const int withTok = i;
    ++i;
    const bool recursive = is(i, u"RECURSIVE");
    if (recursive)
        ++i;
    struct Cte {
        QStringView name;
        int begin, end;
    };
    std::vector<Cte> ctes;
    while (i < end) {
        const int nameTok = i;
        i = skip(i + 1) == i + 2 ? i + 1 : skip(i + 1); // the name, then optional (columns)
        if (!is(i, u"AS"))
            return i;
        ++i;
        while (is(i, u"NOT") || is(i, u"MATERIALIZED"))
            ++i;
        if (!isOp(i, u"(") || m_match[i] < 0)
            return i;
        ctes.push_back({text(nameTok), i + 1, m_match[i]});
        i = m_match[i] + 1;
        if (isOp(i, u",")) {
            ++i;
            continue;
        }
        break;
    }
    const bool limited = findTop(i, end, [this](int k) { return is(k, u"LIMIT") || is(k, u"TOP") || is(k, u"FETCH"); })
                         >= 0;
    for (const Cte &cte : ctes) {
        int first = cte.begin;
        while (isOp(first, u"(") && first < cte.end)
            ++first;
        if (is(first, u"DELETE") || is(first, u"UPDATE") || is(first, u"INSERT") || is(first, u"MERGE"))
            mainStatement(first, cte.end, first);
        // Recursive member: after UNION at the CTE's own level, referencing itself.
        const int unionTok = findTop(cte.begin, cte.end, [this](int k) { return is(k, u"UNION"); });
        if (unionTok < 0)
            continue;
        bool selfReference = false;
        for (int k = unionTok; k < cte.end; ++k) {
            if ((isWord(k) || m_t[k].kind == SqlToken::QuotedName) && text(k).contains(cte.name, Qt::CaseInsensitive))
                selfReference = true;
        }
        if (!recursive && !selfReference)
            continue;
        const bool where = findTop(unionTok, cte.end, [this](int k) { return is(k, u"WHERE") || is(k, u"LIMIT"); })
                           >= 0;
        if (!where && !limited)
            report(QStringLiteral("SQL-ABUSE"), withTok, withTok + (recursive ? 1 : 0),
                   QStringLiteral("recursive CTE %1 without WHERE or LIMIT").arg(cte.name.toString()));
    }
    return i;
}

QString SqlAnalysis::statementKind(int i, int end, int *objectTok) const
{
    QString kind = upper(i);
    *objectTok = i;
    if (kind == QLatin1String("CREATE")) {
        int k = i + 1;
        static const QStringView modifiers[] = {u"OR",           u"REPLACE",  u"ALTER",      u"TEMP",
                                                u"TEMPORARY",    u"UNIQUE",   u"GLOBAL",     u"LOCAL",
                                                u"MATERIALIZED", u"UNLOGGED", u"RECURSIVE",  u"DEFINER",
                                                u"SQL",          u"SECURITY", u"ALGORITHM",  u"CLUSTERED",
                                                u"NONCLUSTERED", u"TRUSTED",  u"PROCEDURAL", u"CONSTRAINT",
                                                u"DEFAULT"};
        while (k < end) {
            bool modifier = false;
            for (QStringView m : modifiers)
                modifier = modifier || is(k, m);
            if (!modifier && !isOp(k, u"=") && !isOp(k - 1, u"="))
                break;
            ++k;
        }
        if (k < end && isWord(k)) {
            *objectTok = k;
            return kind + u' ' + upper(k);
        }
    }
    return kind;
}

void SqlAnalysis::mainStatement(int i, int end, int stmtBegin)
{
    Q_UNUSED(stmtBegin);
    if (!isWord(i)) {
        report(m_sql.unknownStatementRule, i, i, QStringLiteral("unrecognised statement"));
        return;
    }
    int objectTok = i;
    const QString kind = statementKind(i, end, &objectTok);
    const QString first = upper(i);

    if (first == QLatin1String("DELETE") || first == QLatin1String("UPDATE")) {
        deleteOrUpdate(i, end);
        return;
    }
    if (first == QLatin1String("EXPLAIN")) {
        int k = i + 1;
        bool analyze = false;
        if (isOp(k, u"(") && m_match[k] > k) {
            for (int j = k; j < m_match[k]; ++j)
                analyze = analyze || is(j, u"ANALYZE") || is(j, u"ANALYSE");
            k = m_match[k] + 1;
        }
        while (is(k, u"ANALYZE") || is(k, u"ANALYSE") || is(k, u"VERBOSE") || is(k, u"QUERY") || is(k, u"PLAN")
               || is(k, u"EXTENDED") || is(k, u"FORMAT")) {
            analyze = analyze || is(k, u"ANALYZE") || is(k, u"ANALYSE");
            ++k;
            if (is(k - 1, u"FORMAT") && isWord(k))
                ++k;
        }
        if (analyze && k < end)
            statement(k, end, m_depth + 1);
        return;
    }
    if (first == QLatin1String("PRAGMA")) {
        pragma(i, end);
        return;
    }
    if (first == QLatin1String("VACUUM")) {
        if (findTop(i + 1, end, [this](int k) { return is(k, u"INTO"); }) >= 0) {
            report(QStringLiteral("SQL-ESCAPE"), i, i, QStringLiteral("VACUUM INTO"));
            return;
        }
    }
    if (first == QLatin1String("COPY")) {
        const int dir = findTop(i + 1, end, [this](int k) { return is(k, u"TO") || is(k, u"FROM"); });
        if (dir >= 0 && (m_t[dir + 1 < m_n ? dir + 1 : dir].kind == SqlToken::String || is(dir + 1, u"PROGRAM"))) {
            report(QStringLiteral("SQL-ESCAPE"), i, dir + 1, QStringLiteral("COPY to or from a file or program"));
            return;
        }
    }
    if (first == QLatin1String("EXECUTE") || first == QLatin1String("EXEC")) {
        if (valid(i + 1)
            && (m_t[i + 1].kind == SqlToken::String || isOp(i + 1, u"(") || is(i + 1, u"IMMEDIATE")
                || is(i + 1, u"sp_executesql"))) {
            report(QStringLiteral("SQL-ESCAPE"), i, i + 1, QStringLiteral("dynamic SQL"));
            return;
        }
    }
    if (first == QLatin1String("PREPARE")) {
        const int from = findTop(i + 1, end, [this](int k) { return is(k, u"FROM"); });
        if (from >= 0 && valid(from + 1) && m_t[from + 1].kind != SqlToken::Word) {
            report(QStringLiteral("SQL-ESCAPE"), i, from + 1, QStringLiteral("dynamic SQL"));
            return;
        }
    }
    if (first == QLatin1String("SELECT")) {
        const int into = findTop(i + 1, end, [this](int k) { return is(k, u"INTO"); });
        if (into >= 0 && valid(into + 1) && m_t[into + 1].kind != SqlToken::Variable && !is(into + 1, u"OUTFILE")
            && !is(into + 1, u"DUMPFILE"))
            report(QStringLiteral("SQL-WRITE"), i, into + 1, QStringLiteral("SELECT INTO a new table"));
        return;
    }
    const auto it = m_sql.statements.constFind(kind);
    QString rule;
    if (it != m_sql.statements.constEnd())
        rule = *it;
    else if (const auto byFirst = m_sql.statements.constFind(first);
             byFirst != m_sql.statements.constEnd() && kind == first)
        rule = *byFirst;
    else
        rule = m_sql.unknownStatementRule;
    if (rule == QLatin1String("safe"))
        return;
    report(rule, i, objectTok, kind);
}

void SqlAnalysis::deleteOrUpdate(int i, int end)
{
    const QString what = upper(i);
    const int where = findTop(i + 1, end, [this](int k) { return is(k, u"WHERE"); });
    if (where < 0) {
        report(QStringLiteral("SQL-WIPE"), i, i, what + QStringLiteral(" without WHERE"));
        return;
    }
    int clauseEnd = findTop(where + 1, end, [this](int k) {
        return is(k, u"RETURNING") || is(k, u"ORDER") || is(k, u"LIMIT") || is(k, u"OPTION") || is(k, u"OUTPUT");
    });
    if (clauseEnd < 0)
        clauseEnd = end;
    if (alwaysTrue(where + 1, clauseEnd, 0)) {
        report(QStringLiteral("SQL-WIPE"), i, i, what + QStringLiteral(" with a WHERE that is always true"));
        return;
    }
    report(QStringLiteral("SQL-WRITE"), i, i, what);
}

void SqlAnalysis::pragma(int i, int end)
{
    int k = i + 1;
    if (isWord(k) && isOp(k + 1, u".") && isWord(k + 2))
        k += 2; // schema.name
    if (!isWord(k))
        return;
    const QString name = text(k).toString().toLower();
    const bool sets = isOp(k + 1, u"=") || isOp(k + 1, u"(");
    if (m_sql.dangerousPragmas.contains(name)) {
        if (sets)
            report(QStringLiteral("SQL-ESCAPE"), i, k, QStringLiteral("PRAGMA ") + name);
        return;
    }
    if (m_sql.actingPragmas.contains(name) || (sets && !m_sql.readPragmas.contains(name)))
        report(QStringLiteral("SQL-WRITE"), i, k, QStringLiteral("PRAGMA ") + name);
    Q_UNUSED(end);
}

QList<Finding> analyzeSql(QStringView source, const Policy &policy)
{
    QList<Finding> findings = SqlAnalysis(source, policy).run();
    std::sort(findings.begin(), findings.end(), [](const Finding &a, const Finding &b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return findings;
}

} // namespace safecell::safety
