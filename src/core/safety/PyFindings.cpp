#include "PyAnalysis.h"

#include "safety/FindingSpan.h"

#include <algorithm>

namespace safecell::safety {

void PyAnalysis::report(const QString &ruleId, int first, int last, const QString &detail)
{
    const RuleInfo *rule = m_policy.rule(ruleId);
    if (!rule || !rule->enabled || !valid(first))
        return;
    last = std::clamp(last, first, m_n - 1);
    const PyToken &a = m_tok[first];
    const PyToken &b = m_tok[last];
    // a folded name's span is where it is written, not its folded form
    const auto at = [this](int i) { return m_fold.written.value(i, {m_tok[i].start, m_tok[i].length}); };
    const auto [start, _] = at(first);
    const auto [lastStart, lastLength] = at(last);
    addFinding(m_findings, *rule, m_s, TokenSpan{start, lastStart + lastLength, a.line, a.column, b.line != a.line},
               detail);
}

} // namespace safecell::safety
