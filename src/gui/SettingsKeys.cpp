#include "SettingsKeys.h"

#include "cohere/CohereConfig.h"
#include "cohere/CohereKeyCheck.h"
#include "pipeline/SettingsDraft.h"
#include "sandbox/e2b/E2bKeyCheck.h"
#include "settings/Settings.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrl>

namespace safecell {

namespace {

// "Cohere key: stored." and the like, for one key's lookup.
QString stateLine(KeyId id, const KeyLookup &lookup)
{
    const QString name = keyDisplayName(id);
    if (lookup.problem)
        return SettingsKeys::tr("%1: the keychain could not be read. %2").arg(name, lookup.problem->message);
    if (lookup.value.isEmpty())
        return SettingsKeys::tr("%1: none stored.").arg(name);
    if (KeyStore::environmentValue(id) == lookup.value)
        return SettingsKeys::tr("%1: from %2 (the environment wins over the keychain).")
            .arg(name, keyEnvironmentVariable(id));
    return SettingsKeys::tr("%1: stored in the keychain.").arg(name);
}

} // namespace

SettingsKeys::SettingsKeys(Widgets widgets, KeyStore &keys, Settings &settings, QNetworkAccessManager *network,
                           std::function<void(QWidget *, const QString &)> refuse, QObject *parent)
    : QObject(parent)
    , m_ui(widgets)
    , m_keys(keys)
    , m_settings(settings)
    , m_network(network)
    , m_refuse(std::move(refuse))
{
    connect(m_ui.testCohere, &QPushButton::clicked, this, &SettingsKeys::testCohere);
    connect(m_ui.testE2b, &QPushButton::clicked, this, &SettingsKeys::testE2b);
    connect(m_ui.removeCohere, &QPushButton::clicked, this, [this] { remove(KeyId::Cohere); });
    connect(m_ui.removeE2b, &QPushButton::clicked, this, [this] { remove(KeyId::E2b); });
}

SettingsKeys::~SettingsKeys()
{
    if (m_cohereCheck)
        m_cohereCheck->cancel();
    if (m_e2bCheck)
        m_e2bCheck->cancel();
}

QString SettingsKeys::statusText() const
{
    return m_ui.status->text();
}

void SettingsKeys::setStatus(const QString &text)
{
    ++m_refreshGeneration; // a newer message wins over a pending refresh
    m_ui.status->setText(text);
}

void SettingsKeys::refresh()
{
    m_ui.status->setText(tr("Checking the keychain…"));
    const quint64 generation = ++m_refreshGeneration;
    lookupRunKeys(m_keys, this, [this, generation](const RunKeys &keys) {
        if (generation != m_refreshGeneration)
            return; // a key test or removal answered meanwhile
        m_ui.status->setText(stateLine(KeyId::Cohere, keys.cohere) + QLatin1Char('\n')
                             + stateLine(KeyId::E2b, keys.e2b));
    });
}

QLineEdit *SettingsKeys::editFor(KeyId id) const
{
    return id == KeyId::Cohere ? m_ui.cohereKey : m_ui.e2bKey;
}

void SettingsKeys::remove(KeyId id)
{
    setStatus(tr("Removing the %1…").arg(keyDisplayName(id)));
    m_keys.remove(id, this, [this, id](const KeyStatus &status) {
        if (!status) {
            setStatus(tr("The %1 could not be removed: %2").arg(keyDisplayName(id), status.error().message));
            return;
        }
        Q_EMIT keysChanged();
        refresh();
    });
}

void SettingsKeys::writeTyped(std::function<void(const QString &, QWidget *)> done)
{
    // The keychain only, and only what was typed: an empty field keeps the stored key.
    for (const KeyId id : {KeyId::Cohere, KeyId::E2b}) {
        QLineEdit *edit = editFor(id);
        if (edit->text().isEmpty())
            continue;
        m_keys.write(id, edit->text(), this, [this, id, edit, done](const KeyStatus &status) {
            if (!status) {
                done(tr("The %1 was not stored: %2").arg(keyDisplayName(id), status.error().message), edit);
                return;
            }
            edit->clear();
            Q_EMIT keysChanged();
            writeTyped(done); // the next typed key, if any
        });
        return;
    }
    done(QString(), nullptr);
}

void SettingsKeys::testCohere()
{
    test({KeyId::Cohere, m_ui.cohereUrl, m_ui.cohereKey, m_ui.testCohere,
          [this](const QString &key) { runCohereCheck(key); }});
}

void SettingsKeys::testE2b()
{
    test({KeyId::E2b, m_ui.e2bApiUrl, m_ui.e2bKey, m_ui.testE2b, [this](const QString &key) { runE2bCheck(key); }});
}

void SettingsKeys::test(const Test &test)
{
    SettingsDraft url(m_settings);
    url.set(test.key == KeyId::Cohere ? Setting::CohereBaseUrl : Setting::E2bApiUrl, test.urlEdit->text());
    if (const auto valid = url.validate(); !valid) {
        m_refuse(test.urlEdit, valid.error().reason);
        return;
    }
    test.button->setEnabled(false);
    setStatus(tr("Testing the key…"));
    // The typed key, else the stored one.
    if (!test.keyEdit->text().isEmpty()) {
        test.run(test.keyEdit->text());
        return;
    }
    m_keys.read(test.key, this, [this, test](const KeyResult &result) {
        if (!result) {
            finishTest(test.button, false, tr("No key to test: %1").arg(result.error().message));
            return;
        }
        test.run(*result);
    });
}

void SettingsKeys::finishTest(QPushButton *button, bool ok, const QString &text)
{
    button->setEnabled(true);
    setStatus(text);
    Q_EMIT keyTestFinished(ok);
}

void SettingsKeys::runCohereCheck(const QString &key)
{
    // A URL changed in the form is tried; otherwise the one runs use
    // ($SAFECELL_COHERE_URL, else the setting, else the default).
    const QString typed = m_ui.cohereUrl->text().trimmed();
    const bool edited = !typed.isEmpty() && typed != m_settings.string(Setting::CohereBaseUrl).trimmed();
    const QUrl base = edited ? QUrl(typed) : cohereBaseUrl(m_settings);
    auto *check = new CohereKeyCheck(m_network, base, key, this);
    m_cohereCheck = check;
    connect(check, &CohereKeyCheck::finished, this, [this, check](bool ok, const QString &message) {
        check->deleteLater();
        finishTest(m_ui.testCohere, ok,
                   ok ? tr("The Cohere key works: %1.").arg(message)
                      : tr("The Cohere key test failed: %1").arg(message));
    });
    check->start();
}

void SettingsKeys::runE2bCheck(const QString &key)
{
    E2bConfig config = E2bConfig::fromSettings(m_settings);
    const QString typed = m_ui.e2bApiUrl->text().trimmed();
    if (!typed.isEmpty() && typed != m_settings.string(Setting::E2bApiUrl).trimmed())
        config.apiUrl = QUrl(typed); // changed in the form: tried before it is saved
    config.apiKey = key;
    auto *check = new E2bKeyCheck(m_network, config, this);
    m_e2bCheck = check;
    connect(check, &E2bKeyCheck::finished, this, [this, check](bool ok, const QString &message) {
        check->deleteLater();
        finishTest(m_ui.testE2b, ok,
                   ok ? tr("The E2B key works: %1.").arg(message) : tr("The E2B key test failed: %1").arg(message));
    });
    check->start();
}

} // namespace safecell
