#include "PyAnalysis.h"

namespace safecell::safety {

const QSet<QStringView> &pyBuiltinNames()
{
    static const QSet<QStringView> set{u"eval",    u"exec",    u"compile", u"__import__", u"breakpoint",
                                       u"getattr", u"setattr", u"delattr", u"globals",    u"locals",
                                       u"vars",    u"open",    u"exit",    u"quit",       u"__builtins__"};
    return set;
}

// `x = os` / `x = os.path` re-binds an alias; `x = ...` otherwise makes x
// the snippet's own (applied at the statement's end, after its right side).
int PyAnalysis::assignment(int i)
{
    int j = i;
    QList<int> targets;
    while (isName(j) && !isKeyword(j)) {
        targets << j;
        if (isOp(j + 1, u',')) {
            j += 2;
            continue;
        }
        ++j;
        break;
    }
    if (targets.isEmpty())
        return i;
    if (isOp(j, u':') && targets.size() == 1) { // annotated: x: T = v
        int k = j + 1;
        while (!isEnd(k) && !isOp(k, u'='))
            ++k;
        if (!isOp(k, u'='))
            return i;
        j = k;
    }
    if (!isOp(j, u'='))
        return i;
    const int rhs = j + 1;
    // Alias: a bare dotted name and nothing else.
    if (targets.size() == 1 && isName(rhs) && !isKeyword(rhs)) {
        const Resolved r = resolve(rhs);
        if (isEnd(r.end + 1) && !r.qualified.isEmpty()) {
            // x = pd.io.common.os stands for os itself
            const QList<ChainReach> found = r.implicitBuiltin ? QList<ChainReach>{}
                                                              : chain(rhs, rhs + 1, headModule(r, rhs));
            const bool reroot = !found.isEmpty() && !found.constLast().qualified.isEmpty();
            bind(text(targets[0]), Binding{reroot ? found.constLast().qualified : r.qualified, headImport(rhs)});
            markUsed(rhs);
            return r.end + 1;
        }
    }
    for (int t : std::as_const(targets))
        m_pending << t;
    if (targets.size() == 1) {
        const int end = statementEnd(rhs);
        const QStringView target = text(targets[0]);
        m_paths.remove(target);
        m_strings.remove(target);
        if (isWord(rhs, u"Path") || (isWord(rhs, u"pathlib") && isWord(rhs + 2, u"Path")))
            m_paths.insert(target, pathLiteral(rhs, end).value_or(QString()));
        else if (auto lit = literal(rhs, end))
            m_strings.insert(target, *lit);
    }
    return rhs;
}

void PyAnalysis::applyPending()
{
    for (int t : std::as_const(m_pending))
        bind(text(t), Binding{});
    m_pending.clear();
}

void PyAnalysis::bind(QStringView name, const Binding &binding)
{
    m_boundNames.add(name);
    m_bindings.insert(name, binding);
}

int PyAnalysis::headImport(int i) const
{
    if (!m_boundNames.mayContain(text(i)))
        return -1;
    const auto it = m_bindings.constFind(text(i));
    return it == m_bindings.constEnd() ? -1 : it->importIndex;
}

void PyAnalysis::markUsed(int head)
{
    const int index = headImport(head);
    if (index >= 0)
        m_imports[index].used = true;
}

PyAnalysis::Resolved PyAnalysis::resolve(int i)
{
    Resolved r;
    int j = i;
    while (isOp(j + 1, u'.') && isName(j + 2))
        j += 2;
    r.end = j;
    const QStringView head = text(i);
    QString base;
    const auto it = m_boundNames.mayContain(head) ? m_bindings.constFind(head) : m_bindings.constEnd();
    if (it != m_bindings.constEnd()) {
        if (it->qualified.isEmpty())
            return r;
        base = it->qualified;
        r.viaImport = true;
    } else if (!m_specialNames.mayContain(head) && m_stars.empty()) {
        return r;
    } else if (pyBuiltinNames().contains(head)) {
        base = QStringLiteral("builtins.") + head;
        r.implicitBuiltin = true;
    } else if (const auto alias = m_aliases.constFind(head); alias != m_aliases.constEnd()) {
        base = *alias;
    } else {
        for (const auto &[module, index] : m_stars) {
            const QString candidate = module + u'.' + head;
            if (knownName(candidate)) {
                base = candidate;
                r.viaImport = true;
                m_imports[index].used = true;
                break;
            }
        }
        if (base.isEmpty())
            return r;
    }
    for (int k = i + 2; k <= j; k += 2)
        base += u'.' + text(k);
    r.qualified = base;
    return r;
}

bool PyAnalysis::knownName(const QString &qualified) const
{
    for (const NamePattern &p : m_py.uses) {
        if (p.matches(qualified))
            return true;
    }
    for (const NamePattern &p : m_py.allow) {
        if (p.matches(qualified))
            return true;
    }
    return false;
}

} // namespace safecell::safety
