#pragma once

#include <QString>
#include <QUrl>

namespace safecell {

class Settings;

// Where Cohere lives: $SAFECELL_COHERE_URL when set, else the CohereBaseUrl
// setting, else https://api.cohere.com. The environment wins so tests and
// CI can point any SafeCell process at a fake.
QUrl cohereBaseUrl(const Settings &settings);

// base + endpoint ("/v2/chat"), keeping any path prefix the base has.
QUrl cohereEndpointUrl(const QUrl &baseUrl, const QString &endpoint);
inline QUrl cohereChatUrl(const QUrl &baseUrl)
{
    return cohereEndpointUrl(baseUrl, QStringLiteral("/v2/chat"));
}

} // namespace safecell
