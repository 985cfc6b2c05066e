#include "SqlAnalyzer.h"

#include "safety/FindingSpan.h"
#include "safety/SqlLexer.h"

#include <optional>
#include <vector>

namespace safecell::safety {

namespace {

class Analyzer {
public:
    Analyzer(QStringView source, const Policy &policy)
        : m_s(source), m_policy(policy), m_sql(policy.sql), m_t(lexSql(source)), m_n(int(m_t.size()))
    {
        m_match.assign(m_n, -1);
        std::vector<int> stack;
        for (int i = 0; i < m_n; ++i) {
            if (isOp(i, u"(")) {
                stack.push_back(i);
            } else if (isOp(i, u")") && !stack.empty()) {
                m_match[stack.back()] = i;
                m_match[i] = stack.back();
                stack.pop_back();
            }
        }
    }

    QList<Finding> run()
    {
        for (const SqlStatement &st : splitSql(m_t, m_s)) {
            statement(st.begin, st.end);
            everywhere(st.begin, st.end);
        }
        return std::move(m_findings);
    }

private:
    QStringView text(int i) const { return m_s.sliced(m_t[i].start, m_t[i].length); }
    bool valid(int i) const { return i >= 0 && i < m_n; }
    bool isOp(int i, QStringView op) const { return valid(i) && m_t[i].kind == SqlToken::Op && text(i) == op; }
    bool isWord(int i) const { return valid(i) && m_t[i].kind == SqlToken::Word; }
    bool is(int i, QStringView word) const
    {
        return isWord(i) && text(i).compare(word, Qt::CaseInsensitive) == 0;
    }
    QString upper(int i) const { return text(i).toString().toUpper(); }
    // the index after a parenthesised group starting at i (or i + 1)
    int skip(int i) const { return isOp(i, u"(") && m_match[i] > i ? m_match[i] + 1 : i + 1; }

    void report(const QString &ruleId, int first, int last, const QString &detail = {})
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

    // First index at bracket depth 0 in [from, end) where pred holds.
    template <class Pred>
    int findTop(int from, int end, Pred pred) const
    {
        for (int i = from; i < end; i = skip(i)) {
            if (pred(i))
                return i;
        }
        return -1;
    }

    std::optional<double> number(int i) const
    {
        if (!valid(i) || m_t[i].kind != SqlToken::Number)
            return std::nullopt;
        bool ok = false;
        const double v = text(i).toString().remove(u'_').toDouble(&ok);
        return ok ? std::optional(v) : std::nullopt;
    }

    // Products and sums of numeric literals: 1e8, 100*1000*1000, 10000000+1.
    std::optional<double> fold(int begin, int end) const
    {
        if (begin >= end)
            return std::nullopt;
        double total = 0;
        double product = 1;
        bool expectValue = true;
        for (int i = begin; i < end; ++i) {
            if (expectValue) {
                const auto v = number(i);
                if (!v)
                    return std::nullopt;
                product *= *v;
                expectValue = false;
            } else if (isOp(i, u"*")) {
                expectValue = true;
            } else if (isOp(i, u"+")) {
                total += product;
                product = 1;
                expectValue = true;
            } else {
                return std::nullopt;
            }
        }
        return expectValue ? std::nullopt : std::optional(total + product);
    }

    // ---- one statement --------------------------------------------------
    void statement(int begin, int end, int depth = 0)
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
    int withClause(int i, int end)
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
        const bool limited = findTop(i, end, [this](int k) { return is(k, u"LIMIT") || is(k, u"TOP") || is(k, u"FETCH"); }) >= 0;
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
            const bool where = findTop(unionTok, cte.end, [this](int k) { return is(k, u"WHERE") || is(k, u"LIMIT"); }) >= 0;
            if (!where && !limited)
                report(QStringLiteral("SQL-ABUSE"), withTok, withTok + (recursive ? 1 : 0),
                       QStringLiteral("recursive CTE %1 without WHERE or LIMIT").arg(cte.name.toString()));
        }
        return i;
    }

