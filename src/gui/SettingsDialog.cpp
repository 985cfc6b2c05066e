#include "SettingsDialog.h"

#include "ui_SettingsDialog.h"

#include "budget/Money.h"
#include "cohere/CohereClient.h"
#include "routing/ModelCatalog.h"
#include "sandbox/e2b/E2bKeyCheck.h"
#include "routing/RoutingSettings.h"
#include "secrets/KeyStore.h"
#include "settings/SettingsDraft.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSpinBox>
#include <QUrl>

namespace safecell {

namespace {

constexpr qint64 kMb = 1024 * 1024;

// "12.50" for a stored dollar figure (a double or decimal text); the text
// itself when it is no amount, so the user sees what is stored.
QString amountText(const QVariant &value)
{
    const auto money = value.typeId() == QMetaType::Double ? Money::fromUsd(value.toDouble())
                                                           : Money::fromDecimalUsd(value.toString());
    return money ? money->toString().mid(1) : value.toString();
}

} // namespace

SettingsDialog::SettingsDialog(Settings &settings, KeyStore &keys, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SettingsDialog>())
    , m_settings(settings)
    , m_keys(keys)
    , m_network(new QNetworkAccessManager(this))
{
    m_ui->setupUi(this);
    connect(m_ui->buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_ui->testCohereButton, &QPushButton::clicked, this, &SettingsDialog::testCohereKey);
    connect(m_ui->testE2bButton, &QPushButton::clicked, this, &SettingsDialog::testE2bKey);
    connect(m_ui->browsePolicyButton, &QPushButton::clicked, this, [this] {
        browse(m_ui->policyFileEdit, tr("Safety policy"), tr("Policy files (*.json)"));
    });
    connect(m_ui->browseCatalogButton, &QPushButton::clicked, this, [this] {
        browse(m_ui->catalogFileEdit, tr("Model price table"), tr("Price tables (*.json)"));
    });
    connect(m_ui->browseDataFolderButton, &QPushButton::clicked, this, [this] {
        browse(m_ui->dataFolderEdit, tr("Data folder"), {}, true);
    });
    connect(m_ui->browseWorkspaceDatabaseButton, &QPushButton::clicked, this, [this] {
        browse(m_ui->workspaceDatabaseEdit, tr("Workspace database"), tr("SQLite databases (*.sqlite *.db);;All files (*)"));
    });
    connect(m_ui->browsePythonButton, &QPushButton::clicked, this, [this] {
        browse(m_ui->pythonEdit, tr("Python interpreter"), {});
    });
    for (QComboBox *box : {m_ui->classifyModelBox, m_ui->generateModelBox, m_ui->explainModelBox})
        box->lineEdit()->setPlaceholderText(tr("Built-in choice"));
    bindFields();
    fillModelChoices();
    load();
}

SettingsDialog::~SettingsDialog()
{
    if (m_keyTest)
        m_keyTest->cancel();
    if (m_e2bKeyTest)
        m_e2bKeyTest->cancel();
}

void SettingsDialog::bindFields()
{
    const auto text = [this](Setting setting, QLineEdit *edit) {
        m_fields << Field{setting, edit, [edit](const QVariant &v) { edit->setText(v.toString()); },
                          [edit] { return QVariant(edit->text().trimmed()); }};
    };
    const auto amount = [this](Setting setting, QLineEdit *edit) {
        m_fields << Field{setting, edit, [edit](const QVariant &v) { edit->setText(amountText(v)); },
                          [edit] { return QVariant(edit->text().trimmed()); }};
    };
    const auto percent = [this](Setting setting, QDoubleSpinBox *spin) {
        m_fields << Field{setting, spin, [spin](const QVariant &v) { spin->setValue(v.toDouble() * 100); },
                          [spin] { return QVariant(spin->value() / 100); }};
    };
    // `perUnit`: stored units per shown unit (bytes per MB, ms per s).
    const auto number = [this](Setting setting, QSpinBox *spin, qint64 perUnit = 1) {
        m_fields << Field{setting, spin,
                          [spin, perUnit](const QVariant &v) { spin->setValue(int(v.toLongLong() / perUnit)); },
                          [spin, perUnit] { return QVariant(qint64(spin->value()) * perUnit); }};
    };
    const auto model = [this](Setting setting, QComboBox *box) {
        m_fields << Field{setting, box, [box](const QVariant &v) { box->setCurrentText(v.toString()); },
                          [box] { return QVariant(box->currentText().trimmed()); }};
    };
    // In the order of the form, so the first problem is the topmost one.
    text(Setting::CohereBaseUrl, m_ui->cohereBaseUrlEdit);
    text(Setting::E2bApiUrl, m_ui->e2bApiUrlEdit);
    text(Setting::E2bSandboxUrl, m_ui->e2bSandboxUrlEdit);
    text(Setting::E2bDomain, m_ui->e2bDomainEdit);
    amount(Setting::BudgetMonthlyLimitUsd, m_ui->budgetLimitEdit);
    amount(Setting::BudgetUserLimitUsd, m_ui->userLimitEdit);
    amount(Setting::BudgetSessionLimitUsd, m_ui->sessionLimitEdit);
    amount(Setting::BudgetTaskLimitUsd, m_ui->taskLimitEdit);
    percent(Setting::BudgetWarnThreshold, m_ui->warnSpin);
    percent(Setting::BudgetDegradeThreshold, m_ui->degradeSpin);
    number(Setting::BudgetPeriodFirstDay, m_ui->periodDaySpin);
    text(Setting::ModelCatalogFile, m_ui->catalogFileEdit);
    model(Setting::RoutingClassifyModel, m_ui->classifyModelBox);
    model(Setting::RoutingGenerateModel, m_ui->generateModelBox);
    model(Setting::RoutingExplainModel, m_ui->explainModelBox);
    number(Setting::SandboxMemoryLimitMb, m_ui->memorySpin);
    number(Setting::SandboxCpuSeconds, m_ui->cpuSpin);
    number(Setting::SandboxMaxProcesses, m_ui->processesSpin);
    number(Setting::SandboxMaxOpenFiles, m_ui->openFilesSpin);
    number(Setting::SandboxMaxFileSizeMb, m_ui->fileSizeSpin);
    number(Setting::SandboxOutputCapBytes, m_ui->outputCapSpin, kMb);
    number(Setting::SandboxTmpSizeMb, m_ui->tmpSizeSpin);
    number(Setting::SandboxShmSizeMb, m_ui->shmSizeSpin);
    number(Setting::SandboxWorkSizeMb, m_ui->workSizeSpin);
    number(Setting::RequestTimeLimitCapMs, m_ui->timeCapSpin, 1000);
    text(Setting::SandboxDataFolder, m_ui->dataFolderEdit);
    text(Setting::SandboxWorkspaceDatabase, m_ui->workspaceDatabaseEdit);
    text(Setting::SandboxPython, m_ui->pythonEdit);
    text(Setting::SafetyPolicyFile, m_ui->policyFileEdit);
}

void SettingsDialog::fillModelChoices()
{
    // The models the current catalogue can use for each purpose; any id may
    // still be typed (a model the new price table adds), the core checks it.
    auto catalog = ModelCatalog::load(catalogOverridePath(m_settings));
    if (!catalog)
        catalog = ModelCatalog::fromFile(ModelCatalog::builtinPath());
    const std::pair<Purpose, QComboBox *> boxes[] = {{Purpose::Classify, m_ui->classifyModelBox},
                                                     {Purpose::Generate, m_ui->generateModelBox},
                                                     {Purpose::Explain, m_ui->explainModelBox}};
    for (const auto &[purpose, box] : boxes) {
        box->addItem(QString());
        if (!catalog)
            continue;
        for (const ModelInfo &m : catalog->models()) {
            if (m.isUsable() && m.can(purpose)) {
                box->addItem(m.id);
                box->setItemData(box->count() - 1, m.name, Qt::ToolTipRole);
            }
        }
    }
}

void SettingsDialog::browse(QLineEdit *edit, const QString &title, const QString &filter, bool folder)
{
    const QString path = folder ? QFileDialog::getExistingDirectory(this, title, edit->text())
                                : QFileDialog::getOpenFileName(this, title, edit->text(), filter);
    if (!path.isEmpty())
        edit->setText(path);
}

void SettingsDialog::load()
{
    for (const Field &field : std::as_const(m_fields))
        field.show(m_settings.value(field.setting));
    m_ui->keyStatusLabel->setText(tr("Checking the keychain…"));
    m_keys.read(KeyId::Cohere, this, [this](const KeyResult &result) {
        if (m_ui->keyStatusLabel->text() != tr("Checking the keychain…"))
            return; // a key test already answered
        if (result)
            m_ui->keyStatusLabel->setText(tr("A Cohere key is stored."));
        else
            m_ui->keyStatusLabel->setText(result.error().kind == KeyError::Kind::NotFound
                                              ? tr("No Cohere key is stored yet.")
                                              : result.error().message);
    });
}

SettingsDraft SettingsDialog::draft() const
{
    SettingsDraft draft(m_settings);
    for (const Field &field : m_fields)
        draft.set(field.setting, field.read());
    return draft;
}

QString SettingsDialog::validate() const
{
    const auto valid = draft().validate();
    return valid ? QString() : valid.error().reason;
}

QString SettingsDialog::errorText() const
{
    return m_ui->errorLabel->text();
}

QString SettingsDialog::keyStatusText() const
{
    return m_ui->keyStatusLabel->text();
}

void SettingsDialog::refuse(QWidget *field, const QString &reason)
{
    m_ui->errorLabel->setText(reason);
    if (field) {
        for (int i = 0; i < m_ui->tabs->count(); ++i) {
            if (m_ui->tabs->widget(i)->isAncestorOf(field))
                m_ui->tabs->setCurrentIndex(i);
        }
        field->setFocus();
    }
}

void SettingsDialog::accept()
{
    const auto written = draft().saveTo(m_settings);
    if (!written) {
        // Point at the field the core names; nothing was written.
        QWidget *at = nullptr;
        for (const Field &field : std::as_const(m_fields)) {
            if (field.setting == written.error().setting)
                at = field.widget;
        }
        refuse(at, written.error().reason);
        return;
    }
    m_ui->errorLabel->clear();
    saveKeys();
    Q_EMIT saved();
    QDialog::accept();
}

void SettingsDialog::saveKeys()
{
    // Keys go to the keychain only, and only when typed; an empty field keeps the stored key.
    const auto storeKey = [this](KeyId id, QLineEdit *edit) {
        if (edit->text().isEmpty())
            return;
        m_keys.write(id, edit->text(), parentWidget() ? static_cast<QObject *>(parentWidget()) : &m_keys,
                     [](const KeyStatus &) {});
        edit->clear();
    };
    storeKey(KeyId::Cohere, m_ui->cohereKeyEdit);
    storeKey(KeyId::E2b, m_ui->e2bKeyEdit);
}

void SettingsDialog::testKey(const KeyTest &test)
{
    SettingsDraft url(m_settings);
    url.set(test.urlSetting, test.urlEdit->text());
    if (const auto valid = url.validate(); !valid) {
        refuse(test.urlEdit, valid.error().reason);
        return;
    }
    test.button->setEnabled(false);
    m_ui->keyStatusLabel->setText(tr("Testing the key…"));
    // The typed key, else the stored one.
    if (!test.keyEdit->text().isEmpty()) {
        test.run(test.keyEdit->text());
        return;
    }
    m_keys.read(test.key, this, [this, test](const KeyResult &result) {
        if (!result) {
            m_ui->keyStatusLabel->setText(tr("No key to test: %1").arg(result.error().message));
            test.button->setEnabled(true);
            Q_EMIT keyTestFinished(false);
            return;
        }
        test.run(*result);
    });
}

void SettingsDialog::testCohereKey()
{
    testKey({KeyId::Cohere, Setting::CohereBaseUrl, m_ui->cohereBaseUrlEdit, m_ui->cohereKeyEdit,
             m_ui->testCohereButton, [this](const QString &key) { runKeyTest(key); }});
}

void SettingsDialog::runKeyTest(const QString &key)
{
    auto *client = new CohereClient(m_network, QUrl(m_ui->cohereBaseUrlEdit->text().trimmed()), this);
    ChatRequest request;
    request.model = QStringLiteral("command-r7b-12-2024"); // the cheapest chat model
    request.messages = {ChatMessage{ChatMessage::Role::User, QStringLiteral("ping")}};
    request.maxTokens = 1;
    ChatCallOptions options;
    options.connectTimeoutMs = 10000;
    options.firstByteTimeoutMs = 20000;
    options.deadlineMs = 30000;
    options.retry.maxAttempts = 1;
    m_keyTest = client->chat(request, key, options);
    m_keyTest->then(this, [this, client](const ChatResult &result) {
        m_ui->testCohereButton->setEnabled(true);
        if (result)
            m_ui->keyStatusLabel->setText(tr("The key works: Cohere answered."));
        else
            m_ui->keyStatusLabel->setText(tr("The key test failed: %1").arg(result.error().message));
        client->deleteLater();
        Q_EMIT keyTestFinished(bool(result));
    });
}

void SettingsDialog::testE2bKey()
{
    testKey({KeyId::E2b, Setting::E2bApiUrl, m_ui->e2bApiUrlEdit, m_ui->e2bKeyEdit, m_ui->testE2bButton,
             [this](const QString &key) { runE2bKeyTest(key); }});
}

void SettingsDialog::runE2bKeyTest(const QString &key)
{
    E2bConfig config = E2bConfig::fromSettings(m_settings);
    if (const QString typed = m_ui->e2bApiUrlEdit->text().trimmed(); !typed.isEmpty())
        config.apiUrl = QUrl(typed);
    config.apiKey = key;
    auto *check = new E2bKeyCheck(m_network, config, this);
    m_e2bKeyTest = check;
    connect(check, &E2bKeyCheck::finished, this, [this, check](bool ok, const QString &message) {
        m_ui->testE2bButton->setEnabled(true);
        if (ok)
            m_ui->keyStatusLabel->setText(tr("The E2B key works: %1.").arg(message));
        else
            m_ui->keyStatusLabel->setText(tr("The E2B key test failed: %1").arg(message));
        check->deleteLater();
        Q_EMIT keyTestFinished(ok);
    });
    check->start();
}

} // namespace safecell
