#pragma once

#include "common/Expected.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <variant>

namespace safecell {

// TeamPassword: the team ledger's PostgreSQL password (issue 21).
enum class KeyId { Cohere, E2b, ApiToken, TeamPassword };

QString keyName(KeyId id);                // the keychain entry, e.g. "cohere-api-key"
QString keyDisplayName(KeyId id);         // for messages, e.g. "Cohere API key"
QString keyEnvironmentVariable(KeyId id); // e.g. "COHERE_API_KEY"; empty when none

struct KeyError {
    enum class Kind {
        NotFound,    // the keychain works; this key was never stored
        Unavailable, // no keychain (no Secret Service, locked, access denied)
        Failed,      // the keychain answered with another error
    };
    Kind kind = Kind::Failed;
    QString message; // says what the user can do; never contains a key
};

using KeyResult = Expected<QString, KeyError>;
using KeyStatus = Expected<std::monostate, KeyError>;

// API keys in the OS keychain through QtKeychain, namespaced by service.
// Every call is asynchronous; the callback runs in `context`'s thread and
// never runs once `context` is gone. QtKeychain's insecure plaintext
// fallback is never enabled: without a keychain the answer is Unavailable.
class KeyStore : public QObject {
    Q_OBJECT
public:
    static constexpr const char *kDefaultService = "org.safecell.SafeCell";

    explicit KeyStore(QString service = QString::fromLatin1(kDefaultService), QObject *parent = nullptr);

    // When set (the default), COHERE_API_KEY and E2B_API_KEY answer reads
    // before the keychain is asked, for headless use.
    void setEnvironmentOverride(bool enabled) { m_environmentOverride = enabled; }
    static std::optional<QString> environmentValue(KeyId id);

    void read(KeyId id, QObject *context, std::function<void(KeyResult)> done);
    void write(KeyId id, const QString &secret, QObject *context, std::function<void(KeyStatus)> done);
    void remove(KeyId id, QObject *context, std::function<void(KeyStatus)> done);

    QString service() const { return m_service; }

private:
    QString m_service;
    bool m_environmentOverride = true;
};

} // namespace safecell

namespace safecell {

// A key that may be absent. An empty `value` means there is none; `problem`
// is set when the keychain could not be asked (no Secret Service, a locked
// collection, access denied), which is not the same as "no key stored" and
// is shown to the user with what to do.
struct KeyLookup {
    QString value;
    std::optional<KeyError> problem;
};

void lookupKey(KeyStore &store, KeyId id, QObject *context, std::function<void(KeyLookup)> done);

// The keys a run may use, read once before the run's worker starts, so no
// key is ever read on a run's thread.
struct RunKeys {
    KeyLookup e2b;
    KeyLookup cohere;
    // The team ledger's password (Settings > Team), for the team's
    // PostgreSQL server; empty: libpq's PGPASSWORD or ~/.pgpass, or none.
    KeyLookup team;
    // The keychain's problem when a read that needed it hit one.
    std::optional<KeyError> keychainProblem() const;
};

void lookupRunKeys(KeyStore &store, QObject *context, std::function<void(RunKeys)> done);

} // namespace safecell
