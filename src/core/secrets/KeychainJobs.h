#pragma once

#include "secrets/KeyStore.h"

#include <QObject>
#include <QString>

namespace safecell::detail {

// What QtKeychain answered for one job, carried from the application thread
// to the caller's thread.
struct KeychainAnswer {
    int error = 0;       // QKeychain::Error
    bool locked = false; // "not found" only because the collection is locked
    QString errorText;   // QtKeychain's own words; never holds a secret
    QString secret;      // a read's value
};

// Delivers one job's answer to the caller's context object. It is created
// on the caller's thread, connected to the context there, then moved to the
// application thread, where the job finishes: a context deleted meanwhile
// simply has no connection left, and Qt's signal machinery, not a raw
// pointer, decides whether the answer is delivered.
class KeychainReply : public QObject {
    Q_OBJECT
Q_SIGNALS:
    void answered(const safecell::detail::KeychainAnswer &answer);
};

enum class KeychainOp { Read, Write, Remove };

// Starts a QtKeychain job for `reply` on the application's main thread.
// Every job of the process starts and finishes there: QtKeychain queues its
// jobs through one global executor object that is not thread-safe and
// belongs to the thread of the first job, so jobs started on short-lived
// run threads left queued events pointing at deleted objects. Thread-safe.
void startKeychainJob(KeychainReply *reply, KeychainOp op, const QString &service, const QString &key,
                      const QString &secret = {});

} // namespace safecell::detail

Q_DECLARE_METATYPE(safecell::detail::KeychainAnswer)
