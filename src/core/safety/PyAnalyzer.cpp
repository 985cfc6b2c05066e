#include "PyAnalyzer.h"

#include "safety/PyAnalysis.h"

#include <algorithm>

namespace safecell::safety {

PyAnalysis::PyAnalysis(QStringView source, const Policy &policy)
    : PyTokenCursor(source)
    , m_policy(policy)
    , m_py(policy.python)
{
    m_reach = ChainTargets(m_py);
    for (auto it = m_py.conventionalAliases.constBegin(); it != m_py.conventionalAliases.constEnd(); ++it) {
        m_aliases.insert(it.key(), it.value());
        m_specialNames.add(it.key());
    }
    for (QStringView b : pyBuiltinNames())
        m_specialNames.add(b);
    for (const QString &s : m_py.dataLoaders)
        m_loaders.insert(s);
    for (const QString &s : m_py.sizeCalls)
        m_sizeCalls.insert(s);
    for (const WriteSpec &w : m_py.writes) {
        if (!w.method.isEmpty())
            m_writeMethods.insert(w.method);
    }
    m_callNames = filterOf(m_writeMethods);
    for (QStringView n : std::as_const(m_loaders))
        m_callNames.add(n);
    for (QStringView n : std::as_const(m_sizeCalls))
        m_callNames.add(n);
}

QList<Finding> PyAnalysis::run()
{
    for (int i = 0; i < m_n; ++i) {
        const PyToken &tok = m_tok[i];
        if (tok.kind == PyToken::Newline || isOp(i, u';')) {
            applyPending();
            continue;
        }
        if (tok.lineStart || (i > 0 && isOp(i - 1, u';'))) {
            const int next = statementStart(i);
            if (next != i) {
                i = next - 1;
                continue;
            }
        }
        switch (tok.kind) {
        case PyToken::Name:
            if (i > 0 && isOp(i - 1, u'.'))
                i = attribute(i);
            else
                i = name(i);
            break;
        case PyToken::String:
            secretLiteral(i);
            break;
        case PyToken::Op:
            if (isOp(i, u'*'))
                literalSize(i);
            break;
        default:
            break;
        }
    }
    applyPending();
    finish();
    std::sort(m_findings.begin(), m_findings.end(), [](const Finding &a, const Finding &b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return std::move(m_findings);
}

// Handles import, from-import, alias assignment and loops at the start of
// a statement; returns the index to continue from (i when nothing was
// consumed).
int PyAnalysis::statementStart(int i)
{
    if (isWord(i, u"import"))
        return importStatement(i);
    if (isWord(i, u"from"))
        return fromStatement(i);
    if (isWord(i, u"while") || isWord(i, u"for"))
        loopStatement(i);
    if (isWord(i, u"def") || isWord(i, u"class")) {
        if (isName(i + 1))
            bind(text(i + 1), Binding{});
        return i + 2 <= m_n ? i + 2 : m_n;
    }
    if (isName(i) && !isKeyword(i))
        return assignment(i);
    return i;
}

int PyAnalysis::name(int i)
{
    if (isKeyword(i)) {
        if (isWord(i, u"as") && isName(i + 1))
            m_pending << i + 1;
        if (isWord(i, u"for")) { // comprehension or loop targets
            for (int k = i + 1; valid(k) && k < i + 64 && !isWord(k, u"in") && !isEnd(k); ++k) {
                if (isName(k))
                    bind(text(k), Binding{});
            }
        }
        if (isWord(i, u"lambda")) {
            for (int k = i + 1; valid(k) && k < i + 64 && !isOp(k, u':') && !isEnd(k); ++k) {
                if (isName(k))
                    bind(text(k), Binding{});
            }
        }
        return i;
    }
    // keyword argument name: f(eval=1)
    if (isOp(i + 1, u'=') && (isOp(i - 1, u'(') || isOp(i - 1, u',')))
        return i;
    if (isDunderEscape(i)) {
        if (!m_bindings.contains(text(i)))
            report(QStringLiteral("PY-DYN"), i, i, text(i).toString());
    }
    const Resolved r = resolve(i);
    for (int k = i + 2; k <= r.end; k += 2) {
        if (isDunderEscape(k))
            report(QStringLiteral("PY-DYN"), k, k, text(k).toString());
    }
    if (r.qualified.isEmpty() || r.implicitBuiltin)
        chain(i, i, {});
    else
        chain(i, i + 1, headModule(r, i));
    if (r.qualified.isEmpty()) {
        callChecks(i, r.end);
        return r.end;
    }
    markUsed(i);
    const int open = isOp(r.end + 1, u'(') ? r.end + 1 : -1;
    use(r.qualified, i, r.end, open, r.viaImport);
    callChecks(i, r.end);
    return r.end;
}

// A method or attribute reached through an expression: df.to_csv(...),
// Path("x").unlink(), obj.__subclasses__(). Handles the whole .a.b.c chain
// once and returns its last token.
int PyAnalysis::attribute(int i)
{
    int last = i;
    while (isOp(last + 1, u'.') && isName(last + 2))
        last += 2;
    for (int k = i; k <= last; k += 2) {
        if (isDunderEscape(k))
            report(QStringLiteral("PY-DYN"), k, k, text(k).toString());
    }
    if (i > m_chainEnd)
        chain(i, i - 1, {});
    callChecks(i, last);
    return last;
}

void PyAnalysis::finish()
{
    reportSpawnsInLoops();
    reportUnusedImports();
}

QList<Finding> analyzePython(QStringView source, const Policy &policy)
{
    return PyAnalysis(source, policy).run();
}

} // namespace safecell::safety
