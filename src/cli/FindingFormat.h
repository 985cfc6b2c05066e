#pragma once

#include "safety/Verdict.h"

#include <QJsonArray>

namespace safecell::cli {

// `FILE:LINE:COL: RULE: reason`, the way compilers report.
QString formatFinding(const QString &path, const Finding &finding);
QJsonArray findingsJson(const QList<Finding> &findings);

} // namespace safecell::cli
