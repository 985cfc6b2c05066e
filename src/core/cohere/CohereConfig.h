#pragma once

#include <QUrl>

namespace safecell {

class Settings;

// Where Cohere lives: $SAFECELL_COHERE_URL when set, else the CohereBaseUrl
// setting, else https://api.cohere.com. The environment wins so tests and
// CI can point any SafeCell process at a fake.
QUrl cohereBaseUrl(const Settings &settings);

// base + "/v2/chat", keeping any path prefix the base has.
QUrl cohereChatUrl(const QUrl &baseUrl);

} // namespace safecell
