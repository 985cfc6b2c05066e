#include "RuleAdvice.h"

#include "common/DataPaths.h"
#include "common/Logging.h"

#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>

namespace safecell::safety {

namespace {

QHash<QString, QString> loadAdvice()
{
    QHash<QString, QString> advice;
    QFile file(dataFile(QStringLiteral("policy/advice.json")));
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcSafety) << "the rules' advice cannot be read:" << file.errorString();
        return advice;
    }
    const QJsonObject rules =
        QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("advice")).toObject();
    for (auto it = rules.begin(); it != rules.end(); ++it)
        advice.insert(it.key(), it.value().toString());
    return advice;
}

} // namespace

QString ruleAdvice(const QString &ruleId)
{
    static const QHash<QString, QString> advice = loadAdvice(); // thread-safe once
    return advice.value(ruleId);
}

} // namespace safecell::safety
