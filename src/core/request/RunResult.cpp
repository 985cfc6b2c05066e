#include "RunResult.h"

#include <QJsonValue>

namespace safecell {

namespace {
QJsonValue orNull(const std::optional<QString> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}
} // namespace

QJsonObject RunResult::toJson() const
{
    return QJsonObject{
        {QStringLiteral("result"), orNull(result)},   {QStringLiteral("stdout"), stdoutText},
        {QStringLiteral("stderr"), stderrText},       {QStringLiteral("error"), orNull(error)},
        {QStringLiteral("executionId"), executionId},
    };
}

} // namespace safecell
