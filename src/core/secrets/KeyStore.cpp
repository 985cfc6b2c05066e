#include "KeyStore.h"

#include "common/Logging.h"
#include "secrets/KeychainJobs.h"

#include <qt6keychain/keychain.h>

#include <QMetaObject>
#include <QPointer>

namespace safecell {

namespace {

QString headlessHint(KeyId id)
{
    const QString variable = keyEnvironmentVariable(id);
    return variable.isEmpty() ? QString() : QStringLiteral(", or set %1 for headless use").arg(variable);
}

KeyError lockedError(KeyId id, const QString &detail)
{
    return {KeyError::Kind::Unavailable,
            QStringLiteral("The system keychain is locked%1, so the %2 cannot be read. Unlock it (log in to "
                           "the desktop, or open your keyring app and unlock the login keyring)%3.")
                .arg(detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(detail), keyDisplayName(id),
                     headlessHint(id))};
}

KeyError toKeyError(KeyId id, QKeychain::Error error, const QString &detail)
{
    using QKeychain::Error;
    switch (error) {
    case Error::EntryNotFound:
        return {KeyError::Kind::NotFound,
                QStringLiteral("No %1 is stored yet. Add it in Settings.").arg(keyDisplayName(id))};
    case Error::NoBackendAvailable:
    case Error::NotImplemented:
    case Error::AccessDenied:
    case Error::AccessDeniedByUser:
        if (detail.contains(QLatin1String("locked"), Qt::CaseInsensitive))
            return lockedError(id, detail);
        return {KeyError::Kind::Unavailable,
                QStringLiteral("The system keychain is unavailable (%1). Start a Secret Service such as GNOME "
                               "Keyring or KWallet and unlock it%2.")
                    .arg(detail, headlessHint(id))};
    case Error::NoError:
    case Error::CouldNotDeleteEntry:
    case Error::OtherError:
        break;
    }
    return {KeyError::Kind::Failed,
            QStringLiteral("The keychain could not handle the %1: %2").arg(keyDisplayName(id), detail)};
}

// QtKeychain reports a missing session bus or Secret Service as OtherError
// (libsecret's "Could not connect: ..."); to the user that is still "no
// keychain", with what to do about it, not an opaque failure.
QKeychain::Error normalise(QKeychain::Error error, const QString &detail)
{
    static const char *const kNoServiceHints[] = {"Could not connect", "D-Bus", "DBus", "org.freedesktop.secrets",
                                                  "No keychain service"};
    if (error != QKeychain::OtherError)
        return error;
    for (const char *hint : kNoServiceHints) {
        if (detail.contains(QLatin1String(hint), Qt::CaseInsensitive))
            return QKeychain::NoBackendAvailable;
    }
    return error;
}

// What went wrong with one operation, or nothing.
std::optional<KeyError> errorOf(KeyId id, const detail::KeychainAnswer &answer)
{
    const auto error = static_cast<QKeychain::Error>(answer.error);
    if (error == QKeychain::NoError)
        return std::nullopt;
    if (answer.locked)
        return lockedError(id, QString());
    const QKeychain::Error kind = normalise(error, answer.errorText);
    qCInfo(lcKeys) << keyName(id) << ": the keychain answered" << kind << answer.errorText;
    return toKeyError(id, kind, answer.errorText);
}

// Sends one keychain operation; `done` gets QtKeychain's answer in
// `context`'s thread, only while `context` exists.
void submit(detail::KeychainOp op, const QString &service, KeyId id, const QString &secret, QObject *context,
            std::function<void(const detail::KeychainAnswer &)> done)
{
    auto *reply = new detail::KeychainReply;
    QObject::connect(reply, &detail::KeychainReply::answered, context, std::move(done));
    detail::startKeychainJob(reply, op, service, keyName(id), secret);
}

} // namespace

QString keyName(KeyId id)
{
    switch (id) {
    case KeyId::Cohere:
        return QStringLiteral("cohere-api-key");
    case KeyId::E2b:
        return QStringLiteral("e2b-api-key");
    case KeyId::ApiToken:
        return QStringLiteral("local-api-token");
    case KeyId::TeamPassword:
        return QStringLiteral("team-server-password");
    }
    return {};
}

QString keyDisplayName(KeyId id)
{
    switch (id) {
    case KeyId::Cohere:
        return QStringLiteral("Cohere API key");
    case KeyId::E2b:
        return QStringLiteral("E2B API key");
    case KeyId::ApiToken:
        return QStringLiteral("local API token");
    case KeyId::TeamPassword:
        return QStringLiteral("team server password");
    }
    return {};
}

QString keyEnvironmentVariable(KeyId id)
{
    switch (id) {
    case KeyId::Cohere:
        return QStringLiteral("COHERE_API_KEY");
    case KeyId::E2b:
        return QStringLiteral("E2B_API_KEY");
    case KeyId::ApiToken:
        return QStringLiteral("SAFECELL_API_TOKEN");
    case KeyId::TeamPassword:
        return QStringLiteral("PGPASSWORD"); // libpq's own
    }
    return {};
}

KeyStore::KeyStore(QString service, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service))
{
}

