#pragma once

#include "safety/Policy.h"
#include "safety/Verdict.h"

#include <QStringView>

namespace safecell::safety {

// Applies the policy's SQL rules to every statement of a script.
QList<Finding> analyzeSql(QStringView source, const Policy &policy);

} // namespace safecell::safety
