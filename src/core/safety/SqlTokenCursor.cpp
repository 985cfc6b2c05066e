#include "SqlTokenCursor.h"

namespace safecell::safety {

SqlTokenCursor::SqlTokenCursor(QStringView source)
    : m_s(source)
    , m_t(lexSql(source))
    , m_n(int(m_t.size()))
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

std::optional<double> SqlTokenCursor::number(int i) const
{
    if (!valid(i) || m_t[i].kind != SqlToken::Number)
        return std::nullopt;
    bool ok = false;
    const double v = text(i).toString().remove(u'_').toDouble(&ok);
    return ok ? std::optional(v) : std::nullopt;
}

std::optional<double> SqlTokenCursor::fold(int begin, int end) const
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

std::vector<std::pair<int, int>> SqlTokenCursor::args(int open) const
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

} // namespace safecell::safety
