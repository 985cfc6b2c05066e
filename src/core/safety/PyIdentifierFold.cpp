#include "PyIdentifierFold.h"

namespace safecell::safety {

namespace {

bool isAscii(QStringView text)
{
    for (QChar c : text) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
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
