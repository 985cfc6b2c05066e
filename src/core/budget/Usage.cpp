#include "Usage.h"

#include <QJsonObject>

#include <cmath>
#include <limits>

namespace safecell {

namespace {
// 2^53: beyond it a double no longer holds whole numbers exactly, and no
// real usage figure comes near it.
constexpr double kLargestCount = 9007199254740992.0;
} // namespace

qint64 usageCount(std::optional<qint64> count)
{
    return count && *count > 0 ? *count : 0;
}

qint64 usageCount(std::optional<double> count)
{
    if (!count || !std::isfinite(*count) || *count <= 0)
        return 0;
    return qint64(std::ceil(std::min(*count, kLargestCount)));
}

qint64 usageCount(const QJsonValue &count)
{
    if (!count.isDouble())
        return 0; // null, missing, string, bool, object
    return usageCount(std::optional<double>(count.toDouble()));
}

qint64 usageDurationMs(std::optional<double> seconds)
{
    if (!seconds || !std::isfinite(*seconds) || *seconds <= 0)
        return 0;
    return usageCount(std::optional<double>(*seconds * 1000.0));
}

TokenCounts billedTokensFromCohereUsage(const QJsonObject &usage)
{
    const QJsonObject billed = usage.value(QLatin1String("billed_units")).toObject();
    return {usageCount(billed.value(QLatin1String("input_tokens"))),
            usageCount(billed.value(QLatin1String("output_tokens")))};
}

} // namespace safecell
