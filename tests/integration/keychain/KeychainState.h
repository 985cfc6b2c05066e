#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

namespace safecell::test {

// One keychain state of a user's machine, prepared for the processes a test
// starts (never for the test's own process, whose bus connection is fixed):
// its own session bus and GNOME Keyring where the state has one (from
// tests/keychain/start-keychain.sh), its own home, data and runtime folders,
// and the environment that puts a `safecell` process in it.
class KeychainState {
public:
    enum class Kind { NoBus, BusOnly, Locked, KeysStored, KeysInEnvironment, NotFound };
    static QString name(Kind kind);

    // `cohereUrl`: where the Cohere key (when the state has one) is used.
    KeychainState(Kind kind, QString dir, QUrl cohereUrl);
    ~KeychainState();
    KeychainState(const KeychainState &) = delete;
    KeychainState &operator=(const KeychainState &) = delete;

    bool start();
    QString error() const { return m_error; }

    // With SAFECELL_API_TOKEN set where the keychain cannot hold the token.
    QProcessEnvironment environment() const;
    QProcessEnvironment environmentWithoutApiToken() const;

    // A run's Cohere and E2B keys cannot come from the keychain and none is
    // in the environment either.
    bool keychainUnreadable() const;
    // A Secret Service that answers (the API token can live there).
    bool hasKeychain() const;
    bool hasCohereKey() const;
    // Words the user must be told to fix an unreadable keychain.
    QString expectedFix() const;

private:
    bool runScript(const QString &script, const QStringList &arguments);
    bool keychainTool(const QStringList &arguments, const QByteArray &input = {});

    Kind m_kind;
    QString m_dir;
    QUrl m_cohereUrl;
    bool m_started = false;
    QString m_error;
};

} // namespace safecell::test
