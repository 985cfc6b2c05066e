#include "PyAttributeChain.h"

#include "safety/PyStringLiteral.h"

namespace safecell::safety {

namespace {

// Attributes that hand out a whole namespace: a function's module globals,
// the module a builtin function belongs to (print.__self__ is builtins), a
// frame's variables. What follows them can be any module or builtin.
bool opensEverything(QStringView name)
{
    return name == u"__self__" || name == u"__globals__" || name == u"__builtins__" || name == u"f_globals"
           || name == u"f_locals" || name == u"f_builtins";
}

enum class State {
    Object,    // nothing known about the value
    Module,    // a module path from an import (pandas.io.common)
    Namespace, // a mapping or module that may hold anything
    Reached,   // a target, being followed to its member
};

class Walk {
public:
    // `start`: a module path whose later parts are walked like attributes
    // (an alias may stand for pandas.io.common.os); empty: an unknown value.
    Walk(const ChainTargets &targets, const QString &start)
        : m_targets(targets)
        , m_state(start.isEmpty() ? State::Object : State::Module)
    {
        const QStringList parts = start.split(u'.');
        m_path = parts.constFirst();
        for (qsizetype k = 1; k < parts.size(); ++k)
            step(ChainStep{ChainStep::Attribute, parts[k], -1}, -1);
    }

    QList<ChainReach> run(const QList<ChainStep> &steps)
    {
        for (qsizetype k = 0; k < steps.size(); ++k)
            step(steps[k], int(k));
        finishReach();
        if (m_found.isEmpty() && m_opened)
            m_found << ChainReach{{}, m_via, m_openedAt, false};
        return m_found;
    }

private:
    void step(const ChainStep &step, int at)
    {
        if (m_state == State::Reached)
            follow(step, at);
        else if (step.kind == ChainStep::Attribute)
            attribute(step.name, at);
        else
            item(step, at);
    }

    void finishReach()
    {
        if (!m_reach.qualified.isEmpty())
            m_found << m_reach;
        m_reach = {};
    }

    void reach(const QString &qualified, const QString &via, int at)
    {
        finishReach();
        m_state = State::Reached;
        m_reach = ChainReach{qualified, via, at, false};
        m_dictBefore = false;
    }

    void open(const QString &via, int at, bool strong)
    {
        m_state = State::Namespace;
        m_via = via;
        if (strong && !m_opened) {
            m_opened = true;
            m_openedAt = at;
        }
    }

    // From a target on, the chain names its members; subscripting its
    // __dict__ or calling get on it names one too.
    void follow(const ChainStep &step, int at)
    {
        if (step.kind == ChainStep::Attribute
            && ((m_reach.qualified == u"sys" && step.name == u"modules") || opensEverything(step.name))) {
            const QString via = m_reach.qualified + u'.' + step.name;
            finishReach();
            open(via, at, true);
            return;
        }
        if (step.kind == ChainStep::Attribute) {
            if (step.name == u"__dict__") {
                m_dictBefore = true;
                return;
            }
            if (m_dictBefore && step.name == u"get") {
                m_getPending = true;
                return;
            }
            m_reach.qualified += u'.' + step.name;
            m_reach.lastStep = at;
            m_dictBefore = false;
            return;
        }
        if ((step.kind == ChainStep::Subscript && m_dictBefore) || (step.kind == ChainStep::Call && m_getPending)) {
            if (step.name.isNull()) {
                leave();
                return;
            }
            m_reach.qualified += u'.' + step.name;
            m_reach.lastStep = at;
            m_dictBefore = m_getPending = false;
            return;
        }
        if (step.kind == ChainStep::Call)
            m_reach.called = m_reach.lastStep == at - 1;
        leave();
    }

    // What a call or an index of a reached name gives back is unknown, but
    // the chain may go on to reach something else (sys._getframe().f_globals).
    void leave()
    {
        finishReach();
        m_state = State::Object;
        m_dictBefore = m_getPending = false;
    }

    void attribute(const QString &name, int at)
    {
        const bool namespaceLike = m_state == State::Module || m_state == State::Namespace;
        // timeit.timeit is the module's own function, not the module again
        const bool ownMember = m_state == State::Module && m_path == name;
        if (namespaceLike && !ownMember && m_targets.isModule(name)) {
            const QString via = m_state == State::Module ? name + QStringLiteral(" as an attribute of ") + m_path
                                                         : name + QStringLiteral(" through ") + m_via;
            reach(name, via, at);
            return;
        }
        if (m_state == State::Namespace && m_targets.isBuiltin(name)) {
            reach(QStringLiteral("builtins.") + name, name + QStringLiteral(" through ") + m_via, at);
            return;
        }
        if (opensEverything(name)) {
            open(name, at, true);
            return;
        }
        if (m_state == State::Module && name == u"modules" && m_path == u"sys") {
            open(QStringLiteral("sys.modules"), at, true);
            return;
        }
        if (name == u"__dict__") {
            if (m_state != State::Namespace)
                open(QStringLiteral("__dict__"), at, false);
            return;
        }
        if (m_state == State::Namespace && name == u"get") {
            m_getPending = true;
            return;
        }
        if (m_state == State::Module) {
            m_path += u'.' + name;
            return;
        }
        m_state = State::Object;
        m_getPending = false;
    }

