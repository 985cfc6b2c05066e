#include "PyConstantFold.h"

#include "safety/PyStringLiteral.h"

#include <QString>

#include <algorithm>
#include <cmath>

namespace safecell::safety {

namespace {

class Folder {
public:
    Folder(QStringView source, const PyToken *tokens, const std::vector<int> &match)
        : m_s(source)
        , m_tok(tokens)
        , m_match(match)
    {
    }

    // Integer/float expressions of literals with + - * ** // and parentheses.
    std::optional<double> fold(int begin, int end) const
    {
        int pos = begin;
        const auto value = foldSum(pos, end, 0);
        if (!value || pos != end)
            return std::nullopt;
        return value;
    }

    std::optional<double> foldSum(int &pos, int end, int depth) const
    {
        auto left = foldProduct(pos, end, depth);
        while (left && pos < end && (isOp(pos, u'+') || isOp(pos, u'-'))) {
            const bool plus = isOp(pos, u'+');
            ++pos;
            const auto right = foldProduct(pos, end, depth);
            if (!right)
                return std::nullopt;
            left = plus ? *left + *right : *left - *right;
        }
        return left;
    }

    std::optional<double> foldProduct(int &pos, int end, int depth) const
    {
        auto left = foldPower(pos, end, depth);
        while (left && pos < end && (isOp(pos, u'*') || isOp(pos, u"//"))) {
            const bool times = isOp(pos, u'*');
            ++pos;
            const auto right = foldPower(pos, end, depth);
            if (!right)
                return std::nullopt;
            left = times ? *left * *right : (*right == 0 ? 0 : std::floor(*left / *right));
        }
        return left;
    }

    std::optional<double> foldPower(int &pos, int end, int depth) const
    {
        auto base = foldAtom(pos, end, depth);
        if (base && pos < end && isOp(pos, u"**")) {
            ++pos;
            if (depth > 64)
                return std::nullopt;
            const auto exponent = foldPower(pos, end, depth + 1); // right-associative
            if (!exponent)
                return std::nullopt;
            return std::pow(*base, std::min(*exponent, 4096.0));
        }
        return base;
    }

    std::optional<double> foldAtom(int &pos, int end, int depth) const
    {
        if (pos >= end || depth > 64)
            return std::nullopt;
        if (isOp(pos, u'-')) {
            ++pos;
            const auto v = foldAtom(pos, end, depth + 1);
            return v ? std::optional(-*v) : std::nullopt;
        }
        if (isOp(pos, u'(')) {
            const int close = m_match[pos];
            if (close < 0 || close >= end)
                return std::nullopt;
            int inner = pos + 1;
            const auto v = foldSum(inner, close, depth + 1);
            if (!v || inner != close)
                return std::nullopt;
            pos = close + 1;
            return v;
        }
        if (m_tok[pos].kind == PyToken::Number) {
            QString digits = text(pos).toString().remove(u'_');
            bool ok = false;
            double v = 0;
            if (digits.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
                v = double(digits.mid(2).toULongLong(&ok, 16));
            else
                v = digits.toDouble(&ok);
            if (!ok)
                return std::nullopt;
            ++pos;
            return v;
        }
        if (isWord(pos, u"True")) {
            ++pos;
            return 1.0;
        }
        if (isWord(pos, u"False")) {
            ++pos;
            return 0.0;
        }
        return std::nullopt;
    }

    bool constantTrue(int begin, int end, int depth) const
    {
        if (begin >= end || depth > 64)
            return false;
        if (isWord(begin, u"not"))
            return end - begin == 2
                   && (isWord(begin + 1, u"False") || isWord(begin + 1, u"None")
                       || (m_tok[begin + 1].kind == PyToken::Number && fold(begin + 1, end) == 0.0));
        if (end - begin == 1 && m_tok[begin].kind == PyToken::String)
            return !pyStringBody(m_s, m_tok[begin]).isEmpty();
        if (const auto v = fold(begin, end))
            return *v != 0;
        // a comparison of two literals
        for (int k = begin; k < end; ++k) {
            static const QStringView ops[] = {u">", u"<", u">=", u"<=", u"==", u"!="};
            for (QStringView op : ops) {
                if (!isOp(k, op))
                    continue;
                const auto a = fold(begin, k);
                const auto b = fold(k + 1, end);
                if (!a || !b)
                    return false;
                if (op == u">")
                    return *a > *b;
                if (op == u"<")
                    return *a < *b;
                if (op == u">=")
                    return *a >= *b;
                if (op == u"<=")
                    return *a <= *b;
                if (op == u"==")
                    return *a == *b;
                return *a != *b;
            }
        }
        if (isOp(begin, u'(') && m_match[begin] == end - 1)
            return constantTrue(begin + 1, end - 1, depth + 1);
        return false;
    }

private:
    QStringView text(int i) const { return m_s.sliced(m_tok[i].start, m_tok[i].length); }
    bool isOp(int i, char16_t op) const
    {
        return m_tok[i].kind == PyToken::Op && m_tok[i].length == 1 && m_s[m_tok[i].start] == op;
    }
    bool isOp(int i, QStringView op) const { return m_tok[i].kind == PyToken::Op && text(i) == op; }
    bool isWord(int i, QStringView w) const { return m_tok[i].kind == PyToken::Name && text(i) == w; }

    QStringView m_s;
    const PyToken *m_tok;
    const std::vector<int> &m_match;
};

} // namespace

std::optional<double> foldConstant(QStringView source, const PyToken *tokens, const std::vector<int> &match, int begin,
                                   int end)
{
    return Folder(source, tokens, match).fold(begin, end);
}

bool isConstantTruth(QStringView source, const PyToken *tokens, const std::vector<int> &match, int begin, int end)
{
    return Folder(source, tokens, match).constantTrue(begin, end, 0);
}

} // namespace safecell::safety
