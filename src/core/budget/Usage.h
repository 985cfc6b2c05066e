#pragma once

#include <QJsonValue>
#include <QtGlobal>

#include <optional>

class QJsonObject;

namespace safecell {

// Usage figures as the services report them are untrusted: a field can be
// null, missing, a string, NaN or negative. All of those count as zero, so a
// cost is never NaN and never negative.
qint64 usageCount(std::optional<qint64> count);
qint64 usageCount(std::optional<double> count);
qint64 usageCount(const QJsonValue &count);
// Seconds as milliseconds, rounded up (billing never undercounts).
qint64 usageDurationMs(std::optional<double> seconds);

struct TokenCounts {
    qint64 input = 0;
    qint64 output = 0;
};

// The billed tokens of a Cohere v2 `usage` object (protocols.md §2.3:
// billing uses `billed_units`, not `tokens`). A missing object gives zeros.
TokenCounts billedTokensFromCohereUsage(const QJsonObject &usage);

} // namespace safecell
