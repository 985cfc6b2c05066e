#pragma once

#include "safety/Verdict.h"

namespace safecell::cli {

// `FILE:LINE:COL: RULE: reason`, the way compilers report.
QString formatFinding(const QString &path, const Finding &finding);

} // namespace safecell::cli
