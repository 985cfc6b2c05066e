#include "SqlAnalysis.h"

namespace safecell::safety {

// A WHERE condition that holds for every row as written.
bool SqlAnalysis::alwaysTrue(int begin, int end, int depth) const
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
                if (op == u"=" || op == u"==")
                    return *a == *b;
                if (op == u">=")
                    return *a >= *b;
                if (op == u"<=")
                    return *a <= *b;
                if (op == u"<")
                    return *a < *b;
                if (op == u">")
                    return *a > *b;
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

} // namespace safecell::safety
