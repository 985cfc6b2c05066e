#pragma once

#include "safety/Policy.h"
#include "safety/Verdict.h"

#include <QStringView>

namespace safecell::safety {

// Applies the policy's Python rules to a snippet's tokens: resolves imports,
// aliases and attribute chains, then reports what the code would do.
// Findings are in source order; the label is left to the caller.
QList<Finding> analyzePython(QStringView source, const Policy &policy);

} // namespace safecell::safety
