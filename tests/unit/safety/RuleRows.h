#pragma once
// The rule tables' shared check: each row names a label and a rule that must
// be among the findings (no rule: no findings at all).
#include "safety/Verdict.h"

#include <QString>
#include <QStringList>

namespace safecell::testing {

// "PY-PROC@3:1 PY-NET@4:5": the findings, for failure messages.
inline QString describeFindings(const Verdict &v)
{
    QStringList out;
    for (const Finding &f : v.findings)
        out << QStringLiteral("%1@%2:%3").arg(f.rule).arg(f.line).arg(f.column);
    return out.join(u' ');
}

// Empty when the verdict matches the row, else what went wrong.
inline QString ruleRowMismatch(const Verdict &v, SafetyLabel label, const QString &rule)
{
    if (v.label != label)
        return QStringLiteral("got %1: %2").arg(safetyLabelName(v.label), describeFindings(v));
    if (rule.isEmpty())
        return v.findings.isEmpty() ? QString() : QStringLiteral("expected no findings, got ") + describeFindings(v);
    for (const Finding &f : v.findings) {
        if (f.rule == rule)
            return {};
    }
    return QStringLiteral("expected %1, got %2").arg(rule, describeFindings(v));
}

} // namespace safecell::testing
