#pragma once

#include "budget/TeamServer.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;
class QThread;

namespace safecell {

class KeyStore;

// The Team part of the settings dialog (issue 21): the team server's URL
// (a setting, without its password), its password (the keychain's), and
// "Test connection", which connects and reads the team's figures on a
// thread of its own, so the dialog never waits on the network.
class SettingsTeam : public QObject {
    Q_OBJECT
public:
    struct Widgets {
        QLineEdit *url;
        QLineEdit *password;
        QPushButton *test;
        QLabel *status;
    };
    SettingsTeam(Widgets widgets, KeyStore &keys, QObject *parent);
    ~SettingsTeam() override;

    void testConnection();
    // Stores a typed password in the keychain; `done` gets the failure (and
    // the field) or an empty reason. The field is cleared once stored.
    void writeTyped(std::function<void(const QString &reason, QWidget *field)> done);
    QString statusText() const;

Q_SIGNALS:
    void testFinished(bool ok);

private:
    void startCheck(TeamServer server);
    void showResult(bool ok, const QString &text);

    Widgets m_ui;
    KeyStore &m_keys;
    QPointer<QThread> m_thread;
};

} // namespace safecell
