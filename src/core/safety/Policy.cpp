#include "Policy.h"
#include "PolicyUpgrade.h"
#include "common/DataPaths.h"

#include "common/Logging.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>

#include <cmath>

namespace safecell::safety {

namespace {

// Rule ids the engine's checks report; a policy must define each of them.
const QStringList kEngineRules = {
    QStringLiteral("PY-PROC"),   QStringLiteral("PY-NET"),     QStringLiteral("PY-DYN"),    QStringLiteral("PY-FS"),
    QStringLiteral("PY-SECRET"), QStringLiteral("PY-ABUSE"),   QStringLiteral("PY-IMPORT"), QStringLiteral("PY-WRITE"),
    QStringLiteral("PY-ENV"),    QStringLiteral("PY-URL"),     QStringLiteral("PY-LOOP"),   QStringLiteral("PY-MEMBER"),
    QStringLiteral("PY-REACH"),  QStringLiteral("PY-EXEC"),    QStringLiteral("PY-QUERY"),  QStringLiteral("SQL-DDL"),
    QStringLiteral("SQL-WIPE"),  QStringLiteral("SQL-ESCAPE"), QStringLiteral("SQL-WRITE"), QStringLiteral("SQL-ABUSE"),
};

int lineOfOffset(const QByteArray &text, qsizetype offset)
{
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    return int(text.left(offset).count('\n')) + 1;
}

// The line where `needle` (a key or a value as written in the file) first
// appears, so a schema error points at the right place.
int lineOf(const QByteArray &text, const QString &needle)
{
    const qsizetype at = text.indexOf(QByteArray('"' + needle.toUtf8() + '"'));
    return at < 0 ? 1 : lineOfOffset(text, at);
}

class Reader {
public:
    explicit Reader(const QByteArray &text)
        : m_text(text)
    {
    }

    std::optional<PolicyError> error;

    void fail(const QString &needle, const QString &reason)
    {
        if (!error)
            error = PolicyError{lineOf(m_text, needle), reason};
    }

    QStringList strings(const QJsonObject &object, const QString &key, bool required = true)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined()) {
            if (required)
                fail(key, QStringLiteral("\"%1\" is missing").arg(key));
            return {};
        }
        if (!value.isArray()) {
            fail(key, QStringLiteral("\"%1\" must be a list of strings").arg(key));
            return {};
        }
        QStringList out;
        for (const QJsonValue &item : value.toArray()) {
            if (!item.isString()) {
                fail(key, QStringLiteral("\"%1\" must hold only strings").arg(key));
                return {};
            }
            out << item.toString();
        }
        return out;
    }

    double number(const QJsonObject &object, const QString &key, double fallback)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined())
            return fallback;
        if (!value.isDouble()) {
            fail(key, QStringLiteral("\"%1\" must be a number").arg(key));
            return fallback;
        }
        return value.toDouble();
    }

    // An argument's position: a whole number from -1 (none) to 255. A policy
    // file with 1e80 there is refused, not cast (that was undefined behaviour,
    // found by fuzz_policy).
    int argumentIndex(const QJsonObject &object, const QString &key, int fallback)
    {
        const double value = number(object, key, fallback);
        if (value != std::floor(value) || value < -1 || value > 255) {
            fail(key, QStringLiteral("\"%1\" must be a whole number from -1 to 255 (an argument's position)").arg(key));
            return fallback;
        }
        return int(value);
    }

    void ruleRef(const QString &id, const Policy &policy, bool allowSafe = false)
    {
        if (allowSafe && id == QLatin1String("safe"))
            return;
        if (!policy.rules.contains(id))
            fail(id, QStringLiteral("unknown rule \"%1\"").arg(id));
    }

private:
    const QByteArray &m_text;
};

