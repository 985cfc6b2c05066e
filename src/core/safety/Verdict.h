#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace safecell {

enum class SafetyLabel { Safe = 0, Ambiguous = 1, Dangerous = 2 }; // ordered: worse is larger

QString safetyLabelName(SafetyLabel label); // "safe", "ambiguous", "dangerous"
std::optional<SafetyLabel> safetyLabelFromName(const QString &name);

// One reason for a label, reported the way a linter does.
struct Finding {
    QString rule; // e.g. "PY-PROC"
    SafetyLabel label = SafetyLabel::Safe;
    double confidence = 1.0;
    int line = 1;   // 1-based
    int column = 1; // 1-based
    int length = 0;
    QString text;   // the matched source text
    QString reason; // one line

    QJsonObject toJson() const;
};

struct Verdict {
    SafetyLabel label = SafetyLabel::Safe;
    double confidence = 1.0;
    QList<Finding> findings; // in source order

    QJsonObject toJson() const; // {label, confidence, findings: [...]}
};

} // namespace safecell

Q_DECLARE_METATYPE(safecell::Verdict)
