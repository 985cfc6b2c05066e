#include "KeychainJobs.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QMetaObject>
#include <QThread>

namespace safecell::detail {

namespace {

constexpr int kLockedQueryTimeoutMs = 5000;

QKeychain::Job *makeJob(KeychainOp op, const QString &service, const QString &secret)
{
    QKeychain::Job *job = nullptr;
    switch (op) {
    case KeychainOp::Read:
        job = new QKeychain::ReadPasswordJob(service);
        break;
    case KeychainOp::Write: {
        auto *write = new QKeychain::WritePasswordJob(service);
        write->setTextData(secret);
        job = write;
        break;
    }
    case KeychainOp::Remove:
        job = new QKeychain::DeletePasswordJob(service);
        break;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plaintext file
    return job;
}

void answer(KeychainReply *reply, const KeychainAnswer &answer)
{
    Q_EMIT reply->answered(answer);
    reply->deleteLater();
}

// libsecret finds nothing in a locked collection that it cannot unlock (no
// prompter without a desktop), so QtKeychain says "entry not found" for a
// key that may well be stored. The Secret Service itself tells whether the
// default collection is locked.
void answerNotFound(KeychainReply *reply, KeychainAnswer notFound)
{
    QDBusMessage get = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.secrets"),
                                                      QStringLiteral("/org/freedesktop/secrets/aliases/default"),
                                                      QStringLiteral("org.freedesktop.DBus.Properties"),
                                                      QStringLiteral("Get"));
    get << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
    auto *watcher = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(get, kLockedQueryTimeoutMs),
                                                reply);
    QObject::connect(watcher, &QDBusPendingCallWatcher::finished, reply, [reply, watcher, notFound]() mutable {
        watcher->deleteLater();
        const QDBusPendingReply<QDBusVariant> locked = *watcher;
        notFound.locked = locked.isValid() && locked.value().variant().toBool();
        answer(reply, notFound);
    });
}

// Runs on the application thread.
void runJob(KeychainReply *reply, KeychainOp op, const QString &service, const QString &key, const QString &secret)
{
    QKeychain::Job *job = makeJob(op, service, secret);
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, reply, [reply, op](QKeychain::Job *done) {
        KeychainAnswer result;
        result.error = done->error();
        if (done->error() != QKeychain::NoError)
            result.errorText = done->errorString();
        else if (op == KeychainOp::Read)
            result.secret = static_cast<QKeychain::ReadPasswordJob *>(done)->textData();
        if (done->error() == QKeychain::EntryNotFound)
            answerNotFound(reply, result);
        else
            answer(reply, result);
    });
    job->start();
}

} // namespace

void startKeychainJob(KeychainReply *reply, KeychainOp op, const QString &service, const QString &key,
                      const QString &secret)
{
    QCoreApplication *app = QCoreApplication::instance();
    Q_ASSERT_X(app, "startKeychainJob", "the keychain needs a QCoreApplication");
    reply->moveToThread(app->thread());
    // Posted to the application object, which outlives every job: the job
    // is created, started and finished on the application thread.
    QMetaObject::invokeMethod(
        app, [reply, op, service, key, secret] { runJob(reply, op, service, key, secret); }, Qt::QueuedConnection);
}

} // namespace safecell::detail
