#include "PyAnalysis.h"

namespace safecell::safety {

void PyAnalysis::use(const QString &qualified, int first, int last, int open, bool viaImport)
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
                const auto path = a ? pathLiteral(a->begin, a->end) : std::nullopt;
                if (a && classifyPath(path) != PathKind::Relative && !inFolders(path, allow.pathUnder)) {
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

// An absolute literal path inside one of `folders` ("/data"): no "..", no
// backslash, no "//" that could make it mean another place.
bool PyAnalysis::inFolders(const std::optional<QString> &path, const QStringList &folders)
{
    if (!path || !path->startsWith(u'/') || path->contains(u'\\') || path->contains(QLatin1String("//")))
        return false;
    const QStringList parts = path->split(u'/');
    if (parts.contains(QLatin1String("..")) || parts.contains(QLatin1String(".")))
        return false;
    for (const QString &folder : folders) {
        if (*path == folder || path->startsWith(folder + u'/'))
            return true;
    }
    return false;
}

void PyAnalysis::spawner(const QString &qualified, int at)
{
    for (const QString &s : m_py.spawners) {
        if (qualified == s) {
            m_spawns.push_back({at, qualified.startsWith(QLatin1String("os.fork"))});
            return;
        }
    }
}

// Checks that depend only on the called name's last part: method writes,
// data loaders given a URL, sizes, globals()[...].
void PyAnalysis::callChecks(int head, int last)
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

void PyAnalysis::argumentChecks(int head, int last, int open, QStringView method, const QList<Arg> &args, bool writes,
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

void PyAnalysis::sizeCall(int head, int open, QStringView method, const QList<Arg> &args)
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
        report(QStringLiteral("PY-ABUSE"), head, m_match[open], QStringLiteral("%1 elements").arg(size, 0, 'g', 3));
}

void PyAnalysis::write(const WriteSpec &spec, int head, int last, int open, const QList<Arg> &args)
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

} // namespace safecell::safety
