#pragma once

#include "safety/NameFilter.h"
#include "safety/Policy.h"
#include "safety/PyLexer.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringView>

#include <optional>
#include <vector>

namespace safecell::safety {

// One link of an expression such as `pd.io.common.os.system("id")` or
// `print.__self__.__dict__["exec"]`, after its first name.
struct ChainStep {
    enum Kind : quint8 { Attribute, Call, Subscript };
    Kind kind = Attribute;
    // Attribute: the name as Python reads it (NFKC). Call and Subscript: the
    // first argument when it is a single string literal, else null.
    QString name;
    int token = -1; // the name or the opening bracket, in the caller's tokens
};

// What the walk looks for, read from the policy (which outlives it).
struct ChainTargets {
    ChainTargets() = default;
    explicit ChainTargets(const PythonPolicy &policy);
    const QStringList *modules = nullptr;  // os, sys, subprocess, ..., and the execution helpers
    const QStringList *builtins = nullptr; // eval, exec, __import__ ...: what a builtins namespace hands out
    NameFilter names; // the modules and the attributes that open a namespace, so most names cost one bit test
    bool isModule(QStringView name) const;
    bool isBuiltin(QStringView name) const;
};

// Where a chain gets to.
struct ChainReach {
    // The module or builtin reached, named from that module on ("os.system",
    // "builtins.exec") so the policy's own rules judge it; empty when the
    // chain opened a namespace that holds everything (frame globals,
    // __self__, sys.modules) without naming what it takes from it.
    QString qualified;
    QString via;         // how, in words, for the finding
    int lastStep = -1;   // the last step that `qualified` (or the opening) covers
    bool called = false; // the step after lastStep calls it
};

// Names worth a walk: a chain whose attributes are none of these cannot reach
// anything, which keeps the walk off nearly every chain of analysis code.
bool mayOpenChain(QStringView attribute, const ChainTargets &targets);

// The links of the chain that continues at token `from` (a '.', '(' or '['
// right after a name or a closing bracket): `last` gets the chain's last
// token. The steps are filled only when some attribute may open a way out.
struct ChainScan {
    QList<ChainStep> steps;
    int last = -1;
    bool worthWalking = false;
};
ChainScan scanChain(QStringView source, const PyToken *tokens, int count, const std::vector<int> &match, int from,
                    const ChainTargets &targets, bool alwaysFill = false);

// Follows the chain from a first name that resolved to `startQualified` (a
// module path such as "pandas.io.common", or empty for any other object).
// Returns what it reaches, in order (a chain can reach sys, then through a
// frame os); nothing when it stays among ordinary attributes. A reach found
// while following `startQualified` itself has lastStep -1.
QList<ChainReach> reachThroughChain(const QString &startQualified, const QList<ChainStep> &steps,
                                    const ChainTargets &targets);

// The same walk over attribute names given as text: getattr(x, "os"),
// operator.attrgetter("io.common.os"), functools.reduce(getattr, [...], x),
// from the module `startModule`; when it is empty the object is unknown and
// may be any module, so a target name counts wherever it stands.
QList<ChainReach> reachThroughNames(const QStringList &names, const ChainTargets &targets,
                                    const QString &startModule = {});

// Attribute steps for names given as text.
QList<ChainStep> stepsOf(const QStringList &names);

// Whether `member` is something the policy's PY-PROC, PY-DYN or PY-EXEC
// rules name in one of the reach modules: methodcaller("system") calls
// os.system once it is handed os.
bool startsProgramOrCode(const QString &member, const PythonPolicy &policy);

} // namespace safecell::safety