std::optional<QString> KeyStore::environmentValue(KeyId id)
{
    const QString variable = keyEnvironmentVariable(id);
    if (variable.isEmpty())
        return std::nullopt;
    const QString value = qEnvironmentVariable(variable.toLatin1().constData());
    if (value.isEmpty())
        return std::nullopt;
    return value;
}

void KeyStore::read(KeyId id, QObject *context, std::function<void(KeyResult)> done)
{
    if (m_environmentOverride) {
        if (auto value = environmentValue(id)) {
            qCDebug(lcKeys) << "using" << keyEnvironmentVariable(id) << "for" << keyName(id);
            // Stay asynchronous even here, so callers never see a re-entrant answer.
            QMetaObject::invokeMethod(
                context, [done = std::move(done), value = *value] { done(value); }, Qt::QueuedConnection);
            return;
        }
    }
    submit(detail::KeychainOp::Read, m_service, id, {}, context,
           [id, done = std::move(done)](const detail::KeychainAnswer &answer) {
        if (const auto error = errorOf(id, answer))
            done(unexpected(*error));
        else
            done(answer.secret);
    });
}

void KeyStore::write(KeyId id, const QString &secret, QObject *context, std::function<void(KeyStatus)> done)
{
    submit(detail::KeychainOp::Write, m_service, id, secret, context,
           [id, done = std::move(done)](const detail::KeychainAnswer &answer) {
        if (const auto error = errorOf(id, answer)) {
            qCWarning(lcKeys) << "storing" << keyName(id) << "failed";
            done(unexpected(*error));
            return;
        }
        qCInfo(lcKeys) << "stored" << keyName(id);
        done(std::monostate{});
    });
}

void KeyStore::remove(KeyId id, QObject *context, std::function<void(KeyStatus)> done)
{
    submit(detail::KeychainOp::Remove, m_service, id, {}, context,
           [id, done = std::move(done)](const detail::KeychainAnswer &answer) {
        const auto error = errorOf(id, answer);
        // Removing what is not there leaves the wanted state: no key.
        if (error && error->kind != KeyError::Kind::NotFound) {
            done(unexpected(*error));
            return;
        }
        qCInfo(lcKeys) << "removed" << keyName(id);
        done(std::monostate{});
    });
}

void lookupKey(KeyStore &store, KeyId id, QObject *context, std::function<void(KeyLookup)> done)
{
    store.read(id, context, [id, done = std::move(done)](KeyResult result) {
        if (result) {
            done(KeyLookup{*result, std::nullopt});
            return;
        }
        if (result.error().kind == KeyError::Kind::NotFound) {
            done(KeyLookup{});
            return;
        }
        qCInfo(lcKeys) << "the keychain could not be read for" << keyName(id) << ":" << result.error().message;
        done(KeyLookup{QString(), result.error()});
    });
}

std::optional<KeyError> RunKeys::keychainProblem() const
{
    return e2b.problem ? e2b.problem : cohere.problem;
}

void lookupRunKeys(KeyStore &store, QObject *context, std::function<void(RunKeys)> done)
{
    // One after the other: QtKeychain runs its jobs one at a time anyway.
    lookupKey(store, KeyId::E2b, context,
              [store = QPointer<KeyStore>(&store), context, done = std::move(done)](KeyLookup e2b) mutable {
        if (!store) {
            done(RunKeys{e2b,
                         KeyLookup{QString(),
                                   KeyError{KeyError::Kind::Failed, QStringLiteral("The key store was closed.")}},
                         {}});
            return;
        }
        lookupKey(*store, KeyId::Cohere, context,
                  [store, context, e2b = std::move(e2b), done = std::move(done)](KeyLookup cohere) mutable {
            if (!store) {
                done(RunKeys{e2b, cohere, {}});
                return;
            }
            lookupKey(*store, KeyId::TeamPassword, context,
                      [e2b = std::move(e2b), cohere = std::move(cohere), done = std::move(done)](KeyLookup team) {
                done(RunKeys{e2b, cohere, team});
            });
        });
    });
}

} // namespace safecell
