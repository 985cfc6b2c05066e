#pragma once

#include "common/Expected.h"
#include "sandbox/Execution.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace safecell::cli {

// The files `safecell run` writes besides its output: figures
// (--save-figures) and the report (--report). Each is checked before the
// run, so a bad path costs no run, and written whole or not at all.

// `safecell run --save-figures DIR`: the folder is made (or found) and
// checked for writing before the run, so a bad folder costs no run.
Expected<QString, QString> prepareFigureFolder(const QString &folder);

// Writes each figure of `results` (a result with a PNG or an SVG) into
// `folder` as <stem>-<n>.png and, when the sandbox sent one, <stem>-<n>.svg,
// n counting figures from 1. Each file is written whole or not at all
// (QSaveFile): a failure leaves no half-written file. Returns the paths
// written, or what failed (the files written before it stay).
Expected<QStringList, QString> saveFigures(const QList<RichResult> &results, const QString &folder,
                                           const QString &stem);

// `safecell run --report FILE`: FILE's folder must exist and take a write,
// and FILE must not be a folder. Returns the absolute path.
Expected<QString, QString> prepareReportFile(const QString &path);
// Writes the report (RunReportHtml) whole, replacing any file there.
Expected<QString, QString> writeReport(const QString &path, const QString &html);

} // namespace safecell::cli