NamePattern readPattern(Reader &reader, const QJsonValue &value, const QString &section)
{
    NamePattern pattern;
    if (value.isString()) {
        pattern.pattern = value.toString();
        return pattern;
    }
    if (!value.isObject()) {
        reader.fail(section, QStringLiteral("entries of \"%1\" must be names or objects").arg(section));
        return pattern;
    }
    const QJsonObject object = value.toObject();
    pattern.pattern = object.value(QStringLiteral("name")).toString();
    pattern.rule = object.value(QStringLiteral("rule")).toString();
    pattern.ifKwarg = object.value(QStringLiteral("ifKwarg")).toString();
    pattern.unlessKwarg = object.value(QStringLiteral("unlessKwarg")).toString();
    pattern.maxArg = reader.number(object, QStringLiteral("maxArg"), -1);
    pattern.aboveArg = reader.number(object, QStringLiteral("aboveArg"), -1);
    pattern.pathArg = reader.argumentIndex(object, QStringLiteral("pathArg"), -1);
    pattern.ifTextArg = reader.strings(object, QStringLiteral("ifTextArg"), false);
    pattern.pathUnder = reader.strings(object, QStringLiteral("pathUnder"), false);
    return pattern;
}

void readPython(Reader &reader, const QJsonObject &object, Policy &policy)
{
    PythonPolicy &py = policy.python;
    for (const QString &m : reader.strings(object, QStringLiteral("dangerousModules")))
        py.dangerousModules.insert(m);
    const QJsonObject aliases = object.value(QStringLiteral("conventionalAliases")).toObject();
    for (auto it = aliases.begin(); it != aliases.end(); ++it)
        py.conventionalAliases.insert(it.key(), it.value().toString());

    const QJsonValue imports = object.value(QStringLiteral("imports"));
    if (!imports.isObject())
        reader.fail(QStringLiteral("imports"), QStringLiteral("\"imports\" must map rule ids to module lists"));
    const QJsonObject importObject = imports.toObject();
    for (auto it = importObject.begin(); it != importObject.end(); ++it) {
        reader.ruleRef(it.key(), policy);
        for (const QString &m : reader.strings(importObject, it.key()))
            py.importRules.insert(m, it.key());
    }

    const QJsonValue uses = object.value(QStringLiteral("uses"));
    if (!uses.isArray())
        reader.fail(QStringLiteral("uses"), QStringLiteral("\"uses\" must be a list"));
    for (const QJsonValue &entry : uses.toArray()) {
        const QJsonObject use = entry.toObject();
        const QString rule = use.value(QStringLiteral("rule")).toString();
        reader.ruleRef(rule, policy);
        if (use.contains(QStringLiteral("names"))) {
            for (const QString &name : reader.strings(use, QStringLiteral("names")))
                py.uses << NamePattern{name, rule, {}, {}, -1, -1, -1};
        } else if (use.contains(QStringLiteral("name"))) {
            py.uses << readPattern(reader, use, QStringLiteral("uses"));
        } else {
            reader.fail(rule.isEmpty() ? QStringLiteral("uses") : rule,
                        QStringLiteral("a \"uses\" entry needs \"name\" or \"names\""));
        }
    }
    for (const QJsonValue &entry : object.value(QStringLiteral("allow")).toArray())
        py.allow << readPattern(reader, entry, QStringLiteral("allow"));

    for (const QJsonValue &entry : object.value(QStringLiteral("writes")).toArray()) {
        const QJsonObject w = entry.toObject();
        WriteSpec spec;
        spec.call = w.value(QStringLiteral("call")).toString();
        spec.method = w.value(QStringLiteral("method")).toString();
        if (spec.call.isEmpty() == spec.method.isEmpty())
            reader.fail(QStringLiteral("writes"),
                        QStringLiteral("each \"writes\" entry needs exactly one of \"call\" or \"method\""));
        spec.pathArg = reader.argumentIndex(w, QStringLiteral("pathArg"), 0);
        spec.pathKwargs = reader.strings(w, QStringLiteral("pathKwargs"), false);
        spec.modeArg = reader.argumentIndex(w, QStringLiteral("modeArg"), -1);
        spec.receiverPath = w.value(QStringLiteral("receiverPath")).toBool();
        spec.pathReceiverOnly = w.value(QStringLiteral("pathReceiverOnly")).toBool();
        spec.destroys = w.value(QStringLiteral("destroys")).toBool();
        py.writes << spec;
    }
    for (const QString &pattern : reader.strings(object, QStringLiteral("secretPaths"))) {
        QRegularExpression re(pattern);
        if (!re.isValid())
            reader.fail(QString(pattern).replace(QLatin1String("\\"), QLatin1String("\\\\")),
                        QStringLiteral("bad regular expression in \"secretPaths\": %1").arg(re.errorString()));
        py.secretPaths << re;
    }
    py.urlPrefixes = reader.strings(object, QStringLiteral("urlPrefixes"));
    for (const QString &s : reader.strings(object, QStringLiteral("dataLoaders")))
        py.dataLoaders.insert(s);
    for (const QString &s : reader.strings(object, QStringLiteral("sizeCalls")))
        py.sizeCalls.insert(s);
    py.spawners = reader.strings(object, QStringLiteral("spawners"));
    py.exits = reader.strings(object, QStringLiteral("exits"));
    const QJsonValue reach = object.value(QStringLiteral("reach"));
    if (!reach.isObject())
        reader.fail(QStringLiteral("python"),
                    QStringLiteral("\"reach\" must name the modules and builtins no chain may reach"));
    py.reachModules = reader.strings(reach.toObject(), QStringLiteral("modules"));
    py.reachBuiltins = reader.strings(reach.toObject(), QStringLiteral("builtins"));
    py.maxSize = reader.number(object, QStringLiteral("maxSize"), 1e9);
    py.maxRecursionLimit = reader.number(object, QStringLiteral("maxRecursionLimit"), 100000);
}

