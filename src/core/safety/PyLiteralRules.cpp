#include "PyAnalysis.h"

#include "safety/PyStringLiteral.h"

#include <QRegularExpression>

namespace safecell::safety {

// "x" * 10**12, [0] * 10**9
void PyAnalysis::literalSize(int star)
{
    auto operandEnd = [this](int from) {
        int k = from;
        while (valid(k)
               && (m_tok[k].kind == PyToken::Number || isOp(k, u"**") || isOp(k, u'*') || isOp(k, u'(')
                   || (isOp(k, u')') && m_match[k] >= from)))
            ++k;
        return k;
    };
    auto operandBegin = [this](int from) {
        int k = from;
        while (valid(k)
               && (m_tok[k].kind == PyToken::Number || isOp(k, u"**") || isOp(k, u'*') || isOp(k, u')')
                   || (isOp(k, u'(') && m_match[k] <= from && m_match[k] >= 0)))
            --k;
        return k + 1;
    };
    const bool leftSeq = valid(star - 1) && (m_tok[star - 1].kind == PyToken::String || isOp(star - 1, u']'));
    const bool rightSeq = valid(star + 1) && (m_tok[star + 1].kind == PyToken::String || isOp(star + 1, u'['));
    std::optional<double> count;
    int first = star, last = star;
    if (leftSeq) {
        last = operandEnd(star + 1);
        count = fold(star + 1, last);
        first = isOp(star - 1, u']') && m_match[star - 1] >= 0 ? m_match[star - 1] : star - 1;
        --last;
    } else if (rightSeq) {
        first = operandBegin(star - 1);
        count = fold(first, star);
        last = isOp(star + 1, u'[') && m_match[star + 1] >= 0 ? m_match[star + 1] : star + 1;
    }
    if (count && *count >= m_py.maxSize)
        report(QStringLiteral("PY-ABUSE"), first, last, QStringLiteral("%1 elements").arg(*count, 0, 'g', 3));
}

void PyAnalysis::secretLiteral(int i)
{
    const QStringView body = pyStringBody(m_s, m_tok[i]);
    if (body.isEmpty())
        return;
    if (body[0] != u'/' && body[0] != u'~') {
        // only names like .env or login.keychain are secrets elsewhere
        bool candidate = false;
        for (qsizetype k = 0; k + 3 < body.size() && !candidate; ++k) {
            if (body[k] == u'.' && (body[k + 1] == u'e' || body[k + 1] == u'k'))
                candidate = body.sliced(k).startsWith(u".env") || body.sliced(k).startsWith(u".keychain");
        }
        if (!candidate)
            return;
    }
    const QString path = body.toString();
    for (const QRegularExpression &re : m_py.secretPaths) {
        if (re.match(path).hasMatch()) {
            report(QStringLiteral("PY-SECRET"), i, i, path);
            return;
        }
    }
}

} // namespace safecell::safety
