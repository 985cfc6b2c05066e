#pragma once

#include "sandbox/Execution.h"

#include <QJsonArray>
#include <QJsonObject>

namespace safecell::api {

// The response's `results`: each rich output of a run as a Jupyter-style
// mime bundle, {"data": {mime type: value}, "isMainResult": bool}, the
// same from both sandboxes. Types: text/plain, text/html, image/png
// (base64), image/svg+xml, and application/json for a table:
// {"columns", "types", "rows" (the first rows, as text), "totalRows",
// and "index" when the table has row labels (a DataFrame's index)}.
QJsonArray resultBundles(const QList<RichResult> &results);
QJsonObject resultBundle(const RichResult &result);
QJsonObject tableJson(const TableData &table);

} // namespace safecell::api