void readSql(Reader &reader, const QJsonObject &object, Policy &policy)
{
    SqlPolicy &sql = policy.sql;
    const QJsonObject statements = object.value(QStringLiteral("statements")).toObject();
    if (statements.isEmpty())
        reader.fail(QStringLiteral("statements"),
                    QStringLiteral("\"statements\" must map statement kinds to rule ids"));
    for (auto it = statements.begin(); it != statements.end(); ++it) {
        reader.ruleRef(it.value().toString(), policy, true);
        sql.statements.insert(it.key().toUpper(), it.value().toString());
    }
    sql.unknownStatementRule = object.value(QStringLiteral("unknownStatement")).toString();
    reader.ruleRef(sql.unknownStatementRule, policy);
    for (const QString &s : reader.strings(object, QStringLiteral("dangerousPragmas")))
        sql.dangerousPragmas.insert(s.toLower());
    for (const QString &s : reader.strings(object, QStringLiteral("actingPragmas")))
        sql.actingPragmas.insert(s.toLower());
    for (const QString &s : reader.strings(object, QStringLiteral("readPragmas")))
        sql.readPragmas.insert(s.toLower());
    const QJsonObject functions = object.value(QStringLiteral("functions")).toObject();
    for (auto it = functions.begin(); it != functions.end(); ++it) {
        reader.ruleRef(it.value().toString(), policy);
        sql.functions.insert(it.key().toLower(), it.value().toString());
    }
    const QJsonObject prefixes = object.value(QStringLiteral("functionPrefixes")).toObject();
    for (auto it = prefixes.begin(); it != prefixes.end(); ++it) {
        reader.ruleRef(it.value().toString(), policy);
        sql.functionPrefixes.insert(it.key().toLower(), it.value().toString());
    }
    const QJsonObject sizes = object.value(QStringLiteral("sizeFunctions")).toObject();
    for (auto it = sizes.begin(); it != sizes.end(); ++it)
        sql.sizeFunctions.insert(it.key().toLower(), it.value().toInt());
    sql.maxBlobBytes = reader.number(object, QStringLiteral("maxBlobBytes"), 1e8);
    sql.maxSeriesRows = reader.number(object, QStringLiteral("maxSeriesRows"), 1e9);
}

} // namespace

