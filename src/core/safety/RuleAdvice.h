#pragma once

#include <QString>

namespace safecell::safety {

// What to do instead of what a rule found, in the analyst's words ("pass
// values as variables instead"), from policy/advice.json (an installed copy
// wins, as for the policy). Empty for a rule it does not know.
QString ruleAdvice(const QString &ruleId);

} // namespace safecell::safety
