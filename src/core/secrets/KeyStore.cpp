#include "KeyStore.h"

#include "common/Logging.h"

#include <qt6keychain/keychain.h>

#include <QMetaObject>
#include <QPointer>

namespace safecell {

namespace {

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
    case Error::AccessDeniedByUser: {
        QString message = QStringLiteral("The system keychain is unavailable (%1). Start a Secret "
                                         "Service such as GNOME Keyring or KWallet and unlock it")
                              .arg(detail);
        const QString variable = keyEnvironmentVariable(id);
        if (!variable.isEmpty())
            message += QStringLiteral(", or set %1 for headless use").arg(variable);
        return {KeyError::Kind::Unavailable, message + QLatin1Char('.')};
    }
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
    static const char *const kNoServiceHints[] = {"Could not connect", "D-Bus", "DBus",
                                                  "org.freedesktop.secrets", "No keychain service"};
    if (error != QKeychain::OtherError)
        return error;
    for (const char *hint : kNoServiceHints) {
        if (detail.contains(QLatin1String(hint), Qt::CaseInsensitive))
            return QKeychain::NoBackendAvailable;
    }
    return error;
}

template <class Job>
Job *makeJob(const QString &service, KeyId id)
{
    auto *job = new Job(service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(keyName(id));
    return job;
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
        break;
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
    auto *job = makeJob<QKeychain::ReadPasswordJob>(m_service, id);
    connect(job, &QKeychain::Job::finished, context, [job, id, done = std::move(done)] {
        if (job->error() == QKeychain::NoError) {
            done(job->textData());
            return;
        }
        const QKeychain::Error error = normalise(job->error(), job->errorString());
        qCInfo(lcKeys) << "reading" << keyName(id) << "failed:" << error << job->errorString();
        done(unexpected(toKeyError(id, error, job->errorString())));
    });
    job->start();
}

void KeyStore::write(KeyId id, const QString &secret, QObject *context,
                     std::function<void(KeyStatus)> done)
{
    auto *job = makeJob<QKeychain::WritePasswordJob>(m_service, id);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, context, [job, id, done = std::move(done)] {
        if (job->error() == QKeychain::NoError) {
            qCInfo(lcKeys) << "stored" << keyName(id);
            done(std::monostate{});
            return;
        }
        const QKeychain::Error error = normalise(job->error(), job->errorString());
        qCWarning(lcKeys) << "storing" << keyName(id) << "failed:" << error << job->errorString();
        done(unexpected(toKeyError(id, error, job->errorString())));
    });
    job->start();
}

void KeyStore::remove(KeyId id, QObject *context, std::function<void(KeyStatus)> done)
{
    auto *job = makeJob<QKeychain::DeletePasswordJob>(m_service, id);
    connect(job, &QKeychain::Job::finished, context, [job, id, done = std::move(done)] {
        if (job->error() == QKeychain::NoError) {
            qCInfo(lcKeys) << "removed" << keyName(id);
            done(std::monostate{});
            return;
        }
        const QKeychain::Error error = normalise(job->error(), job->errorString());
        done(unexpected(toKeyError(id, error, job->errorString())));
    });
    job->start();
}

void readOptionalKey(KeyStore &store, KeyId id, QObject *context, std::function<void(QString)> done)
{
    store.read(id, context, [id, done = std::move(done)](KeyResult result) {
        if (result) {
            done(*result);
            return;
        }
        if (result.error().kind != KeyError::Kind::NotFound)
            qCInfo(lcKeys) << "no" << keyName(id) << "available:" << result.error().message;
        done(QString());
    });
}

} // namespace safecell
