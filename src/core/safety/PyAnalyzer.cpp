#include "PyAnalyzer.h"

#include "safety/FindingSpan.h"
#include "safety/NameFilter.h"
#include "safety/PyAttributeChain.h"
#include "safety/PyConstantFold.h"
#include "safety/PyIdentifierFold.h"
#include "safety/PyLexer.h"
#include "safety/PyQueryExpression.h"
#include "safety/PyStringLiteral.h"

#include <QHash>

#include <optional>
#include <vector>

namespace safecell::safety {

namespace {

const QSet<QStringView> &keywords()
{
    static const QSet<QStringView> set{
        u"False", u"None", u"True", u"and", u"as", u"assert", u"async", u"await", u"break", u"class",
        u"continue", u"def", u"del", u"elif", u"else", u"except", u"finally", u"for", u"from", u"global",
        u"if", u"import", u"in", u"is", u"lambda", u"nonlocal", u"not", u"or", u"pass", u"raise",
        u"return", u"try", u"while", u"with", u"yield"};
    return set;
}

// Builtins the policy can name; any other bare name is the snippet's own.
const QSet<QStringView> &builtinNames()
{
    static const QSet<QStringView> set{
        u"eval", u"exec", u"compile", u"__import__", u"breakpoint", u"getattr", u"setattr", u"delattr",
        u"globals", u"locals", u"vars", u"open", u"exit", u"quit", u"__builtins__"};
    return set;
}

struct Binding {
    QString qualified; // empty: the snippet's own name (shadows modules and builtins)
    int importIndex = -1;
};

struct ModuleImport {
    QString module;
    int tokenBegin = 0;
    int tokenEnd = 0;
    bool used = false;
    bool reported = false;
};

struct Resolved {
    QString qualified; // empty when the chain is not a module or builtin
    bool viaImport = false;
    bool implicitBuiltin = false;
    int end = 0;       // last token of the chain
};

struct Arg {
    int begin = 0;
    int end = 0; // exclusive
    QStringView keyword;
};

enum class PathKind { None, Relative, Outside, Url, NotLiteral };

struct LoopBody {
    int begin = 0;
    int end = 0; // exclusive
    bool unbounded = false;
};

class Analyzer {
public:
    Analyzer(QStringView source, const Policy &policy)
        : m_s(source), m_policy(policy), m_py(policy.python), m_t(lexPython(source)), m_n(int(m_t.size()))
    {
        m_fold = foldIdentifiers(source, m_t);
        if (!m_fold.buffer.isEmpty())
            m_s = m_fold.buffer;
        m_tok = m_t.constData();
        matchBrackets();
        m_reach = ChainTargets(m_py);
        for (auto it = m_py.conventionalAliases.constBegin(); it != m_py.conventionalAliases.constEnd(); ++it) {
            m_aliases.insert(it.key(), it.value());
            m_specialNames.add(it.key());
        }
        for (QStringView b : builtinNames())
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

    QList<Finding> run()
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

private:
    // ---- tokens -------------------------------------------------------
    QStringView text(int i) const { return m_s.sliced(m_tok[i].start, m_tok[i].length); }
    bool valid(int i) const { return i >= 0 && i < m_n; }
    bool same(int i, QStringView s) const
    {
        const PyToken &t = m_tok[i];
        if (t.length != s.size())
            return false;
        const QChar *p = m_s.data() + t.start;
        for (int k = 0; k < t.length; ++k) {
            if (p[k] != s[k])
                return false;
        }
        return true;
    }
    bool isOp(int i, QStringView op) const { return valid(i) && m_tok[i].kind == PyToken::Op && same(i, op); }
    bool isOp(int i, char16_t op) const
    {
        return valid(i) && m_tok[i].kind == PyToken::Op && m_tok[i].length == 1 && m_s[m_tok[i].start] == op;
    }
    bool isName(int i) const { return valid(i) && m_tok[i].kind == PyToken::Name; }
    // __builtins__, __subclasses__, __globals__, __code__: ways out of the language.
    bool isDunderEscape(int i) const
    {
        const PyToken &t = m_tok[i];
        if (t.length < 8 || m_s[t.start] != u'_' || m_s[t.start + 1] != u'_')
            return false;
        return same(i, u"__builtins__") || same(i, u"__subclasses__") || same(i, u"__globals__")
            || same(i, u"__code__");
    }
    bool isWord(int i, QStringView w) const { return isName(i) && same(i, w); }
    bool isKeyword(int i) const
    {
        static const NameFilter filter = filterOf(keywords());
        return isName(i) && filter.mayContain(text(i)) && keywords().contains(text(i));
    }
    bool isEnd(int i) const { return !valid(i) || m_tok[i].kind == PyToken::Newline || isOp(i, u';'); }

    void matchBrackets()
    {
        m_match.assign(m_n, -1);
        std::vector<int> stack;
        for (int i = 0; i < m_n; ++i) {
            if (m_tok[i].kind != PyToken::Op || m_tok[i].length != 1)
                continue;
            const QChar c = m_s[m_tok[i].start];
            if (c == u'(' || c == u'[' || c == u'{') {
                stack.push_back(i);
            } else if ((c == u')' || c == u']' || c == u'}') && !stack.empty()) {
                m_match[stack.back()] = i;
                m_match[i] = stack.back();
                stack.pop_back();
            }
        }
    }

    // The logical line's end or its next ';' (a ';' inside brackets is a
    // syntax error; ending there keeps every scan linear).
    int statementEnd(int i) const
    {
        for (; i < m_n; ++i) {
            if (m_tok[i].kind == PyToken::Newline || isOp(i, u';'))
                return i;
        }
        return m_n;
    }

    QList<Arg> callArgs(int open) const
    {
        QList<Arg> args;
        const int close = valid(open) ? m_match[open] : -1;
        if (close < 0)
            return args;
        int begin = open + 1;
        for (int i = open + 1; i <= close; ++i) {
            if (i < close) {
                if (m_tok[i].kind != PyToken::Op)
                    continue;
                const QStringView op = text(i);
                if (op == u"(" || op == u"[" || op == u"{") {
                    if (m_match[i] > i && m_match[i] < close)
                        i = m_match[i];
                    continue;
                }
                if (op != u",")
                    continue;
            }
            if (i > begin) {
                Arg arg{begin, i, {}};
                if (i - begin >= 2 && isName(begin) && isOp(begin + 1, u'=')) {
                    arg.keyword = text(begin);
                    arg.begin = begin + 2;
                }
                args << arg;
            }
            begin = i + 1;
        }
        return args;
    }

    std::optional<Arg> argument(const QList<Arg> &args, int position, const QStringList &keywords) const
    {
        int positional = 0;
        for (const Arg &arg : args) {
            if (!arg.keyword.isNull()) {
                for (const QString &k : keywords) {
                    if (arg.keyword == k)
                        return arg;
                }
                continue;
            }
            if (isOp(arg.begin, u'*') || isOp(arg.begin, u"**"))
                continue;
            if (positional++ == position)
                return arg;
        }
        return std::nullopt;
    }

    // The text of an argument that is only string literals (adjacent ones
    // concatenate); nullopt for anything computed.
    std::optional<QString> literal(int begin, int end) const
    {
        if (begin >= end)
            return std::nullopt;
        QString out;
        for (int i = begin; i < end; ++i) {
            if (m_tok[i].kind != PyToken::String)
                return std::nullopt;
            out += pyStringBody(m_s, m_tok[i]);
        }
        return out;
    }

    // A path argument: a literal, Path("lit"), or a name bound to Path("lit").
    std::optional<QString> pathLiteral(int begin, int end) const
    {
        if (auto lit = literal(begin, end))
            return lit;
        if (end - begin == 1 && isName(begin)) {
            const auto path = m_paths.constFind(text(begin));
            if (path != m_paths.constEnd() && !path->isNull())
                return *path;
            const auto str = m_strings.constFind(text(begin));
            if (str != m_strings.constEnd())
                return *str;
            return std::nullopt;
        }
        // Path("x") / pathlib.Path("x")
        if (isOp(end - 1, u')')) {
            const int open = m_match[end - 1];
            if (open > begin && isWord(open - 1, u"Path")) {
                const QList<Arg> args = callArgs(open);
                if (args.size() == 1)
                    return literal(args[0].begin, args[0].end);
            }
        }
        return std::nullopt;
    }

    PathKind classifyPath(const std::optional<QString> &path) const
    {
        if (!path)
            return PathKind::NotLiteral;
        const QString &p = *path;
        for (const QString &prefix : m_py.urlPrefixes) {
            if (p.startsWith(prefix, Qt::CaseInsensitive))
                return PathKind::Url;
        }
        if (p.startsWith(u'/') || p.startsWith(u'\\') || p.startsWith(u'~')
            || (p.size() >= 2 && p[1] == u':' && p[0].isLetter()))
            return PathKind::Outside;
        static const QRegularExpression separators(QStringLiteral("[/\\\\]"));
        for (const QString &part : p.split(separators)) {
            if (part == QLatin1String(".."))
                return PathKind::Outside;
        }
        return PathKind::Relative;
    }

    // Integer/float expressions of literals (PyConstantFold).
    std::optional<double> fold(int begin, int end) const { return foldConstant(m_s, m_tok, m_match, begin, end); }

    // ---- findings ------------------------------------------------------
    void report(const QString &ruleId, int first, int last, const QString &detail = {})
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

    // ---- statements ----------------------------------------------------
    // Handles import, from-import, alias assignment and loops at the start of
    // a statement; returns the index to continue from (i when nothing was
    // consumed).
    int statementStart(int i)
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

    // dotted name from i; returns the index after it.
    int dotted(int i, QString *out) const
    {
        out->clear();
        while (isName(i)) {
            *out += text(i);
            if (isOp(i + 1, u'.') && isName(i + 2)) {
                *out += u'.';
                i += 2;
                continue;
            }
            return i + 1;
        }
        return i;
    }

    std::optional<QString> importRule(const QString &module) const
    {
        for (auto it = m_py.importRules.constBegin(); it != m_py.importRules.constEnd(); ++it) {
            const QString &key = it.key();
            if (module == key || (module.startsWith(key) && module.size() > key.size() && module[key.size()] == u'.'))
                return it.value();
        }
        return std::nullopt;
    }

    int importStatement(int i)
    {
        const int end = statementEnd(i);
        int j = i + 1;
        while (j < end) {
            QString module;
            const int first = j;
            j = dotted(j, &module);
            if (module.isEmpty()) {
                ++j;
                continue;
            }
            const int last = j - 1;
            QString local = module.section(u'.', 0, 0);
            QString bound = local;
            if (isWord(j, u"as") && isName(j + 1)) {
                local = text(j + 1).toString();
                bound = module;
                j += 2;
            }
            ModuleImport record{module, first, last, false, false};
            if (const auto rule = importRule(module)) {
                report(*rule, first, last, QStringLiteral("import ") + module);
                record.reported = true;
            }
            m_imports.push_back(record);
            bind(m_names.intern(local), Binding{bound, int(m_imports.size()) - 1});
            if (isOp(j, u','))
                ++j;
        }
        return end;
    }

    int fromStatement(int i)
    {
        const int end = statementEnd(i);
        int j = i + 1;
        if (isOp(j, u'.') || isOp(j, u"...")) // relative import: the snippet's own package
            return end;
        QString module;
        const int first = j;
        j = dotted(j, &module);
        const int moduleLast = j - 1;
        if (!isWord(j, u"import"))
            return end;
        ++j;
        std::optional<QString> moduleRule = importRule(module);
        if (moduleRule)
            report(*moduleRule, first, moduleLast, QStringLiteral("import ") + module);
        while (j < end) {
            if (isOp(j, u'(') || isOp(j, u')') || isOp(j, u',')) {
                ++j;
                continue;
            }
            if (isOp(j, u'*')) {
                ModuleImport record{module, first, moduleLast, false, moduleRule.has_value()};
                m_imports.push_back(record);
                m_stars.push_back({module, int(m_imports.size()) - 1});
                ++j;
                continue;
            }
            if (!isName(j)) {
                ++j;
                continue;
            }
            const int nameTok = j;
            const QString qualified = module + u'.' + text(j);
            QStringView local = text(j);
            ++j;
            if (isWord(j, u"as") && isName(j + 1)) {
                local = text(j + 1);
                j += 2;
            }
            if (m_reach.isModule(text(nameTok)) && module.section(u'.', 0, 0) != text(nameTok)) {
                report(QStringLiteral("PY-REACH"), first, nameTok, text(nameTok) + QStringLiteral(" imported from ") + module);
                bind(local, Binding{text(nameTok).toString(), -1});
                continue;
            }
            bind(local, Binding{qualified, -1});
            if (moduleRule)
                continue;
            if (const auto rule = importRule(qualified)) {
                report(*rule, first, nameTok, QStringLiteral("import ") + qualified);
                continue;
            }
            use(qualified, nameTok, nameTok, -1, true);
        }
        return end;
    }

    // `x = os` / `x = os.path` re-binds an alias; `x = ...` otherwise makes x
    // the snippet's own (applied at the statement's end, after its right side).
    int assignment(int i)
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
                const QList<ChainReach> found = r.implicitBuiltin
                    ? QList<ChainReach>{}
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

    void applyPending()
    {
        for (int t : std::as_const(m_pending))
            bind(text(t), Binding{});
        m_pending.clear();
    }

    // ---- names ----------------------------------------------------------
    void bind(QStringView name, const Binding &binding)
    {
        m_boundNames.add(name);
        m_bindings.insert(name, binding);
    }

    int headImport(int i) const
    {
        if (!m_boundNames.mayContain(text(i)))
            return -1;
        const auto it = m_bindings.constFind(text(i));
        return it == m_bindings.constEnd() ? -1 : it->importIndex;
    }

    void markUsed(int head)
    {
        const int index = headImport(head);
        if (index >= 0)
            m_imports[index].used = true;
    }

    Resolved resolve(int i)
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
        } else if (builtinNames().contains(head)) {
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

    bool knownName(const QString &qualified) const
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

    // Code handed over as text: a string, an f-string, a sum with one, or a
    // name bound to a string; not a lambda or a function.
    bool givesText(const QList<Arg> &args, const QStringList &parameters) const
    {
        for (qsizetype k = 0; k < parameters.size(); ++k) {
            const auto arg = argument(args, int(k), {parameters[k]});
            if (!arg || isWord(arg->begin, u"lambda"))
                continue;
            if (arg->end == arg->begin + 1 && isName(arg->begin) && m_strings.contains(text(arg->begin)))
                return true;
            for (int t = arg->begin; t < arg->end; ++t) {
                if (m_tok[t].kind == PyToken::String || m_tok[t].kind == PyToken::FStringStart)
                    return true;
                if (m_match[t] > t)
                    t = m_match[t];
            }
        }
        return false;
    }

    bool kwargIs(const QList<Arg> &args, const QString &spec) const
    {
        const QString key = spec.section(u'=', 0, 0);
        const QString value = spec.section(u'=', 1);
        for (const Arg &arg : args) {
            if (arg.keyword == key && arg.end - arg.begin == 1 && text(arg.begin) == value)
                return true;
        }
        return false;
    }

    int name(int i)
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
    int attribute(int i)
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

    // Checks that depend only on the called name's last part: method writes,
    // data loaders given a URL, sizes, globals()[...].
    void callChecks(int head, int last)
    {
        if (!isOp(last + 1, u'('))
            return;
        const int open = last + 1;
        const QStringView method = text(last);
        const bool isMethod = last > head || isOp(last - 1, u'.');
        const bool interesting = m_callNames.mayContain(method);
        const bool writes = interesting && isMethod && m_writeMethods.contains(method);
        const bool loads = interesting && m_loaders.contains(method);
        const bool sizes = interesting && m_sizeCalls.contains(method);
        if (writes || loads || sizes) {
            const QList<Arg> args = callArgs(open);
            argumentChecks(head, last, open, method, args, writes, loads, sizes);
        }
        if (isMethod && (method == u"query" || method == u"eval"))
            expression(head, open);
        if (last == head && (method == u"globals" || method == u"locals" || method == u"vars")
            && !m_bindings.contains(method)) {
            const int close = m_match[open];
            if (close > 0 && (isOp(close + 1, u'[') || (isOp(close + 1, u'.') && isWord(close + 2, u"get"))))
                report(QStringLiteral("PY-DYN"), head, close + 1, method.toString() + QStringLiteral("() read by name"));
        }
    }

    void argumentChecks(int head, int last, int open, QStringView method, const QList<Arg> &args, bool writes,
                        bool loads, bool sizes)
    {
        if (writes) {
            for (const WriteSpec &spec : m_py.writes) {
                if (!spec.method.isEmpty() && method == spec.method)
                    write(spec, head, last, open, args);
            }
        }
        if (loads) {
            for (const Arg &arg : args) {
                if (const auto lit = literal(arg.begin, arg.end); lit && classifyPath(lit) == PathKind::Url) {
                    report(QStringLiteral("PY-URL"), head, m_match[open], *lit);
                    break;
                }
            }
        }
        if (sizes)
            sizeCall(head, open, method, args);
    }

    void sizeCall(int head, int open, QStringView method, const QList<Arg> &args)
    {
        double size = 0;
        if (method == u"range") {
            std::vector<double> values;
            for (const Arg &a : args) {
                if (auto v = fold(a.begin, a.end))
                    values.push_back(*v);
            }
            if (values.size() == 1)
                size = values[0];
            else if (values.size() >= 2)
                size = values[1] - values[0];
        } else if (!args.isEmpty()) {
            const bool allDims = method == u"rand" || method == u"randn";
            size = 1;
            bool any = false;
            for (const Arg &a : args) {
                if (!a.keyword.isNull() && a.keyword != u"shape" && a.keyword != u"size")
                    continue;
                if (isOp(a.begin, u'(') && m_match[a.begin] == a.end - 1) {
                    for (const Arg &dim : callArgs(a.begin)) {
                        if (auto v = fold(dim.begin, dim.end)) {
                            size *= *v;
                            any = true;
                        }
                    }
                } else if (auto v = fold(a.begin, a.end)) {
                    size *= *v;
                    any = true;
                }
                if (!allDims && a.keyword.isNull())
                    break;
            }
            if (!any)
                size = 0;
        }
        if (size >= m_py.maxSize)
            report(QStringLiteral("PY-ABUSE"), head, m_match[open],
                   QStringLiteral("%1 elements").arg(size, 0, 'g', 3));
    }

    // "x" * 10**12, [0] * 10**9
    void literalSize(int star)
    {
        auto operandEnd = [this](int from) {
            int k = from;
            while (valid(k) && (m_tok[k].kind == PyToken::Number || isOp(k, u"**") || isOp(k, u'*')
                                || isOp(k, u'(') || (isOp(k, u')') && m_match[k] >= from)))
                ++k;
            return k;
        };
        auto operandBegin = [this](int from) {
            int k = from;
            while (valid(k) && (m_tok[k].kind == PyToken::Number || isOp(k, u"**") || isOp(k, u'*')
                                || isOp(k, u')') || (isOp(k, u'(') && m_match[k] <= from && m_match[k] >= 0)))
                --k;
            return k + 1;
        };
        const bool leftSeq = valid(star - 1) && (m_tok[star - 1].kind == PyToken::String || isOp(star - 1, u']'));
        const bool rightSeq = valid(star + 1) && (m_tok[star + 1].kind == PyToken::String || isOp(star + 1, u'['));
        std::optional<double> count;
        int first = star, last = star;
        if (leftSeq) {
            last = operandEnd(star + 1);
            count = fold(star + 1, last);
            first = isOp(star - 1, u']') && m_match[star - 1] >= 0 ? m_match[star - 1] : star - 1;
            --last;
        } else if (rightSeq) {
            first = operandBegin(star - 1);
            count = fold(first, star);
            last = isOp(star + 1, u'[') && m_match[star + 1] >= 0 ? m_match[star + 1] : star + 1;
        }
        if (count && *count >= m_py.maxSize)
            report(QStringLiteral("PY-ABUSE"), first, last, QStringLiteral("%1 elements").arg(*count, 0, 'g', 3));
    }

    void secretLiteral(int i)
    {
        const QStringView body = pyStringBody(m_s, m_tok[i]);
        if (body.isEmpty())
            return;
        if (body[0] != u'/' && body[0] != u'~') {
            // only names like .env or login.keychain are secrets elsewhere
            bool candidate = false;
            for (qsizetype k = 0; k + 3 < body.size() && !candidate; ++k) {
                if (body[k] == u'.' && (body[k + 1] == u'e' || body[k + 1] == u'k'))
                    candidate = body.sliced(k).startsWith(u".env") || body.sliced(k).startsWith(u".keychain");
            }
            if (!candidate)
                return;
        }
        const QString path = body.toString();
        for (const QRegularExpression &re : m_py.secretPaths) {
            if (re.match(path).hasMatch()) {
                report(QStringLiteral("PY-SECRET"), i, i, path);
                return;
            }
        }
    }

    // ---- uses -------------------------------------------------------------
    void use(const QString &qualified, int first, int last, int open, bool viaImport)
    {
        std::optional<QList<Arg>> argsCache; // most uses never look at their arguments
        auto args = [&]() -> const QList<Arg> & {
            if (!argsCache)
                argsCache = open >= 0 ? callArgs(open) : QList<Arg>{};
            return *argsCache;
        };
        const int spanEnd = open >= 0 && m_match[open] >= 0 ? m_match[open] : last;
        const qsizetype dot = qualified.indexOf(u'.');
        const QString root = dot < 0 ? qualified : qualified.left(dot);
        if (open >= 0 && (root == u"operator" || root == u"functools"))
            namedAttributes(qualified, first, spanEnd, args());

        if (root == QLatin1String("builtins")
            && (qualified == QLatin1String("builtins.getattr") || qualified == QLatin1String("builtins.setattr")
                || qualified == QLatin1String("builtins.delattr"))) {
            if (open >= 0)
                dynamicAttribute(first, spanEnd, args());
            return;
        }
        const auto allowed = m_py.allowByRoot.constFind(root);
        if (allowed != m_py.allowByRoot.constEnd()) {
            for (int index : *allowed) {
                const NamePattern &allow = m_py.allow[index];
                if (!allow.matches(qualified))
                    continue;
                if (allow.maxArg >= 0) {
                    const auto a = argument(args(), 0, {});
                    const auto v = a ? fold(a->begin, a->end) : std::nullopt;
                    if (!v || *v > allow.maxArg)
                        break; // judged by the rules below
                }
                if (allow.pathArg >= 0 && open >= 0) {
                    const auto a = argument(args(), allow.pathArg,
                                            {QStringLiteral("path"), QStringLiteral("top"), QStringLiteral("name")});
                    if (a && classifyPath(pathLiteral(a->begin, a->end)) != PathKind::Relative) {
                        report(QStringLiteral("PY-MEMBER"), first, spanEnd,
                               qualified + QStringLiteral(" on a path that is absolute, has .. or is not a literal"));
                        return;
                    }
                }
                return;
            }
        }
        const auto uses = m_py.usesByRoot.constFind(root);
        if (uses != m_py.usesByRoot.constEnd()) {
            for (int index : *uses) {
                const NamePattern &p = m_py.uses[index];
                if (!p.matches(qualified))
                    continue;
                if (!p.ifKwarg.isEmpty() && !kwargIs(args(), p.ifKwarg))
                    continue;
                if (!p.unlessKwarg.isEmpty() && kwargIs(args(), p.unlessKwarg))
                    continue;
                if (!p.ifTextArg.isEmpty() && !givesText(args(), p.ifTextArg))
                    continue;
                if (p.aboveArg >= 0) {
                    const auto a = argument(args(), 0, {});
                    const auto v = a ? fold(a->begin, a->end) : std::nullopt;
                    if (!v || *v <= p.aboveArg)
                        continue;
                }
                report(p.rule, first, open >= 0 ? spanEnd : last, qualified);
                spawner(qualified, first);
                return;
            }
        }
        if (open >= 0) {
            if (const auto w = m_py.writeByCall.constFind(qualified); w != m_py.writeByCall.constEnd()) {
                write(m_py.writes[*w], first, last, open, args());
                return;
            }
        }
        spawner(qualified, first);
        if (viaImport && dot > 0 && m_py.dangerousModules.contains(root))
            report(QStringLiteral("PY-MEMBER"), first, last, qualified);
    }

    void spawner(const QString &qualified, int at)
    {
        for (const QString &s : m_py.spawners) {
            if (qualified == s) {
                m_spawns.push_back({at, qualified.startsWith(QLatin1String("os.fork"))});
                return;
            }
        }
    }

    void dynamicAttribute(int first, int last, const QList<Arg> &args)
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

    // ---- indirection (PyAttributeChain, PyQueryExpression) ----------------
    // The chain that goes on at token `from` after the name at `head`;
    // `start` is the module the head names (empty: the head is a step).
    // Returns what the chain reaches, for an alias to stand for it.
    QList<ChainReach> chain(int head, int from, QStringView start)
    {
        const int next = from == head ? head + 1 : from;
        if (!isOp(next, u'.') && !isOp(next, u'(') && !isOp(next, u'[') && !start.contains(u'.')
            && !mayOpenChain(text(head), m_reach))
            return {}; // a bare name goes nowhere
        bool startOpens = from == head && mayOpenChain(text(head), m_reach);
        for (qsizetype dot = start.indexOf(u'.'); dot >= 0 && !startOpens;) {
            const qsizetype next = start.indexOf(u'.', dot + 1);
            startOpens = mayOpenChain(QStringView(start).sliced(dot + 1, (next < 0 ? start.size() : next) - dot - 1), m_reach);
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
    QStringView headModule(const Resolved &r, int head) const
    {
        qsizetype length = r.qualified.size();
        for (int k = head + 2; k <= r.end; k += 2)
            length -= text(k).size() + 1;
        return QStringView(r.qualified).left(std::max<qsizetype>(length, 0));
    }

    void reached(const ChainReach &reach, int first, int last, int open)
    {
        report(QStringLiteral("PY-REACH"), first, last, reach.via);
        if (!reach.qualified.isEmpty())
            use(reach.qualified, first, last, open, true);
    }

    // The names of a pandas expression are the caller's variables.
    void expression(int head, int open)
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
    void namedAttributes(const QString &qualified, int first, int last, const QList<Arg> &args)
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
    void byName(const QStringList &names, const QString &start, bool object, int first, int last)
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

    void write(const WriteSpec &spec, int head, int last, int open, const QList<Arg> &args)
    {
        std::optional<QString> path;
        bool pathGiven = false;
        if (spec.modeArg >= 0) {
            const auto mode = argument(args, spec.modeArg, {QStringLiteral("mode")});
            if (!mode)
                return; // read
            if (const auto m = literal(mode->begin, mode->end)) {
                if (!m->contains(u'w') && !m->contains(u'a') && !m->contains(u'x') && !m->contains(u'+'))
                    return;
            }
        }
        if (spec.receiverPath) {
            // receiver: the expression before ".method"
            const int dot = last - 1;
            int recvEnd = dot;
            int recvBegin = head;
            if (isOp(recvEnd - 1, u')') && m_match[recvEnd - 1] >= 0) {
                const int callOpen = m_match[recvEnd - 1];
                recvBegin = callOpen - 1;
                while (isOp(recvBegin - 1, u'.') && isName(recvBegin - 2))
                    recvBegin -= 2;
            }
            const bool knownPath = (recvEnd - recvBegin == 1 && isName(recvBegin) && m_paths.contains(text(recvBegin)))
                || (recvEnd - 1 >= 0 && isOp(recvEnd - 1, u')') && m_match[recvEnd - 1] > 0
                    && isWord(m_match[recvEnd - 1] - 1, u"Path"));
            if (spec.pathReceiverOnly && !knownPath)
                return;
            path = pathLiteral(recvBegin, recvEnd);
            pathGiven = true;
        } else {
            const auto arg = argument(args, spec.pathArg, spec.pathKwargs);
            if (!arg)
                return; // e.g. df.to_csv() returns text and writes nothing
            path = pathLiteral(arg->begin, arg->end);
            pathGiven = true;
        }
        if (!pathGiven)
            return;
        const int end = m_match[open] >= 0 ? m_match[open] : last;
        const PathKind kind = classifyPath(path);
        const QString where = path ? *path : QStringLiteral("a computed path");
        if (kind == PathKind::Url)
            report(QStringLiteral("PY-NET"), head, end, QStringLiteral("writes to ") + where);
        else if (spec.destroys || kind == PathKind::Outside)
            report(QStringLiteral("PY-FS"), head, end, text(last) + QStringLiteral(" ") + where);
        else
            report(QStringLiteral("PY-WRITE"), head, end, text(last) + QStringLiteral(" ") + where);
    }

    // ---- loops ------------------------------------------------------------
    void loopStatement(int i)
    {
        const bool isWhile = isWord(i, u"while");
        // header up to the ':' at bracket depth 0
        int colon = i + 1;
        while (valid(colon) && !isEnd(colon) && !isOp(colon, u':')) {
            if (m_match[colon] > colon)
                colon = m_match[colon];
            ++colon;
        }
        if (!isOp(colon, u':'))
            return;
        int bodyBegin = colon + 1;
        int bodyEnd = bodyBegin;
        const int indent = m_tok[i].indent;
        if (valid(bodyBegin) && m_tok[bodyBegin].kind != PyToken::Newline) {
            while (valid(bodyEnd) && m_tok[bodyEnd].kind != PyToken::Newline)
                ++bodyEnd;
        } else {
            bodyBegin = colon + 2;
            bodyEnd = bodyBegin;
            while (valid(bodyEnd) && (m_tok[bodyEnd].indent > indent || !m_tok[bodyEnd].lineStart)
                   && !(m_tok[bodyEnd].lineStart && m_tok[bodyEnd].indent <= indent))
                ++bodyEnd;
        }
        const bool constTrue = isWhile && isConstantTruth(m_s, m_tok, m_match, i + 1, colon);
        bool leaves = false;
        if (constTrue) {
            std::vector<int> nested; // indents of loops inside the body
            for (int k = bodyBegin; k < bodyEnd && !leaves; ++k) {
                if (m_tok[k].lineStart) {
                    while (!nested.empty() && m_tok[k].indent <= nested.back())
                        nested.pop_back();
                    if (isWord(k, u"for") || isWord(k, u"while")
                        || (isWord(k, u"async") && isWord(k + 1, u"for")))
                        nested.push_back(m_tok[k].indent);
                }
                if (isWord(k, u"break") && nested.empty())
                    leaves = true;
                else if (isWord(k, u"return") || isWord(k, u"raise") || isWord(k, u"yield"))
                    leaves = true;
                else if ((isWord(k, u"exit") || isWord(k, u"quit") || isWord(k, u"_exit") || isWord(k, u"abort"))
                         && isOp(k + 1, u'('))
                    leaves = true;
            }
            if (!leaves)
                report(QStringLiteral("PY-LOOP"), i, colon);
        }
        m_loops.push_back({bodyBegin, bodyEnd, constTrue && !leaves});
    }

    void finish()
    {
        for (const auto &[at, fork] : m_spawns) {
            for (const LoopBody &loop : m_loops) {
                if (at >= loop.begin && at < loop.end && (fork || loop.unbounded)) {
                    report(QStringLiteral("PY-ABUSE"), at, at, QStringLiteral("started in a loop"));
                    break;
                }
            }
        }
        for (const ModuleImport &imp : std::as_const(m_imports)) {
            const QString root = imp.module.section(u'.', 0, 0);
            if (!imp.used && !imp.reported && m_py.dangerousModules.contains(root))
                report(QStringLiteral("PY-IMPORT"), imp.tokenBegin, imp.tokenEnd, imp.module);
        }
    }

    // Names the analyzer made up (import aliases) live here so the binding
    // table can key on views.
    struct Interner {
        std::vector<std::unique_ptr<QString>> strings;
        QStringView intern(const QString &s)
        {
            strings.push_back(std::make_unique<QString>(s));
            return *strings.back();
        }
    };

    QStringView m_s;
    const Policy &m_policy;
    const PythonPolicy &m_py;
    QList<PyToken> m_t;
    const PyToken *m_tok = nullptr; // m_t's storage, read without QList's checks
    int m_n;
    std::vector<int> m_match;
    QHash<QStringView, Binding> m_bindings;
    NameFilter m_boundNames;   // every name ever bound (a superset)
    NameFilter m_specialNames; // builtins and conventional aliases
    NameFilter m_callNames;    // methods with argument checks
    QHash<QStringView, QString> m_aliases;   // views into the policy
    QSet<QStringView> m_loaders;
    QSet<QStringView> m_sizeCalls;
    QSet<QStringView> m_writeMethods;
    QHash<QStringView, QString> m_paths;   // names bound to Path(...); null: unknown location
    QHash<QStringView, QString> m_strings; // names bound to a string literal
    QList<ModuleImport> m_imports;
    std::vector<std::pair<QString, int>> m_stars;
    std::vector<std::pair<int, bool>> m_spawns;
    std::vector<LoopBody> m_loops;
    QList<int> m_pending;
    Interner m_names;
    QList<Finding> m_findings;
    FoldedIdentifiers m_fold;
    ChainTargets m_reach;  // views into the policy
    int m_chainEnd = -1;   // the last token of the chains walked from a name
};

} // namespace

QList<Finding> analyzePython(QStringView source, const Policy &policy)
{
    return Analyzer(source, policy).run();
}

} // namespace safecell::safety
