#pragma once

#include "sandbox/Execution.h"

#include <QJsonObject>

#include <optional>

namespace safecell {

// The key SafeCell's own SQL runner puts in an `application/json` display
// (E2B's `json` field) so that its result set is told apart from user output.
inline constexpr char kSafecellTableKey[] = "safecell_table";

// Maps one E2B `result` message onto a RichResult: text, HTML, PNG (decoded),
// and a table from either a DataFrame's `data` (to_dict(orient="list")) or
// SafeCell's SQL result set, which is the run's main result.
// `line` is the message's text, for the DataFrame's column order.
RichResult richResultFromE2b(const QJsonObject &message, const QByteArray &line = {});

// A DataFrame as E2B sends it: {"col": [values...], ...}.
// `columnOrder` (from the text) wins over QJsonObject's sorted keys.
std::optional<TableData> tableFromDataField(const QJsonObject &data, const QStringList &columnOrder = {});
// SafeCell's SQL result: {"columns": [...], "types": [...], "rows": [[...]], "total_rows": n}.
std::optional<TableData> tableFromSafecellJson(const QJsonObject &table);

ExecutionError executionErrorFromE2b(const QJsonObject &message);

} // namespace safecell
