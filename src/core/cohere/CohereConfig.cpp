#include "cohere/CohereConfig.h"

#include "settings/Settings.h"

namespace safecell {

QUrl cohereBaseUrl(const Settings &settings)
{
    const QString fromEnv = qEnvironmentVariable("SAFECELL_COHERE_URL").trimmed();
    if (!fromEnv.isEmpty())
        return QUrl(fromEnv);
    const QString fromSettings = settings.string(Setting::CohereBaseUrl).trimmed();
    if (!fromSettings.isEmpty())
        return QUrl(fromSettings);
    return QUrl(settingDefault(Setting::CohereBaseUrl).toString());
}

QUrl cohereEndpointUrl(const QUrl &baseUrl, const QString &endpoint)
{
    QUrl url = baseUrl;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + endpoint);
    return url;
}

} // namespace safecell
