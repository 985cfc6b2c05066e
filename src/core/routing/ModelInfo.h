#pragma once

#include "budget/CostModel.h"

#include <QList>
#include <QString>

#include <optional>

namespace safecell {

// What SafeCell asks a model to do.
enum class Purpose { Classify, Generate, Explain };
QString purposeName(Purpose purpose); // "classify", "generate", "explain"
std::optional<Purpose> purposeFromName(const QString &name);

// One catalogue entry.
struct ModelInfo {
    QString id;
    QString provider;
    QString name;
    QString status;                  // "live", "deprecated", ...
    std::optional<ModelPrice> price; // nullopt: no known price, never usable
    qint64 contextTokens = 0;
    qint64 maxOutputTokens = 0;
    QList<Purpose> capabilities;
    QString priceSource;

    bool can(Purpose purpose) const { return capabilities.contains(purpose); }
    // Priced and not retired: the only models a paid step may use.
    bool isUsable() const { return price.has_value() && status != QLatin1String("deprecated"); }
};

} // namespace safecell
