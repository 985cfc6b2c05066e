#pragma once

#include "safety/NameFilter.h"
#include "safety/Policy.h"
#include "safety/PyAttributeChain.h"
#include "safety/PyTokenCursor.h"
#include "safety/Verdict.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringView>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace safecell::safety {

// Builtins the policy can name; any other bare name is the snippet's own.
const QSet<QStringView> &pyBuiltinNames();

// One pass of the policy's Python rules over a snippet (analyzePython()).
// Its work is written in one file per job:
//   PyAnalyzer.cpp          the walk over the tokens, statement by statement
//   PyNameScope.cpp         what each name stands for: bindings, aliases, star imports
//   PyImportStatements.cpp  import and from-import, and the imports left unused
//   PyArgumentValues.cpp    what an argument is as written: text, a path, a number
//   PyCallRules.cpp         the rules on a call or use of a module's name, and writes
//   PyIndirectionRules.cpp  names reached indirectly: chains, getattr, attrgetter, query strings
//   PyLiteralRules.cpp      rules on literals: secret paths, huge repeated sequences
//   PyLoopRules.cpp         endless loops, and processes started in loops
//   PyFindings.cpp          a rule's finding at a span of tokens
class PyAnalysis : private PyTokenCursor {
public:
    PyAnalysis(QStringView source, const Policy &policy);
    // Findings in source order.
    QList<Finding> run();

private:
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
        int end = 0; // last token of the chain
    };
    enum class PathKind { None, Relative, Outside, Url, NotLiteral };
    struct LoopBody {
        int begin = 0;
        int end = 0; // exclusive
        bool unbounded = false;
    };
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

    // PyAnalyzer.cpp
    int statementStart(int i);
    int name(int i);
    int attribute(int i);
    void finish();

    // PyFindings.cpp
    void report(const QString &ruleId, int first, int last, const QString &detail = {});

    // PyNameScope.cpp
    int assignment(int i);
    void applyPending();
    void bind(QStringView name, const Binding &binding);
    int headImport(int i) const;
    void markUsed(int head);
    Resolved resolve(int i);
    bool knownName(const QString &qualified) const;

    // PyImportStatements.cpp
    std::optional<QString> importRule(const QString &module) const;
    int importStatement(int i);
    int fromStatement(int i);
    void reportUnusedImports();

    // PyArgumentValues.cpp
    std::optional<QString> literal(int begin, int end) const;
    std::optional<QString> pathLiteral(int begin, int end) const;
    PathKind classifyPath(const std::optional<QString> &path) const;
    static bool inFolders(const std::optional<QString> &path, const QStringList &folders);
    std::optional<double> fold(int begin, int end) const;
    bool givesText(const QList<Arg> &args, const QStringList &parameters) const;
    bool kwargIs(const QList<Arg> &args, const QString &spec) const;

    // PyCallRules.cpp
    void use(const QString &qualified, int first, int last, int open, bool viaImport);
    void spawner(const QString &qualified, int at);
    void callChecks(int head, int last);
    void argumentChecks(int head, int last, int open, QStringView method, const QList<Arg> &args, bool writes,
                        bool loads, bool sizes);
    void sizeCall(int head, int open, QStringView method, const QList<Arg> &args);
    void write(const WriteSpec &spec, int head, int last, int open, const QList<Arg> &args);

    // PyIndirectionRules.cpp
    QList<ChainReach> chain(int head, int from, QStringView start);
    QStringView headModule(const Resolved &r, int head) const;
    void reached(const ChainReach &reach, int first, int last, int open);
    void expression(int head, int open);
    void namedAttributes(const QString &qualified, int first, int last, const QList<Arg> &args);
    void byName(const QStringList &names, const QString &start, bool object, int first, int last);
    void dynamicAttribute(int first, int last, const QList<Arg> &args);

    // PyLiteralRules.cpp
    void literalSize(int star);
    void secretLiteral(int i);

    // PyLoopRules.cpp
    void loopStatement(int i);
    void reportSpawnsInLoops();

    const Policy &m_policy;
    const PythonPolicy &m_py;
    QHash<QStringView, Binding> m_bindings;
    NameFilter m_boundNames;               // every name ever bound (a superset)
    NameFilter m_specialNames;             // builtins and conventional aliases
    NameFilter m_callNames;                // methods with argument checks
    QHash<QStringView, QString> m_aliases; // views into the policy
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
    ChainTargets m_reach; // views into the policy
    int m_chainEnd = -1;  // the last token of the chains walked from a name
};

} // namespace safecell::safety
