#pragma once

#include "safety/PyAttributeChain.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace safecell::safety {

// A name chain inside the text given to DataFrame.query/eval or pd.eval.
// pandas resolves those names in the caller's scope (with `@` for a local
// variable) and follows attributes and calls, so `df.query("@os.system('id')")`
// runs a shell as surely as `os.system('id')` does.
struct ExpressionReference {
    QString head;            // the first name, as Python reads it
    QList<ChainStep> steps;  // what follows it; token indexes are the expression's own
    bool local = false;      // written as @name
    bool calls = false;      // the chain calls something
    bool dunder = false;     // a __name__ appears in it
};

// Every chain that starts with a name in `expression` (the literal's text);
// keywords and names that follow a '.' are not starts.
QList<ExpressionReference> expressionReferences(QStringView expression, const ChainTargets &targets);

} // namespace safecell::safety
