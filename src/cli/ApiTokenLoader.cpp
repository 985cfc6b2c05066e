#include "ApiTokenLoader.h"

#include "api/ApiToken.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QLockFile>
#include <QStandardPaths>
#include <QTimer>

#include <memory>

namespace safecell::cli {

namespace {

// Two first starts at once (`serve` and `token`, or two `serve`s) must not
// each store a token of their own: the later write would leave the other
// server checking a token no client can read. Creation holds a lock file
// among the user's runtime files and reads the keychain again under it, so
// the second start finds the first one's token. The lock is polled, not
// waited on, so the event loop (and the keychain's replies) keep going.
constexpr int kLockPollMs = 50;
constexpr int kLockWaitMs = 15000;

QString lockPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty())
        dir = QDir::tempPath();
    return QDir(dir).filePath(QStringLiteral("safecell-api-token.lock"));
}

struct Creation {
    Creation(KeyStore &s, QObject *c, std::function<void(KeyResult)> d)
        : store(s)
        , context(c)
        , done(std::move(d))
    {
    }

    KeyStore &store;
    QObject *context;
    std::function<void(KeyResult)> done;
    QLockFile lock{lockPath()};
    QDeadlineTimer deadline{kLockWaitMs};

    void finish(KeyResult result)
    {
        lock.unlock();
        done(std::move(result));
    }
};

void createUnderLock(const std::shared_ptr<Creation> &creation)
{
    if (!creation->lock.tryLock(0)) {
        if (creation->deadline.hasExpired()) {
            creation->done(unexpected(
                KeyError{KeyError::Kind::Failed, QStringLiteral("another SafeCell kept the API token's lock %1 for "
                                                                "over %2 s")
                                                     .arg(lockPath())
                                                     .arg(kLockWaitMs / 1000)}));
            return;
        }
        QTimer::singleShot(kLockPollMs, creation->context, [creation] { createUnderLock(creation); });
        return;
    }
    creation->store.read(KeyId::ApiToken, creation->context, [creation](KeyResult result) {
        if (result || result.error().kind != KeyError::Kind::NotFound) {
            creation->finish(std::move(result)); // another start stored it meanwhile
            return;
        }
        const QString token = api::generateApiToken();
        creation->store.write(KeyId::ApiToken, token, creation->context, [creation, token](KeyStatus status) {
            if (!status)
                creation->finish(unexpected(status.error()));
            else
                creation->finish(token);
        });
    });
}

} // namespace

void loadOrCreateApiToken(KeyStore &store, QObject *context, std::function<void(KeyResult)> done)
{
    store.read(KeyId::ApiToken, context, [&store, context, done](KeyResult result) {
        if (result || result.error().kind != KeyError::Kind::NotFound) {
            done(std::move(result));
            return;
        }
        createUnderLock(std::make_shared<Creation>(store, context, done));
    });
}

} // namespace safecell::cli
