#include "Verdict.h"

#include <QJsonArray>

namespace safecell {

QString safetyLabelName(SafetyLabel label)
{
    switch (label) {
    case SafetyLabel::Safe:
        return QStringLiteral("safe");
    case SafetyLabel::Ambiguous:
        return QStringLiteral("ambiguous");
    case SafetyLabel::Dangerous:
        return QStringLiteral("dangerous");
    }
    return {};
}

std::optional<SafetyLabel> safetyLabelFromName(const QString &name)
{
    if (name == QLatin1String("safe"))
        return SafetyLabel::Safe;
    if (name == QLatin1String("ambiguous"))
        return SafetyLabel::Ambiguous;
    if (name == QLatin1String("dangerous"))
        return SafetyLabel::Dangerous;
    return std::nullopt;
}

QJsonObject Finding::toJson() const
{
    return QJsonObject{
        {QStringLiteral("rule"), rule},
        {QStringLiteral("label"), safetyLabelName(label)},
        {QStringLiteral("confidence"), confidence},
        {QStringLiteral("line"), line},
        {QStringLiteral("column"), column},
        {QStringLiteral("length"), length},
        {QStringLiteral("text"), text},
        {QStringLiteral("reason"), reason},
    };
}

QJsonObject Verdict::toJson() const
{
    QJsonArray list;
    for (const Finding &finding : findings)
        list.append(finding.toJson());
    return QJsonObject{
        {QStringLiteral("label"), safetyLabelName(label)},
        {QStringLiteral("confidence"), confidence},
        {QStringLiteral("findings"), list},
    };
}

} // namespace safecell
