#include "ModelCatalog.h"
#include "common/DataPaths.h"

#include "common/Logging.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace safecell {

QString purposeName(Purpose purpose)
{
    switch (purpose) {
    case Purpose::Classify:
        return QStringLiteral("classify");
    case Purpose::Generate:
        return QStringLiteral("generate");
    case Purpose::Explain:
        return QStringLiteral("explain");
    }
    Q_UNREACHABLE();
}

std::optional<Purpose> purposeFromName(const QString &name)
{
    for (Purpose p : {Purpose::Classify, Purpose::Generate, Purpose::Explain}) {
        if (purposeName(p) == name)
            return p;
    }
    return std::nullopt;
}

namespace {

// A price field: a number or a decimal string in dollars; null or absent is
// no price.
Expected<std::optional<Money>, QString> priceField(const QJsonValue &value, const QString &where)
{
    if (value.isNull() || value.isUndefined())
        return std::optional<Money>();
    std::optional<Money> money;
    if (value.isDouble())
        money = Money::fromUsd(value.toDouble());
    else if (value.isString())
        money = Money::fromDecimalUsd(value.toString());
    if (!money)
        return unexpected(QStringLiteral("%1: not a price in dollars").arg(where));
    return money;
}

Expected<bool, QString> mergeModel(ModelInfo &model, const QJsonObject &o)
{
    const QString where = QStringLiteral("model %1").arg(model.id);
    auto text = [&](const char *key, QString &field) {
        if (o.contains(QLatin1String(key)))
            field = o.value(QLatin1String(key)).toString();
    };
    text("provider", model.provider);
    text("name", model.name);
    text("status", model.status);
    text("priceSource", model.priceSource);
    for (const char *key : {"contextTokens", "maxOutputTokens"}) {
        if (!o.contains(QLatin1String(key)))
            continue;
        const QJsonValue v = o.value(QLatin1String(key));
        if (!v.isDouble() || v.toDouble() < 0)
            return unexpected(QStringLiteral("%1: %2 is not a token count").arg(where, QLatin1String(key)));
        (qstrcmp(key, "contextTokens") == 0 ? model.contextTokens : model.maxOutputTokens) = qint64(v.toDouble());
    }
    if (o.contains(QLatin1String("capabilities"))) {
        model.capabilities.clear();
        const QJsonArray caps = o.value(QLatin1String("capabilities")).toArray();
        for (const QJsonValue &cap : caps) {
            if (auto purpose = purposeFromName(cap.toString()))
                model.capabilities << *purpose;
        }
    }
    const bool hasIn = o.contains(QLatin1String("inputPerMillionUsd"));
    const bool hasOut = o.contains(QLatin1String("outputPerMillionUsd"));
    if (hasIn || hasOut) {
        auto in = priceField(o.value(QLatin1String("inputPerMillionUsd")), where);
        auto out = priceField(o.value(QLatin1String("outputPerMillionUsd")), where);
        if (!in)
            return unexpected(in.error());
        if (!out)
            return unexpected(out.error());
        // An override naming one side keeps the other side's known price.
        if (!hasIn && model.price)
            in.value() = Money::fromNanos(model.price->inputNanosPerMillion);
        if (!hasOut && model.price)
            out.value() = Money::fromNanos(model.price->outputNanosPerMillion);
        // Half a price is no price: both sides must be known.
        if (*in && *out)
            model.price = ModelPrice{(*in)->nanos(), (*out)->nanos()};
        else
            model.price.reset();
    }
    return true;
}

Expected<qint64, QString> rateField(const QJsonObject &o, const char *key, qint64 fallback)
{
    if (!o.contains(QLatin1String(key)))
        return fallback;
    auto money = priceField(o.value(QLatin1String(key)), QString::fromLatin1(key));
    if (!money)
        return unexpected(money.error());
    if (!*money)
        return unexpected(QStringLiteral("%1 cannot be null").arg(QLatin1String(key)));
    return (*money)->nanos();
}

} // namespace

QString ModelCatalog::builtinPath()
{
    return dataFile(QStringLiteral("routing/models.json"));
}

QString ModelCatalog::defaultOverridePath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(QStringLiteral("models.json"));
}

