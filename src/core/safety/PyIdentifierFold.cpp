#include "PyIdentifierFold.h"

#include <cstring>

namespace safecell::safety {

namespace {

// Four UTF-16 units at a time: this runs over every snippet's whole text.
bool isAscii(QStringView text)
{
    const char16_t *p = text.utf16();
    const qsizetype n = text.size();
    quint64 any = 0;
    qsizetype i = 0;
    for (; i + 4 <= n; i += 4) {
        quint64 four;
        std::memcpy(&four, p + i, sizeof four);
        any |= four;
    }
    for (; i < n; ++i)
        any |= p[i];
    return (any & 0xff80ff80ff80ff80ULL) == 0;
}

} // namespace

QString foldIdentifier(QStringView name)
{
    if (isAscii(name))
        return name.toString();
    return name.toString().normalized(QString::NormalizationForm_KC);
}

FoldedIdentifiers foldIdentifiers(QStringView source, QList<PyToken> &tokens)
{
    FoldedIdentifiers out;
    if (isAscii(source)) // most sources: nothing to fold
        return out;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const PyToken &t = tokens[i];
        if (t.kind != PyToken::Name)
            continue;
        const QStringView written = source.sliced(t.start, t.length);
        if (isAscii(written))
            continue;
        const QString folded = written.toString().normalized(QString::NormalizationForm_KC);
        if (folded == written)
            continue;
        if (out.buffer.isEmpty())
            out.buffer = source.toString();
        out.written.insert(int(i), {t.start, t.length});
        PyToken &changed = tokens[i];
        changed.start = int(out.buffer.size());
        changed.length = int(folded.size());
        out.buffer += folded;
    }
    return out;
}

} // namespace safecell::safety
