#pragma once

#include "secrets/KeyStore.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;

namespace safecell {

class CohereKeyCheck;
class E2bKeyCheck;
class Settings;

// The keys part of the settings dialog: what the keychain holds for each key
// (stored, none, or unreadable and how to fix it), a free check of the typed
// or stored key (Cohere's check-api-key, E2B's sandbox list: nothing is
// billed), removing a stored key, and writing the typed keys.
class SettingsKeys : public QObject {
    Q_OBJECT
public:
    struct Widgets {
        QLineEdit *cohereKey;
        QLineEdit *e2bKey;
        QLineEdit *cohereUrl;
        QLineEdit *e2bApiUrl;
        QPushButton *testCohere;
        QPushButton *testE2b;
        QPushButton *removeCohere;
        QPushButton *removeE2b;
        QLabel *status;
    };
    // `refuse` shows a reason beside a field (a URL the test cannot use).
    SettingsKeys(Widgets widgets, KeyStore &keys, Settings &settings, QNetworkAccessManager *network,
                 std::function<void(QWidget *, const QString &)> refuse, QObject *parent);
    ~SettingsKeys() override;

    // Reads what the keychain holds for both keys into the status line.
    void refresh();
    void testCohere();
    void testE2b();
    void remove(KeyId id);
    // Stores the typed keys, one after the other; `done` gets the first
    // failure (and the field it belongs to) or an empty reason. Fields that
    // were stored are cleared; nothing typed is ever lost on a failure.
    void writeTyped(std::function<void(const QString &reason, QWidget *field)> done);

    QString statusText() const;

Q_SIGNALS:
    void keyTestFinished(bool ok);
    // A key was stored or removed.
    void keysChanged();

private:
    struct Test {
        KeyId key;
        QLineEdit *urlEdit;
        QLineEdit *keyEdit;
        QPushButton *button;
        std::function<void(const QString &key)> run;
    };
    void test(const Test &test);
    void runCohereCheck(const QString &key);
    void runE2bCheck(const QString &key);
    void finishTest(QPushButton *button, bool ok, const QString &text);
    void setStatus(const QString &text);
    QLineEdit *editFor(KeyId id) const;

    Widgets m_ui;
    KeyStore &m_keys;
    Settings &m_settings;
    QNetworkAccessManager *m_network;
    std::function<void(QWidget *, const QString &)> m_refuse;
    QPointer<CohereKeyCheck> m_cohereCheck;
    QPointer<E2bKeyCheck> m_e2bCheck;
    quint64 m_refreshGeneration = 0;
};

} // namespace safecell