    // A subscript, or a call: only `namespace[...]` and `namespace.get(...)`
    // pick something out; any other call or index leaves an unknown value.
    void item(const ChainStep &step, int at)
    {
        const bool picks = m_state == State::Namespace
                           && (step.kind == ChainStep::Subscript || (step.kind == ChainStep::Call && m_getPending));
        m_getPending = false;
        if (!picks) {
            m_state = State::Object;
            return;
        }
        if (step.name.isNull()) {
            // a name computed at run time can pick anything out of it
            if (!m_opened) {
                m_opened = true;
                m_openedAt = at;
            }
            m_via = QStringLiteral("a name computed at run time in ") + m_via;
            m_state = State::Object;
            return;
        }
        if (m_targets.isModule(step.name)) {
            reach(step.name, step.name + QStringLiteral(" through ") + m_via, at);
        } else if (m_targets.isBuiltin(step.name)) {
            reach(QStringLiteral("builtins.") + step.name, step.name + QStringLiteral(" through ") + m_via, at);
        } else if (step.name == u"__builtins__") {
            open(m_via + QStringLiteral("[\"__builtins__\"]"), at, true);
        } else {
            m_state = State::Object;
        }
    }

    const ChainTargets &m_targets;
    State m_state;
    QString m_path;     // State::Module: the module path so far
    QString m_via;      // State::Namespace: what opened it
    ChainReach m_reach; // the target being followed
    QList<ChainReach> m_found;
    bool m_opened = false; // a step opened a namespace that holds everything
    int m_openedAt = -1;
    bool m_getPending = false;
    bool m_dictBefore = false;
};

} // namespace

ChainTargets::ChainTargets(const PythonPolicy &policy)
    : modules(&policy.reachModules)
    , builtins(&policy.reachBuiltins)
{
    for (const QString &m : policy.reachModules)
        names.add(m);
    for (QStringView opener : {u"__dict__", u"__self__", u"__globals__", u"__builtins__", u"f_globals", u"f_locals",
                               u"f_builtins", u"modules"})
        names.add(opener);
}

bool ChainTargets::isModule(QStringView name) const
{
    return modules && modules->contains(name);
}

bool ChainTargets::isBuiltin(QStringView name) const
{
    return builtins && builtins->contains(name);
}

bool mayOpenChain(QStringView attribute, const ChainTargets &targets)
{
    if (!targets.names.mayContain(attribute))
        return false;
    if (attribute.size() >= 2 && attribute[0] == u'_' && attribute[1] == u'_')
        return attribute == u"__dict__" || opensEverything(attribute);
    if (attribute.startsWith(u"f_"))
        return opensEverything(attribute);
    return attribute == u"modules" || targets.isModule(attribute);
}

ChainScan scanChain(QStringView source, const PyToken *tokens, int count, const std::vector<int> &match, int from,
                    const ChainTargets &targets, bool alwaysFill)
{
    auto op = [&](int i, char16_t c) {
        return i >= 0 && i < count && tokens[i].kind == PyToken::Op && tokens[i].length == 1
               && source[tokens[i].start] == c;
    };
    auto name = [&](int i) { return source.sliced(tokens[i].start, tokens[i].length); };
    auto isName = [&](int i) { return i >= 0 && i < count && tokens[i].kind == PyToken::Name; };
    // the one string literal between brackets, else null
    auto soleLiteral = [&](int open) -> QString {
        const int close = match[open];
        if (close != open + 2 && !(close > open + 2 && op(open + 2, u',')))
            return {};
        const PyToken &t = tokens[open + 1];
        if (t.kind != PyToken::String || pyStringIsBytes(source, t))
            return {};
        return pyStringBody(source, t).toString();
    };

    ChainScan scan;
    scan.last = from - 1;
    scan.worthWalking = alwaysFill;
    for (int pass = 0; pass < 2; ++pass) {
        int i = from;
        while (i < count) {
            if (op(i, u'.') && isName(i + 1)) {
                if (pass == 0)
                    scan.worthWalking = scan.worthWalking || mayOpenChain(name(i + 1), targets);
                else
                    scan.steps << ChainStep{ChainStep::Attribute, name(i + 1).toString(), i + 1};
                i += 2;
            } else if ((op(i, u'(') || op(i, u'[')) && match[i] > i) {
                if (pass == 1) {
                    const auto kind = op(i, u'(') ? ChainStep::Call : ChainStep::Subscript;
                    scan.steps << ChainStep{kind, soleLiteral(i), i};
                }
                i = match[i] + 1;
            } else {
                break;
            }
        }
        scan.last = i - 1;
        if (!scan.worthWalking)
            break;
    }
    return scan;
}

QList<ChainReach> reachThroughChain(const QString &startQualified, const QList<ChainStep> &steps,
                                    const ChainTargets &targets)
{
    return Walk(targets, startQualified).run(steps);
}

QList<ChainStep> stepsOf(const QStringList &names)
{
    QList<ChainStep> steps;
    steps.reserve(names.size());
    for (const QString &name : names)
        steps << ChainStep{ChainStep::Attribute, name, -1};
    return steps;
}

QList<ChainReach> reachThroughNames(const QStringList &names, const ChainTargets &targets, const QString &startModule)
{
    const QList<ChainStep> steps = stepsOf(names);
    // an unknown object may be any module, so a target name counts anywhere
    const QString start = startModule.isEmpty() ? QStringLiteral("(an object given at run time)") : startModule;
    return Walk(targets, start).run(steps);
}

bool startsProgramOrCode(const QString &member, const PythonPolicy &policy)
{
    for (const QString &module : policy.reachModules) {
        const QString qualified = module + u'.' + member;
        for (int index : policy.usesByRoot.value(module)) {
            const NamePattern &p = policy.uses[index];
            if (p.pattern.contains(u'.') && p.matches(qualified)
                && (p.rule == u"PY-PROC" || p.rule == u"PY-DYN" || p.rule == u"PY-EXEC"))
                return true;
        }
    }
    return false;
}

} // namespace safecell::safety