Expected<bool, QString> ModelCatalog::merge(const QByteArray &json, bool isOverride)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return unexpected(QStringLiteral("not a JSON object: %1").arg(parseError.errorString()));
    const QJsonObject root = doc.object();
    if (root.contains(QLatin1String("pricesAsOf"))) {
        const QDate asOf = QDate::fromString(root.value(QLatin1String("pricesAsOf")).toString(), Qt::ISODate);
        if (!asOf.isValid())
            return unexpected(QStringLiteral("pricesAsOf is not a date (YYYY-MM-DD)"));
        m_pricesAsOf = asOf;
    } else if (!isOverride) {
        return unexpected(QStringLiteral("the catalogue has no pricesAsOf date"));
    }
    const QJsonArray models = root.value(QLatin1String("models")).toArray();
    for (const QJsonValue &value : models) {
        const QJsonObject o = value.toObject();
        const QString id = o.value(QLatin1String("id")).toString();
        if (id.isEmpty())
            return unexpected(QStringLiteral("a model has no id"));
        auto it = std::find_if(m_models.begin(), m_models.end(), [&](const ModelInfo &m) { return m.id == id; });
        ModelInfo fresh;
        fresh.id = id;
        fresh.status = QStringLiteral("live");
        ModelInfo &model = it != m_models.end() ? *it : fresh;
        if (auto merged = mergeModel(model, o); !merged)
            return merged;
        if (it == m_models.end())
            m_models << fresh;
    }
    const QJsonObject e2b = root.value(QLatin1String("sandboxes")).toObject().value(QLatin1String("e2b")).toObject();
    auto vcpu = rateField(e2b, "vcpuPerSecondUsd", m_e2bRates.nanosPerVcpuSecond);
    auto gib = rateField(e2b, "gibPerSecondUsd", m_e2bRates.nanosPerGibSecond);
    if (!vcpu)
        return unexpected(vcpu.error());
    if (!gib)
        return unexpected(gib.error());
    m_e2bRates = E2bRates{*vcpu, *gib};
    m_e2bSize.vcpus = e2b.value(QLatin1String("defaultVcpus")).toInt(m_e2bSize.vcpus);
    m_e2bSize.memoryMiB = e2b.value(QLatin1String("defaultMemoryMiB")).toInt(m_e2bSize.memoryMiB);
    return true;
}

Expected<ModelCatalog, QString> ModelCatalog::fromJson(const QByteArray &json)
{
    ModelCatalog catalog;
    if (auto merged = catalog.merge(json, false); !merged)
        return unexpected(merged.error());
    return catalog;
}

Expected<ModelCatalog, QString> ModelCatalog::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return unexpected(QStringLiteral("%1: %2").arg(path, file.errorString()));
    auto catalog = fromJson(file.readAll());
    if (!catalog)
        return unexpected(QStringLiteral("%1: %2").arg(path, catalog.error()));
    return catalog;
}

Expected<bool, QString> ModelCatalog::applyOverride(const QByteArray &json)
{
    ModelCatalog merged = *this; // all or nothing
    if (auto result = merged.merge(json, true); !result)
        return result;
    *this = std::move(merged);
    return true;
}

Expected<ModelCatalog, QString> ModelCatalog::load(const QString &overridePath)
{
    auto catalog = fromFile(builtinPath());
    if (!catalog || overridePath.isEmpty() || !QFile::exists(overridePath))
        return catalog;
    QFile file(overridePath);
    if (!file.open(QIODevice::ReadOnly))
        return unexpected(QStringLiteral("%1: %2").arg(overridePath, file.errorString()));
    if (auto applied = catalog->applyOverride(file.readAll()); !applied)
        return unexpected(QStringLiteral("%1: %2").arg(overridePath, applied.error()));
    qCInfo(lcRouting) << "model prices overridden from" << overridePath;
    return catalog;
}

std::optional<ModelInfo> ModelCatalog::model(const QString &id) const
{
    for (const ModelInfo &m : m_models) {
        if (m.id == id)
            return m;
    }
    return std::nullopt;
}

Expected<Money, QString> ModelCatalog::estimateCost(const QString &modelId, std::optional<qint64> inputTokens,
                                                    std::optional<qint64> outputTokens) const
{
    auto c = charge(modelId, inputTokens, outputTokens);
    if (!c)
        return unexpected(c.error());
    return c->cost;
}

Expected<Money, QString> ModelCatalog::worstCaseCost(const QString &modelId, qint64 promptTokens,
                                                     std::optional<qint64> maxOutputTokens) const
{
    const auto m = model(modelId);
    if (!m)
        return unexpected(QStringLiteral("unknown model %1").arg(modelId));
    qint64 output = m->maxOutputTokens;
    if (maxOutputTokens && *maxOutputTokens >= 0 && (output <= 0 || *maxOutputTokens < output))
        output = *maxOutputTokens;
    return estimateCost(modelId, promptTokens, output);
}

Expected<Charge, QString> ModelCatalog::charge(const QString &modelId, std::optional<qint64> inputTokens,
                                               std::optional<qint64> outputTokens) const
{
    const auto m = model(modelId);
    if (!m)
        return unexpected(QStringLiteral("unknown model %1").arg(modelId));
    if (!m->price)
        return unexpected(QStringLiteral("model %1 has no known price; it cannot be used").arg(modelId));
    return cost::llmCharge(modelId, *m->price, inputTokens, outputTokens);
}

} // namespace safecell
