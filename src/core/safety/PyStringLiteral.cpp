#include "PyStringLiteral.h"

namespace safecell::safety {

QStringView pyStringBody(QStringView source, const PyToken &token)
{
    if (token.kind != PyToken::String)
        return {};
    const QStringView text = source.sliced(token.start, token.length);
    int i = 0;
    while (i < text.size() && text[i] != u'"' && text[i] != u'\'')
        ++i;
    if (i >= text.size())
        return {};
    const QChar q = text[i];
    const bool triple = i + 2 < text.size() && text[i + 1] == q && text[i + 2] == q;
    const int open = triple ? 3 : 1;
    int bodyStart = i + open;
    int bodyEnd = int(text.size());
    if (bodyEnd - bodyStart >= open && text.sliced(bodyEnd - open, open).count(q) == open
        && bodyEnd - open >= bodyStart)
        bodyEnd -= open;
    if (bodyEnd < bodyStart)
        return {};
    return text.sliced(bodyStart, bodyEnd - bodyStart);
}

bool pyStringIsBytes(QStringView source, const PyToken &token)
{
    for (int i = token.start; i < token.start + token.length; ++i) {
        const QChar c = source[i];
        if (c == u'"' || c == u'\'')
            return false;
        if (c == u'b' || c == u'B')
            return true;
    }
    return false;
}

} // namespace safecell::safety
