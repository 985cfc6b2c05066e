#pragma once

#include "secrets/KeyStore.h"

#include <QObject>

#include <functional>

namespace safecell::cli {

// Reads the API token from the keychain, generating and storing one the
// first time; concurrent first starts agree on one token. `done` gets the
// token or the keychain's error.
void loadOrCreateApiToken(KeyStore &store, QObject *context, std::function<void(KeyResult)> done);

} // namespace safecell::cli
