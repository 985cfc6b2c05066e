#pragma once

#include <QDialog>
#include <QPointer>

#include <memory>

class QLineEdit;
class QNetworkAccessManager;

namespace Ui {
class SettingsDialog;
}

namespace safecell {

class ChatCall;
class KeyStore;
class Settings;

// Edits the settings: API keys (written to the keychain, never shown),
// service URLs, the budget's limit and thresholds, sandbox limits and the
// safety policy file. OK refuses an invalid value and says why, here.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(Settings &settings, KeyStore &keys, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    // The first invalid value's reason, or empty when all are valid.
    QString validate() const;
    QString errorText() const;
    QString keyStatusText() const;

public Q_SLOTS:
    void accept() override;
    // A minimal Cohere chat with the typed key (or the stored one) against
    // the base URL in the form; the answer goes to the key status line.
    void testCohereKey();

Q_SIGNALS:
    void keyTestFinished(bool ok);
    void saved();

private:
    void load();
    void save();
    void refuse(QWidget *field, const QString &reason);
    void runKeyTest(const QString &key);

    std::unique_ptr<Ui::SettingsDialog> m_ui;
    Settings &m_settings;
    KeyStore &m_keys;
    QNetworkAccessManager *m_network;
    QPointer<ChatCall> m_keyTest;
};

} // namespace safecell
