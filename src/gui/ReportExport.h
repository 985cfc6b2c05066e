#pragma once

#include "common/Expected.h"
#include "pipeline/RunReportHtml.h"

#include <QString>

namespace safecell {

// File > Export Report…: writes `run` to `path` as one self-contained HTML
// page (figures embedded as data: URIs), or as a PDF when `path` ends in
// .pdf (Qt's text layout through QPdfWriter). Written whole or not at all.
// Returns the path written, or why it could not be.
Expected<QString, QString> writeRunReport(const ReportedRun &run, const QString &path);

} // namespace safecell
