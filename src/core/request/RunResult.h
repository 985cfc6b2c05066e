#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace safecell {

// The original recipe's response body. `result` and `error` are null when
// the run produced none.
struct RunResult {
    std::optional<QString> result;
    QString stdoutText;
    QString stderrText;
    std::optional<QString> error;
    QString executionId;

    QJsonObject toJson() const;
};

} // namespace safecell
