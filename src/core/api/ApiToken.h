#pragma once

#include <QString>

namespace safecell::api {

// A fresh bearer token: 32 bytes from the system's CSPRNG, base64url.
QString generateApiToken();

} // namespace safecell::api