bool NamePattern::matches(const QString &qualified) const
{
    const qsizetype star = pattern.indexOf(QLatin1Char('*'));
    if (star < 0) {
        return qualified == pattern
               || (qualified.size() > pattern.size() && qualified.startsWith(pattern)
                   && qualified[pattern.size()] == QLatin1Char('.'));
    }
    // Glob: '*' matches any run of characters, dots included.
    const QStringList parts = globParts.isEmpty() ? pattern.split(QLatin1Char('*')) : globParts;
    if (!qualified.startsWith(parts.constFirst()))
        return false;
    qsizetype at = parts.constFirst().size();
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString &part = parts[i];
        if (i == parts.size() - 1)
            return part.isEmpty() || (qualified.size() - at >= part.size() && qualified.endsWith(part));
        const qsizetype found = qualified.indexOf(part, at);
        if (found < 0)
            return false;
        at = found + part.size();
    }
    return true;
}

const RuleInfo *Policy::rule(const QString &id) const
{
    const auto it = rules.constFind(id);
    return it == rules.constEnd() ? nullptr : &it.value();
}

QString PolicyError::toString() const
{
    return QStringLiteral("line %1: %2").arg(line).arg(reason);
}

namespace {

Expected<QJsonObject, PolicyError> policyObject(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return unexpected(PolicyError{lineOfOffset(json, parseError.offset), parseError.errorString()});
    if (!document.isObject())
        return unexpected(PolicyError{1, QStringLiteral("the policy must be a JSON object")});
    return document.object();
}

// `json` is the text `root` came from, for the line numbers of errors.
Expected<Policy, PolicyError> checkedPolicy(const QJsonObject &root, const QByteArray &json)
{
    Reader reader(json);
    Policy policy;
    policy.version = root.value(QStringLiteral("version")).toString();
    policy.safeConfidence = reader.number(root, QStringLiteral("safeConfidence"), 0.95);

    const QJsonValue rules = root.value(QStringLiteral("rules"));
    if (!rules.isArray())
        return unexpected(
            PolicyError{lineOf(json, QStringLiteral("rules")), QStringLiteral("\"rules\" must be a list")});
    for (const QJsonValue &entry : rules.toArray()) {
        const QJsonObject r = entry.toObject();
        RuleInfo info;
        info.id = r.value(QStringLiteral("id")).toString();
        if (info.id.isEmpty()) {
            reader.fail(QStringLiteral("rules"), QStringLiteral("a rule has no \"id\""));
            continue;
        }
        const QString labelName = r.value(QStringLiteral("label")).toString();
        const auto label = safetyLabelFromName(labelName);
        if (!label || *label == SafetyLabel::Safe)
            reader.fail(info.id, QStringLiteral("rule %1: label must be \"ambiguous\" or \"dangerous\" (got \"%2\")")
                                     .arg(info.id, labelName));
        info.label = label.value_or(SafetyLabel::Dangerous);
        info.confidence = reader.number(r, QStringLiteral("confidence"), -1);
        if (info.confidence < 0 || info.confidence > 1)
            reader.fail(info.id, QStringLiteral("rule %1: confidence must be a number in [0, 1]").arg(info.id));
        info.reason = r.value(QStringLiteral("reason")).toString();
        if (info.reason.isEmpty() || info.reason.contains(QLatin1Char('\n')))
            reader.fail(info.id, QStringLiteral("rule %1: reason must be one non-empty line").arg(info.id));
        info.enabled = r.value(QStringLiteral("enabled")).toBool(true);
        if (policy.rules.contains(info.id))
            reader.fail(info.id, QStringLiteral("rule %1 is defined twice").arg(info.id));
        policy.rules.insert(info.id, info);
    }
    for (const QString &id : kEngineRules) {
        if (!policy.rules.contains(id))
            reader.fail(QStringLiteral("rules"), QStringLiteral("rule %1 is not defined").arg(id));
    }
    if (!root.value(QStringLiteral("python")).isObject())
        reader.fail(QStringLiteral("python"), QStringLiteral("\"python\" must be an object"));
    else
        readPython(reader, root.value(QStringLiteral("python")).toObject(), policy);
    if (!root.value(QStringLiteral("sql")).isObject())
        reader.fail(QStringLiteral("sql"), QStringLiteral("\"sql\" must be an object"));
    else
        readSql(reader, root.value(QStringLiteral("sql")).toObject(), policy);
    if (reader.error)
        return unexpected(*reader.error);
    PythonPolicy &py = policy.python;
    for (QList<NamePattern> *list : {&py.uses, &py.allow}) {
        QHash<QString, QList<int>> &index = list == &py.uses ? py.usesByRoot : py.allowByRoot;
        for (int i = 0; i < list->size(); ++i) {
            NamePattern &p = (*list)[i];
            if (p.pattern.contains(QLatin1Char('*')))
                p.globParts = p.pattern.split(QLatin1Char('*'));
            const QString root = p.pattern.section(QLatin1Char('.'), 0, 0);
            if (root.contains(QLatin1Char('*')) || root.isEmpty())
                return unexpected(
                    PolicyError{lineOf(json, p.pattern),
                                QStringLiteral("pattern \"%1\" must start with a module name").arg(p.pattern)});
            index[root] << i;
        }
    }
    for (int i = 0; i < py.writes.size(); ++i) {
        if (!py.writes[i].call.isEmpty())
            py.writeByCall.insert(py.writes[i].call, i);
    }
    return policy;
}

const QByteArray &builtInPolicyText()
{
    static const QByteArray text = [] {
        QFile file(dataFile(QStringLiteral("policy/default.json")));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("the built-in safety policy is missing");
        return file.readAll();
    }();
    return text;
}

} // namespace

