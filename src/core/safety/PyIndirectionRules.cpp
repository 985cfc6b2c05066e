#include "PyAnalysis.h"

#include "safety/PyQueryExpression.h"
#include "safety/PyStringLiteral.h"

namespace safecell::safety {

// The chain that goes on at token `from` after the name at `head`;
// `start` is the module the head names (empty: the head is a step).
// Returns what the chain reaches, for an alias to stand for it.
QList<ChainReach> PyAnalysis::chain(int head, int from, QStringView start)
{
    const int next = from == head ? head + 1 : from;
    if (!isOp(next, u'.') && !isOp(next, u'(') && !isOp(next, u'[') && !start.contains(u'.')
        && !mayOpenChain(text(head), m_reach))
        return {}; // a bare name goes nowhere
    bool startOpens = from == head && mayOpenChain(text(head), m_reach);
    for (qsizetype dot = start.indexOf(u'.'); dot >= 0 && !startOpens;) {
        const qsizetype next = start.indexOf(u'.', dot + 1);
        const qsizetype end = next < 0 ? start.size() : next;
        startOpens = mayOpenChain(QStringView(start).sliced(dot + 1, end - dot - 1), m_reach);
        dot = next;
    }
    ChainScan scan = scanChain(m_s, m_tok, m_n, m_match, from == head ? head + 1 : from, m_reach, startOpens);
    m_chainEnd = std::max(m_chainEnd, scan.last);
    if (!scan.worthWalking)
        return {};
    if (from == head)
        scan.steps.prepend(ChainStep{ChainStep::Attribute, text(head).toString(), head});
    const QList<ChainReach> found = reachThroughChain(start.toString(), scan.steps, m_reach);
    for (const ChainReach &reach : found) {
        const ChainStep *step = reach.lastStep >= 0 ? &scan.steps[reach.lastStep] : nullptr;
        const int last = !step ? head : step->kind == ChainStep::Attribute ? step->token : m_match[step->token];
        reached(reach, head, last, reach.called ? scan.steps[reach.lastStep + 1].token : -1);
    }
    return found;
}

// The module the chain's first name stands for: the resolved name less
// the attributes written after it.
QStringView PyAnalysis::headModule(const Resolved &r, int head) const
{
    qsizetype length = r.qualified.size();
    for (int k = head + 2; k <= r.end; k += 2)
        length -= text(k).size() + 1;
    return QStringView(r.qualified).left(std::max<qsizetype>(length, 0));
}

void PyAnalysis::reached(const ChainReach &reach, int first, int last, int open)
{
    report(QStringLiteral("PY-REACH"), first, last, reach.via);
    if (!reach.qualified.isEmpty())
        use(reach.qualified, first, last, open, true);
}

// The names of a pandas expression are the caller's variables.
void PyAnalysis::expression(int head, int open)
{
    const auto arg = argument(callArgs(open), 0, {QStringLiteral("expr")});
    if (!arg || arg->end != arg->begin + 1 || m_tok[arg->begin].kind != PyToken::String)
        return;
    const QStringView body = pyStringBody(m_s, m_tok[arg->begin]);
    if (!body.contains(u'@') && !body.contains(u'.') && !body.contains(u'(') && !body.contains(u'['))
        return; // bare names and operators reach nothing
    const int close = m_match[open];
    const auto moduleOf = [this](QStringView name) {
        const auto bound = m_bindings.constFind(name);
        if (bound != m_bindings.constEnd())
            return bound->qualified;
        const auto alias = m_aliases.constFind(name);
        return alias != m_aliases.constEnd() ? *alias : QString();
    };
    for (const ExpressionUse &found : expressionUses(body, m_reach, moduleOf)) {
        if (found.queryCall)
            report(QStringLiteral("PY-QUERY"), head, close, found.reference);
        for (const ChainReach &reach : found.reaches)
            reached(reach, head, close, -1);
        if (!found.member.isEmpty())
            use(found.member, head, close, -1, true);
    }
}

// operator.attrgetter("os.system"), operator.methodcaller("system", ...),
// functools.reduce(getattr, ["os", "system"], x): attributes named as text.
void PyAnalysis::namedAttributes(const QString &qualified, int first, int last, const QList<Arg> &args)
{
    const bool reduce = qualified == u"functools.reduce";
    if (!reduce && qualified != u"operator.attrgetter" && qualified != u"operator.methodcaller")
        return;
    if (reduce) {
        if (args.size() < 2 || !isName(args[0].begin))
            return;
        const Resolved f = resolve(args[0].begin);
        if (f.end + 1 != args[0].end || f.qualified != u"builtins.getattr")
            return;
        QStringList names;
        const Arg &list = args[1];
        if ((isOp(list.begin, u'[') || isOp(list.begin, u'(')) && m_match[list.begin] == list.end - 1) {
            for (const Arg &item : callArgs(list.begin)) {
                if (const auto name = literal(item.begin, item.end))
                    names << *name;
                else
                    names.clear();
            }
        }
        if (names.isEmpty()) {
            report(QStringLiteral("PY-MEMBER"), first, last, QStringLiteral("attribute path computed at run time"));
            return;
        }
        QString start;
        if (args.size() >= 3 && isName(args[2].begin)) {
            const Resolved s = resolve(args[2].begin);
            if (s.end + 1 == args[2].end && !s.implicitBuiltin)
                start = s.qualified;
        }
        byName(names, start, false, first, last);
        return;
    }
    const qsizetype count = qualified == u"operator.methodcaller" ? std::min<qsizetype>(args.size(), 1) : args.size();
    for (qsizetype k = 0; k < count; ++k) {
        const auto name = literal(args[k].begin, args[k].end);
        if (!name) {
            report(QStringLiteral("PY-MEMBER"), first, last, QStringLiteral("attribute name computed at run time"));
            return;
        }
        byName(name->split(u'.'), {}, false, first, last);
    }
}

// `object`: the start is an ordinary value, so only ways out of it count
// (getattr(args, "os") is the snippet's own attribute).
void PyAnalysis::byName(const QStringList &names, const QString &start, bool object, int first, int last)
{
    const QList<ChainReach> found = object ? reachThroughChain({}, stepsOf(names), m_reach)
                                           : reachThroughNames(names, m_reach, start);
    for (const ChainReach &reach : std::as_const(found))
        reached(reach, first, last, -1);
    if (!found.isEmpty())
        return;
    if (!start.isEmpty()) // getattr(asyncio, "create_subprocess_shell") is that member
        use(start + u'.' + names.join(u'.'), first, last, -1, true);
    else if (!object && names.size() == 1 && startsProgramOrCode(names[0], m_py))
        report(QStringLiteral("PY-REACH"), first, last, names[0] + QStringLiteral(" named as text"));
}

void PyAnalysis::dynamicAttribute(int first, int last, const QList<Arg> &args)
{
    if (args.size() < 2)
        return;
    const Arg &target = args[0];
    if (isName(target.begin)) {
        const Resolved r = resolve(target.begin);
        if (r.end + 1 == target.end) {
            markUsed(target.begin);
            const QString root = r.qualified.section(u'.', 0, 0);
            if (text(target.begin) == u"__builtins__" || root == QLatin1String("builtins")
                || m_py.dangerousModules.contains(root) || importRule(r.qualified)) {
                if (!(r.implicitBuiltin && text(target.begin) != u"__builtins__")) {
                    report(QStringLiteral("PY-DYN"), first, last, QStringLiteral("attribute of ") + r.qualified);
                    return;
                }
            }
        }
    }
    const Arg &nameArg = args[1];
    if (const auto name = literal(nameArg.begin, nameArg.end)) {
        const Resolved r = isName(target.begin) ? resolve(target.begin) : Resolved{};
        const bool module = r.end + 1 == target.end && !r.implicitBuiltin && !r.qualified.isEmpty();
        byName({*name}, module ? r.qualified : QString(), !module, first, last);
        return;
    }
    for (int k = nameArg.begin; k < nameArg.end; ++k) {
        if (m_tok[k].kind == PyToken::String || m_tok[k].kind == PyToken::FStringStart) {
            report(QStringLiteral("PY-DYN"), first, last, QStringLiteral("attribute name built from strings"));
            return;
        }
    }
    report(QStringLiteral("PY-MEMBER"), first, last, QStringLiteral("attribute name computed at run time"));
}

} // namespace safecell::safety
