#include "PolicyUpgrade.h"

#include <QJsonArray>
#include <QSet>
#include <QVersionNumber>

namespace safecell::safety {

namespace {

bool isOlder(const QJsonObject &user, const QJsonObject &builtIn)
{
    const QVersionNumber mine = QVersionNumber::fromString(user.value(u"version").toString());
    const QVersionNumber current = QVersionNumber::fromString(builtIn.value(u"version").toString());
    return !mine.isNull() && !current.isNull() && mine < current;
}

QSet<QString> ruleIds(const QJsonObject &policy)
{
    QSet<QString> ids;
    for (const QJsonValue &rule : policy.value(u"rules").toArray())
        ids.insert(rule.toObject().value(u"id").toString());
    return ids;
}

// Adds the sections of `from` that `into` lacks, named "<where>.<key>".
void addMissingKeys(QJsonObject &into, const QJsonObject &from, const QString &where, QStringList *taken)
{
    for (auto it = from.constBegin(); it != from.constEnd(); ++it) {
        if (!into.contains(it.key())) {
            into.insert(it.key(), it.value());
            *taken << where + QLatin1Char('.') + it.key();
        }
    }
}

// The entries of a {"rule id": ...} map that belong to added rules.
void addRuleKeyedEntries(QJsonObject &into, const QJsonObject &from, const QSet<QString> &added)
{
    for (auto it = from.constBegin(); it != from.constEnd(); ++it) {
        if (added.contains(it.key()) && !into.contains(it.key()))
            into.insert(it.key(), it.value());
    }
}

QJsonObject upgradedPython(QJsonObject python, const QJsonObject &builtIn, const QSet<QString> &added,
                           QStringList *taken)
{
    QJsonArray uses = python.value(u"uses").toArray();
    for (const QJsonValue &use : builtIn.value(u"uses").toArray()) {
        if (added.contains(use.toObject().value(u"rule").toString()))
            uses.append(use);
    }
    if (python.contains(u"uses"))
        python.insert(u"uses", uses);
    QJsonObject imports = python.value(u"imports").toObject();
    addRuleKeyedEntries(imports, builtIn.value(u"imports").toObject(), added);
    if (python.contains(u"imports"))
        python.insert(u"imports", imports);
    addMissingKeys(python, builtIn, QStringLiteral("python"), taken);
    return python;
}

QJsonObject upgradedSql(QJsonObject sql, const QJsonObject &builtIn, const QSet<QString> &added, QStringList *taken)
{
    // These map a statement kind or a function name to a rule id: a name the
    // user's policy does not map goes to the built-in's rule only if that
    // rule is new, so a kind the user sent elsewhere stays where they put it.
    for (const QString &key :
         {QStringLiteral("statements"), QStringLiteral("functions"), QStringLiteral("functionPrefixes")}) {
        if (!sql.contains(key))
            continue;
        QJsonObject mine = sql.value(key).toObject();
        const QJsonObject theirs = builtIn.value(key).toObject();
        for (auto it = theirs.constBegin(); it != theirs.constEnd(); ++it) {
            if (added.contains(it.value().toString()) && !mine.contains(it.key()))
                mine.insert(it.key(), it.value());
        }
        sql.insert(key, mine);
    }
    addMissingKeys(sql, builtIn, QStringLiteral("sql"), taken);
    return sql;
}

} // namespace

QJsonObject upgradePolicy(const QJsonObject &user, const QJsonObject &builtIn, QStringList *taken)
{
    QStringList ignored;
    taken = taken ? taken : &ignored;
    if (!isOlder(user, builtIn) || !user.value(u"rules").isArray())
        return user;
    QJsonObject upgraded = user;
    const QSet<QString> known = ruleIds(user);
    QSet<QString> added;
    QJsonArray rules = user.value(u"rules").toArray();
    for (const QJsonValue &rule : builtIn.value(u"rules").toArray()) {
        const QString id = rule.toObject().value(u"id").toString();
        if (!known.contains(id)) {
            rules.append(rule);
            added.insert(id);
            *taken << id;
        }
    }
    upgraded.insert(u"rules", rules);
    if (user.value(u"python").isObject())
        upgraded.insert(u"python", upgradedPython(user.value(u"python").toObject(), builtIn.value(u"python").toObject(),
                                                  added, taken));
    if (user.value(u"sql").isObject())
        upgraded.insert(u"sql",
                        upgradedSql(user.value(u"sql").toObject(), builtIn.value(u"sql").toObject(), added, taken));
    return upgraded;
}

} // namespace safecell::safety
