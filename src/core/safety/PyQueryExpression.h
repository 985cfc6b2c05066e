#pragma once

#include "safety/PyAttributeChain.h"

#include <QList>
#include <QString>
#include <QStringView>

#include <functional>

namespace safecell::safety {

// A name chain inside the text given to DataFrame.query/eval or pd.eval.
// pandas resolves those names in the caller's scope (with `@` for a local
// variable) and follows attributes and calls, so `df.query("@os.system('id')")`
// runs a shell as surely as `os.system('id')` does.
struct ExpressionReference {
    QString head;           // the first name, as Python reads it
    QList<ChainStep> steps; // what follows it; token indexes are the expression's own
    bool local = false;     // written as @name
    bool calls = false;     // the chain calls something
    bool dunder = false;    // a __name__ appears in it
};

// Every chain that starts with a name in `expression` (the literal's text);
// keywords and names that follow a '.' are not starts.
QList<ExpressionReference> expressionReferences(QStringView expression, const ChainTargets &targets);

// What one reference of an expression does, judged in the caller's scope.
struct ExpressionUse {
    QString reference;         // as written, for the finding ("@f")
    bool queryCall = false;    // an @ variable called or reached through a dunder: PY-QUERY
    QList<ChainReach> reaches; // what its chain reaches (PyAttributeChain)
    QString member;            // else the module member it names ("os.system"), for the policy's rules
};

// The references of `expression` whose first name `moduleOf` knows as a
// module (empty: not a module), or that call or reach anything.
QList<ExpressionUse> expressionUses(QStringView expression, const ChainTargets &targets,
                                    const std::function<QString(QStringView)> &moduleOf);

} // namespace safecell::safety
