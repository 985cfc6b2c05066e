#pragma once

#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QDialog>
#include <QList>
#include <QPointer>

#include <functional>
#include <memory>

class QComboBox;
class QLineEdit;
class QPushButton;
class QNetworkAccessManager;

namespace Ui {
class SettingsDialog;
}

namespace safecell {

class SettingsKeys;
class SettingsTeam;
class KeyStore;
class SettingsDraft;

// Edits the settings: API keys (written to the keychain, never shown),
// service URLs, the budget's limits per scope and its thresholds, the model
// catalogue and preferred models, sandbox limits and the safety policy
// file. The core's SettingsDraft decides what is valid; OK refuses an
// invalid value, says why here and saves nothing.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(Settings &settings, KeyStore &keys, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    // The first invalid value's reason, or empty when all are valid.
    QString validate() const;
    QString errorText() const;
    QString keyStatusText() const;

    // "Allow internet for this session": shown here with the settings but
    // never stored with them; the window keeps it until it quits.
    void setInternetAllowed(bool allowed);
    bool internetAllowed() const;

public Q_SLOTS:
    void accept() override;
    // Cohere's free key check with the typed key (or the stored one) against
    // the base URL in the form; the answer goes to the key status line.
    void testCohereKey();
    // Lists E2B's running sandboxes with the typed (or stored) key.
    void testE2bKey();

Q_SIGNALS:
    void keyTestFinished(bool ok);
    // The settings (and any typed keys) were stored; the dialog closes.
    void saved();
    // A key was stored or removed in the keychain.
    void keysChanged();

private:
    // One form field bound to one setting: how to show and read its value.
    struct Field {
        Setting setting;
        QWidget *widget;
        std::function<void(const QVariant &)> show;
        std::function<QVariant()> read;
    };

    void bindFields();
    void fillModelChoices();
    void browse(QLineEdit *edit, const QString &title, const QString &filter, bool folder = false);
    void load();
    SettingsDraft draft() const;
    void refuse(QWidget *field, const QString &reason);
    void refuseSetting(Setting setting, const QString &reason);

    std::unique_ptr<Ui::SettingsDialog> m_ui;
    Settings &m_settings;
    KeyStore &m_keys;
    QList<Field> m_fields;
    QNetworkAccessManager *m_network;
    SettingsKeys *m_keySection;
    SettingsTeam *m_teamSection;
};

} // namespace safecell
