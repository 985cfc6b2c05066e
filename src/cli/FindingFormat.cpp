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

} // namespace safecell::cli
