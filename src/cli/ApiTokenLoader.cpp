#include "ApiTokenLoader.h"

#include "api/ApiToken.h"

namespace safecell::cli {

void loadOrCreateApiToken(KeyStore &store, QObject *context, std::function<void(KeyResult)> done)
{
    store.read(KeyId::ApiToken, context, [&store, context, done](KeyResult result) {
        if (result || result.error().kind != KeyError::Kind::NotFound) {
            done(std::move(result));
            return;
        }
        const QString token = api::generateApiToken();
        store.write(KeyId::ApiToken, token, context, [token, done](KeyStatus status) {
            if (!status)
                done(unexpected(status.error()));
            else
                done(token);
        });
    });
}

} // namespace safecell::cli