Expected<Policy, PolicyError> parsePolicy(const QByteArray &json)
{
    auto root = policyObject(json);
    if (!root)
        return unexpected(root.error());
    return checkedPolicy(*root, json);
}

Expected<Policy, PolicyError> parseUserPolicy(const QByteArray &json, const QByteArray &builtIn, QStringList *taken)
{
    auto root = policyObject(json);
    if (!root)
        return unexpected(root.error());
    auto current = policyObject(builtIn);
    if (!current)
        return unexpected(current.error());
    return checkedPolicy(upgradePolicy(*root, *current, taken), json);
}

std::shared_ptr<const Policy> defaultPolicy()
{
    static QMutex mutex;
    static std::shared_ptr<const Policy> policy;
    QMutexLocker lock(&mutex);
    if (!policy) {
        auto parsed = parsePolicy(builtInPolicyText());
        if (!parsed)
            qFatal("the built-in safety policy is invalid: %s", qPrintable(parsed.error().toString()));
        policy = std::make_shared<const Policy>(std::move(parsed).value());
    }
    return policy;
}

std::shared_ptr<const Policy> loadPolicy(const QString &path, PolicyError *error)
{
    if (path.isEmpty())
        return defaultPolicy();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        const PolicyError e{0, QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
        qCWarning(lcSafety) << "policy file rejected:" << e.toString() << "- the default policy stays in force";
        if (error)
            *error = e;
        return defaultPolicy();
    }
    QStringList taken;
    auto parsed = parseUserPolicy(file.readAll(), builtInPolicyText(), &taken);
    if (parsed && !taken.isEmpty())
        qCInfo(lcSafety) << "policy file" << path << "is version" << parsed->version
                         << "- took from the built-in policy:" << taken.join(QStringLiteral(", "));
    if (!parsed) {
        qCWarning(lcSafety) << "policy file" << path << "rejected:" << parsed.error().toString()
                            << "- the default policy stays in force";
        if (error)
            *error = parsed.error();
        return defaultPolicy();
    }
    return std::make_shared<const Policy>(std::move(parsed).value());
}

} // namespace safecell::safety
