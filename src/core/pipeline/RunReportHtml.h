#pragma once

#include "pipeline/RunReport.h"
#include "request/Language.h"

#include <QDateTime>
#include <QString>

#include <functional>

namespace safecell {

// One finished run, as File > Export Report… and `safecell run --report`
// write it down.
struct ReportedRun {
    QString code;
    Language language = Language::Python;
    QDateTime finishedAt;
    RunReport report;
};

// How the report refers to a figure's PNG: by default a data: URI, so the
// HTML is one self-contained file; a PDF writer gives names it has added
// as QTextDocument resources instead. `index` counts figures from 1.
using FigureSource = std::function<QString(int index, const QByteArray &png)>;

// The report as one HTML page: the snippet, its output, figures, tables,
// the verdict and findings, the cost and the time. Everything the sandbox
// produced is escaped, and the page's Content-Security-Policy allows no
// script and no fetch, so a hostile output cannot act when it is opened.
QString runReportHtml(const ReportedRun &run, const FigureSource &figureSource = {});

} // namespace safecell
