#include "RoutingSettings.h"

namespace safecell {

Setting preferredModelSetting(Purpose purpose)
{
    switch (purpose) {
    case Purpose::Classify:
        return Setting::RoutingClassifyModel;
    case Purpose::Generate:
        return Setting::RoutingGenerateModel;
    case Purpose::Explain:
        return Setting::RoutingExplainModel;
    }
    Q_UNREACHABLE();
}

QString catalogOverridePath(const Settings &settings)
{
    const QString path = settings.string(Setting::ModelCatalogFile).trimmed();
    return path.isEmpty() ? ModelCatalog::defaultOverridePath() : path;
}

RoutingPreferences withPreferredModel(RoutingPreferences preferences, Purpose purpose, const QString &modelId)
{
    if (modelId.isEmpty())
        return preferences;
    QStringList &chain = preferences.chains[purpose];
    chain.removeAll(modelId);
    chain.prepend(modelId);
    return preferences;
}

RoutingPreferences routingPreferences(const Settings &settings)
{
    RoutingPreferences preferences = RoutingPreferences::defaults();
    for (Purpose purpose : {Purpose::Classify, Purpose::Generate, Purpose::Explain})
        preferences = withPreferredModel(std::move(preferences), purpose,
                                         settings.string(preferredModelSetting(purpose)).trimmed());
    return preferences;
}

} // namespace safecell
