#pragma once

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

// These tests probe the sandbox with code the classifier stops, so they run
// under a policy that an organisation could also choose: the built-in one
// with every rule disabled.
inline QString writeEveryRuleDisabledPolicy(const QTemporaryDir &dir)
{
    QFile builtIn(QStringLiteral(":/policy/default.json"));
    if (!builtIn.open(QIODevice::ReadOnly))
        return {};
    QJsonObject policy = QJsonDocument::fromJson(builtIn.readAll()).object();
    QJsonArray rules;
    for (const QJsonValue &rule : policy.value(QStringLiteral("rules")).toArray()) {
        QJsonObject disabled = rule.toObject();
        disabled.insert(QStringLiteral("enabled"), false);
        rules.append(disabled);
    }
    policy.insert(QStringLiteral("rules"), rules);
    const QString path = dir.filePath(QStringLiteral("every-rule-disabled.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(policy).toJson()) <= 0)
        return {};
    return path;
}
