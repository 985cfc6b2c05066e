#include "PyQueryExpression.h"

#include "safety/PyIdentifierFold.h"
#include "safety/PyLexer.h"

#include <vector>

namespace safecell::safety {

namespace {

std::vector<int> matchBrackets(QStringView source, const QList<PyToken> &tokens)
{
    std::vector<int> match(tokens.size(), -1);
    std::vector<int> open;
    for (int i = 0; i < int(tokens.size()); ++i) {
        if (tokens[i].kind != PyToken::Op || tokens[i].length != 1)
            continue;
        const QChar c = source[tokens[i].start];
        if (c == u'(' || c == u'[' || c == u'{') {
            open.push_back(i);
        } else if ((c == u')' || c == u']' || c == u'}') && !open.empty()) {
            match[open.back()] = i;
            match[i] = open.back();
            open.pop_back();
        }
    }
    return match;
}

bool isDunder(QStringView name)
{
    return name.size() > 4 && name.startsWith(u"__") && name.endsWith(u"__");
}

} // namespace

QList<ExpressionReference> expressionReferences(QStringView expression, const ChainTargets &targets)
{
    QList<ExpressionReference> out;
    QList<PyToken> tokens = lexPython(expression);
    const FoldedIdentifiers folded = foldIdentifiers(expression, tokens);
    const QStringView source = folded.buffer.isEmpty() ? expression : QStringView(folded.buffer);
    const std::vector<int> match = matchBrackets(source, tokens);
    const int count = int(tokens.size());
    auto isOp = [&](int i, char16_t op) {
        return i >= 0 && i < count && tokens[i].kind == PyToken::Op && tokens[i].length == 1
               && source[tokens[i].start] == op;
    };
    for (int i = 0; i < count; ++i) {
        if (tokens[i].kind != PyToken::Name || isOp(i - 1, u'.'))
            continue;
        ExpressionReference ref;
        ref.head = source.sliced(tokens[i].start, tokens[i].length).toString();
        ref.local = isOp(i - 1, u'@');
        ChainScan scan = scanChain(source, tokens.constData(), count, match, i + 1, targets, true);
        ref.dunder = isDunder(ref.head);
        for (const ChainStep &step : std::as_const(scan.steps)) {
            ref.calls = ref.calls || step.kind == ChainStep::Call;
            ref.dunder = ref.dunder || (step.kind == ChainStep::Attribute && isDunder(step.name));
        }
        ref.steps = std::move(scan.steps);
        out << ref; // names inside its brackets start chains of their own
    }
    return out;
}

QList<ExpressionUse> expressionUses(QStringView expression, const ChainTargets &targets,
                                    const std::function<QString(QStringView)> &moduleOf)
{
    QList<ExpressionUse> out;
    for (const ExpressionReference &ref : expressionReferences(expression, targets)) {
        ExpressionUse use;
        use.reference = ref.local ? u'@' + ref.head : ref.head;
        use.queryCall = ref.local && (ref.calls || ref.dunder);
        const QString start = moduleOf(ref.head);
        QList<ChainStep> steps = ref.steps;
        if (start.isEmpty())
            steps.prepend(ChainStep{ChainStep::Attribute, ref.head, -1});
        use.reaches = reachThroughChain(start, steps, targets);
        if (use.reaches.isEmpty() && !start.isEmpty()) {
            use.member = start;
            for (const ChainStep &step : std::as_const(ref.steps)) {
                if (step.kind != ChainStep::Attribute)
                    break;
                use.member += u'.' + step.name;
            }
        }
        if (use.queryCall || !use.reaches.isEmpty() || !use.member.isEmpty())
            out << use;
    }
    return out;
}

} // namespace safecell::safety