    QString statementKind(int i, int end, int *objectTok) const
    {
        QString kind = upper(i);
        *objectTok = i;
        if (kind == QLatin1String("CREATE")) {
            int k = i + 1;
            static const QStringView modifiers[] = {u"OR", u"REPLACE", u"ALTER", u"TEMP", u"TEMPORARY", u"UNIQUE",
                                                    u"GLOBAL", u"LOCAL", u"MATERIALIZED", u"UNLOGGED",
                                                    u"RECURSIVE", u"DEFINER", u"SQL", u"SECURITY", u"ALGORITHM",
                                                    u"CLUSTERED", u"NONCLUSTERED", u"TRUSTED", u"PROCEDURAL",
                                                    u"CONSTRAINT", u"DEFAULT"};
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

    void mainStatement(int i, int end, int stmtBegin)
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
            if (valid(i + 1) && (m_t[i + 1].kind == SqlToken::String || isOp(i + 1, u"(") || is(i + 1, u"IMMEDIATE")
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
        else if (const auto byFirst = m_sql.statements.constFind(first); byFirst != m_sql.statements.constEnd()
                 && kind == first)
            rule = *byFirst;
        else
            rule = m_sql.unknownStatementRule;
        if (rule == QLatin1String("safe"))
            return;
        report(rule, i, objectTok, kind);
    }

    void deleteOrUpdate(int i, int end)
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

    // A WHERE condition that holds for every row as written.
    bool alwaysTrue(int begin, int end, int depth) const
    {
        if (begin >= end || depth > 32)
            return false;
        // OR: any always-true term
        int termBegin = begin;
        bool anyOr = false;
        for (int k = begin; k <= end; k = (k < end ? skip(k) : k + 1)) {
            if (k == end || is(k, u"OR")) {
                if (k == end && !anyOr)
                    break;
                anyOr = true;
                if (alwaysTrue(termBegin, k, depth + 1))
                    return true;
                termBegin = k + 1;
            }
        }
        if (anyOr)
            return false;
        // AND: every part always true
        termBegin = begin;
        bool anyAnd = false;
        for (int k = begin; k <= end; k = (k < end ? skip(k) : k + 1)) {
            if (k == end || is(k, u"AND")) {
                if (k == end && !anyAnd)
                    break;
                anyAnd = true;
                if (!alwaysTrue(termBegin, k, depth + 1))
                    return false;
                termBegin = k + 1;
            }
        }
        if (anyAnd)
            return true;
        if (isOp(begin, u"(") && m_match[begin] == end - 1)
            return alwaysTrue(begin + 1, end - 1, depth + 1);
        if (end - begin == 1) {
            if (is(begin, u"TRUE"))
                return true;
            const auto v = number(begin);
            return v && *v != 0;
        }
        // left op right
        static const QStringView ops[] = {u"=", u"==", u">=", u"<=", u"<>", u"!=", u"<", u">"};
        for (int k = begin + 1; k < end - 1; ++k) {
            QStringView op;
            for (QStringView o : ops) {
                if (isOp(k, o))
                    op = o;
            }
            const bool isIs = is(k, u"IS");
            if (op.isNull() && !isIs)
                continue;
            if (isIs)
                op = u"=";
            const bool equalish = op == u"=" || op == u"==" || op == u">=" || op == u"<=";
            if (k - begin == 1 && end - k - 1 == 1) {
                const auto a = number(begin);
                const auto b = number(k + 1);
                if (a && b) {
                    if (op == u"=" || op == u"==") return *a == *b;
                    if (op == u">=") return *a >= *b;
                    if (op == u"<=") return *a <= *b;
                    if (op == u"<") return *a < *b;
                    if (op == u">") return *a > *b;
                    return *a != *b;
                }
                if (m_t[begin].kind == SqlToken::String && m_t[k + 1].kind == SqlToken::String) {
                    const bool same = text(begin) == text(k + 1);
                    return (equalish && same) || ((op == u"<>" || op == u"!=") && !same);
                }
            }
            // a column compared with itself
            if (equalish && k - begin == end - k - 1) {
                bool same = true;
                bool columns = false;
                for (int j = 0; j < k - begin && same; ++j) {
                    const int a = begin + j, b = k + 1 + j;
                    if (m_t[a].kind != m_t[b].kind || text(a).compare(text(b), Qt::CaseInsensitive) != 0)
                        same = false;
                    if (m_t[a].kind == SqlToken::Word || m_t[a].kind == SqlToken::QuotedName)
                        columns = !is(a, u"NULL");
                    else if (!isOp(a, u"."))
                        same = false;
                }
                return same && columns;
            }
            return false;
        }
        return false;
    }

    void pragma(int i, int end)
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

    // Constructs that count wherever they appear in a statement.
    void everywhere(int begin, int end)
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

    std::vector<std::pair<int, int>> args(int open) const
    {
        std::vector<std::pair<int, int>> out;
        const int close = m_match[open];
        if (close < 0)
            return out;
        int b = open + 1;
        for (int k = open + 1; k <= close; k = (k < close ? skip(k) : k + 1)) {
            if (k == close || isOp(k, u",")) {
                out.emplace_back(b, k);
                b = k + 1;
            }
        }
        return out;
    }

    void sizeArgument(int fn, int index, double limit, const QString &unit)
    {
        const auto a = args(fn + 1);
        if (index >= int(a.size()))
            return;
        const auto v = fold(a[index].first, a[index].second);
        if (v && *v >= limit)
            report(QStringLiteral("SQL-ABUSE"), fn, m_match[fn + 1], QStringLiteral("%1 %2").arg(*v, 0, 'g', 3).arg(unit));
    }

    void series(int fn)
    {
        const auto a = args(fn + 1);
        if (a.size() < 2)
            return;
        const auto from = fold(a[0].first, a[0].second);
        const auto to = fold(a[1].first, a[1].second);
        if (from && to && *to - *from >= m_sql.maxSeriesRows)
            report(QStringLiteral("SQL-ABUSE"), fn, m_match[fn + 1],
                   QStringLiteral("%1 rows").arg(*to - *from, 0, 'g', 3));
    }

    QStringView m_s;
    const Policy &m_policy;
    const SqlPolicy &m_sql;
    QList<SqlToken> m_t;
    int m_n;
    std::vector<int> m_match;
    QList<Finding> m_findings;
    int m_depth = 0;
};

} // namespace

QList<Finding> analyzeSql(QStringView source, const Policy &policy)
{
    QList<Finding> findings = Analyzer(source, policy).run();
    std::sort(findings.begin(), findings.end(), [](const Finding &a, const Finding &b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return findings;
}

} // namespace safecell::safety
