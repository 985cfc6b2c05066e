#pragma once

#include "safety/PyLexer.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringView>

#include <utility>

namespace safecell::safety {

// Python reads every identifier in its NFKC form, so `ｏｓ.system` is
// `os.system` and `ｅｖａｌ` is `eval`. The rules compare names as written,
// so the analyzer reads names through this folding first.
struct FoldedIdentifiers {
    // The source, then the folded spellings of the names that change; empty
    // when no name changes (the usual, all-ASCII case costs nothing more).
    QString buffer;
    // Token index -> (start, length) of the name as written in the source,
    // for the tokens whose start and length now point at their folded form.
    QHash<int, std::pair<int, int>> written;
};

// Points each Name token whose NFKC form differs at that form, appended to a
// copy of the source; every other offset into the source stays valid.
FoldedIdentifiers foldIdentifiers(QStringView source, QList<PyToken> &tokens);

// One identifier as Python reads it.
QString foldIdentifier(QStringView name);

} // namespace safecell::safety
