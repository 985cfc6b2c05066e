#pragma once

#include "ModelInfo.h"

#include "budget/CostModel.h"
#include "budget/Money.h"
#include "common/Expected.h"

#include <QByteArray>
#include <QDate>
#include <QList>

namespace safecell {

// The priced model catalogue: the built-in table (resources/routing/
// models.json, compiled in) merged with the user's override file. A model
// whose price is unknown cannot be costed, so it cannot be used.
class ModelCatalog {
public:
    static QString builtinPath(); // the installed routing/models.json, else the compiled-in one
    // models.json in the user's config folder (next to the settings).
    static QString defaultOverridePath();

    static Expected<ModelCatalog, QString> fromJson(const QByteArray &json);
    static Expected<ModelCatalog, QString> fromFile(const QString &path);
    // The built-in table, then the override file when it exists. A broken
    // override is an error, not silently ignored.
    static Expected<ModelCatalog, QString> load(const QString &overridePath = defaultOverridePath());

    // Merges an override document: models are matched by id, fields present
    // in the override replace the built-in ones (a null price removes it),
    // unknown ids are added.
    Expected<bool, QString> applyOverride(const QByteArray &json);

    QList<ModelInfo> models() const { return m_models; }
    std::optional<ModelInfo> model(const QString &id) const;
    QDate pricesAsOf() const { return m_pricesAsOf; }
    E2bRates e2bRates() const { return m_e2bRates; }
    SandboxSize e2bDefaultSize() const { return m_e2bSize; }

    // Billed tokens x price. Null token counts give 0; a model without a
    // known price gives an error, never $0.
    Expected<Money, QString> estimateCost(const QString &modelId, std::optional<qint64> inputTokens,
                                          std::optional<qint64> outputTokens) const;
    // What to reserve before a call: prompt tokens + the model's (or the
    // request's smaller) output cap.
    Expected<Money, QString> worstCaseCost(const QString &modelId, qint64 promptTokens,
                                           std::optional<qint64> maxOutputTokens = std::nullopt) const;
    // The settled charge of a call from its reported usage.
    Expected<Charge, QString> charge(const QString &modelId, std::optional<qint64> inputTokens,
                                     std::optional<qint64> outputTokens) const;

private:
    Expected<bool, QString> merge(const QByteArray &json, bool isOverride);

    QList<ModelInfo> m_models;
    QDate m_pricesAsOf;
    E2bRates m_e2bRates = E2bRates::published();
    SandboxSize m_e2bSize;
};

} // namespace safecell
