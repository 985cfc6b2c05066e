#pragma once

#include "safety/Policy.h"
#include "safety/Verdict.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace safecell::safety {

// Where a rule matched: from the first token's start to the last token's end.
struct TokenSpan {
    int start = 0; // offset of the first token in the source
    int end = 0;   // offset just past the last token
    int line = 1;  // the first token's line and column, 1-based
    int column = 1;
    bool multiLine = false;
};

// Appends the rule's finding for the span. A span over several lines is cut
// at the end of its first line, so the editor marks one line, not a block.
// A rule reports once per place: a second match at the same line and column
// is dropped.
void addFinding(QList<Finding> &findings, const RuleInfo &rule, QStringView source, const TokenSpan &span,
                const QString &detail);

} // namespace safecell::safety
