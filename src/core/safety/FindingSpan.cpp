#include "safety/FindingSpan.h"

#include <algorithm>

namespace safecell::safety {

void addFinding(QList<Finding> &findings, const RuleInfo &rule, QStringView source, const TokenSpan &span,
                const QString &detail)
{
    for (const Finding &f : std::as_const(findings)) {
        if (f.rule == rule.id && f.line == span.line && f.column == span.column)
            return;
    }
    qsizetype end = span.end;
    if (span.multiLine) {
        const qsizetype nl = source.indexOf(u'\n', span.start);
        end = nl < 0 ? source.size() : nl;
    }
    Finding f;
    f.rule = rule.id;
    f.label = rule.label;
    f.confidence = rule.confidence;
    f.line = span.line;
    f.column = span.column;
    f.length = int(std::max<qsizetype>(end - span.start, 0));
    f.text = source.sliced(span.start, f.length).toString();
    f.reason = detail.isEmpty() ? rule.reason : QString(rule.reason + QStringLiteral(" (") + detail + u')');
    findings << f;
}

} // namespace safecell::safety
