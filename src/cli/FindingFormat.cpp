#include "FindingFormat.h"

namespace safecell::cli {

QString formatFinding(const QString &path, const Finding &finding)
{
    return QStringLiteral("%1:%2:%3: %4: %5")
        .arg(path)
        .arg(finding.line)
        .arg(finding.column)
        .arg(finding.rule, finding.reason);
}

QJsonArray findingsJson(const QList<Finding> &findings)
{
    QJsonArray list;
    for (const Finding &finding : findings)
        list.append(finding.toJson());
    return list;
}

} // namespace safecell::cli
