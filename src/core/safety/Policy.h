#pragma once

#include "common/Expected.h"
#include "safety/Verdict.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

namespace safecell::safety {

struct RuleInfo {
    QString id;
    SafetyLabel label = SafetyLabel::Safe;
    double confidence = 1.0;
    QString reason;
    bool enabled = true;
};

// A qualified name pattern ("os.system", "os.exec*", "sklearn.datasets.fetch_*")
// with an optional condition on the call.
struct NamePattern {
    QString pattern;
    QString rule;               // for uses
    QString ifKwarg;            // "allow_pickle=True": only when the call passes it
    QString unlessKwarg;        // "weights_only=True": not when the call passes it
    double maxArg = -1;         // allow only while the first argument is <= this
    double aboveArg = -1;       // rule only when the first argument is > this
    int pathArg = -1;           // allow only when this argument is a relative literal path (or absent)
    QStringList ifTextArg = {}; // the parameters in order ("stmt", "setup"): only when one of them is given text
    // With pathArg: allow an absolute literal path too when it lies in one of
    // these folders, without "..": the sandbox's own (/data, where the
    // analyst's shared files are, and /work).
    QStringList pathUnder = {};
    QStringList globParts = {}; // the pattern split at '*', filled by the policy reader
    bool matches(const QString &qualified) const;
};

// A call that writes a file: a function by qualified name or a method by name.
struct WriteSpec {
    QString call;   // qualified, e.g. "builtins.open"
    QString method; // any receiver, e.g. "to_csv"
    int pathArg = 0;
    QStringList pathKwargs;
    int modeArg = -1;              // open(): writes only when the mode has w/a/x/+
    bool receiverPath = false;     // Path("x").write_text(): the path is the receiver
    bool pathReceiverOnly = false; // only when the receiver is known to be a Path
    bool destroys = false;         // PY-FS whatever the path (unlink, rmdir, chmod)
};

struct PythonPolicy {
    QSet<QString> dangerousModules;
    QHash<QString, QString> conventionalAliases; // pd -> pandas
    QHash<QString, QString> importRules;         // module -> rule id
    QList<NamePattern> uses;
    QList<NamePattern> allow;
    QList<WriteSpec> writes;
    QList<QRegularExpression> secretPaths;
    QStringList urlPrefixes;
    QSet<QString> dataLoaders; // last name of a call that loads data
    QSet<QString> sizeCalls;   // last name of a call whose arguments are sizes
    QStringList spawners;      // qualified patterns that start a process/thread
    QStringList exits;         // qualified calls that leave a loop (sys.exit ...)
    // What an attribute chain must not reach from any start: modules (os,
    // the execution helpers) and the builtins a namespace hands out (exec).
    QStringList reachModules;
    QStringList reachBuiltins;
    double maxSize = 1e9;
    double maxRecursionLimit = 100000;

    // Indexes filled by the reader so a use is matched only against the
    // patterns of its own module: pattern indexes by first name, in file order.
    QHash<QString, QList<int>> usesByRoot;
    QHash<QString, QList<int>> allowByRoot;
    QHash<QString, int> writeByCall;
};

struct SqlPolicy {
    QHash<QString, QString> statements; // "DROP", "CREATE TRIGGER" -> rule id or "safe"
    QString unknownStatementRule;
    QSet<QString> dangerousPragmas;
    QSet<QString> actingPragmas;
    QSet<QString> readPragmas;                // take an argument in parentheses and only read
    QHash<QString, QString> functions;        // lower-case name -> rule
    QHash<QString, QString> functionPrefixes; // "pg_sleep" matches pg_sleep_for
    QHash<QString, int> sizeFunctions;        // lower-case name -> argument index of the size
    double maxBlobBytes = 1e8;
    double maxSeriesRows = 1e9;
};

struct Policy {
    QString version;
    double safeConfidence = 0.95;
    QHash<QString, RuleInfo> rules;
    PythonPolicy python;
    SqlPolicy sql;

    const RuleInfo *rule(const QString &id) const;
};

struct PolicyError {
    int line = 1;
    QString reason;
    QString toString() const;
};

// Parses and checks a whole policy file; every rule id the engine uses must
// be defined (it may be disabled with "enabled": false).
Expected<Policy, PolicyError> parsePolicy(const QByteArray &json);

// Parses a user's policy file. One written for an older built-in policy
// first takes what it lacks from `builtIn` (see upgradePolicy), listed in
// `taken`; a current one is checked as parsePolicy does.
Expected<Policy, PolicyError> parseUserPolicy(const QByteArray &json, const QByteArray &builtIn,
                                              QStringList *taken = nullptr);

// The policy compiled into the program (:/policy/default.json).
std::shared_ptr<const Policy> defaultPolicy();

// The default, or the user's file (through parseUserPolicy) when `path` is
// not empty and valid. A bad file is reported through `error` and the
// default stays in force.
std::shared_ptr<const Policy> loadPolicy(const QString &path, PolicyError *error = nullptr);

} // namespace safecell::safety
