#include "SettingsDialog.h"

#include "ui_SettingsDialog.h"

#include "SettingsKeys.h"
#include "SettingsTeam.h"
#include "budget/Money.h"
#include "pipeline/SettingsDraft.h"
#include "routing/ModelCatalog.h"
#include "routing/RoutingSettings.h"
#include "secrets/KeyStore.h"

#include <QCheckBox>
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
    m_keySection = new SettingsKeys(
        {m_ui->cohereKeyEdit, m_ui->e2bKeyEdit, m_ui->cohereBaseUrlEdit, m_ui->e2bApiUrlEdit, m_ui->testCohereButton,
         m_ui->testE2bButton, m_ui->removeCohereButton, m_ui->removeE2bButton, m_ui->keyStatusLabel},
        keys, settings, m_network, [this](QWidget *field, const QString &reason) { refuse(field, reason); }, this);
    connect(m_keySection, &SettingsKeys::keyTestFinished, this, &SettingsDialog::keyTestFinished);
    connect(m_keySection, &SettingsKeys::keysChanged, this, &SettingsDialog::keysChanged);
    m_teamSection = new SettingsTeam({m_ui->teamUrlEdit, m_ui->teamPasswordEdit, m_ui->testTeamButton,
                                      m_ui->teamStatusLabel},
                                     keys, this);
    connect(m_ui->browsePolicyButton, &QPushButton::clicked, this,
            [this] { browse(m_ui->policyFileEdit, tr("Safety policy"), tr("Policy files (*.json)")); });
    connect(m_ui->browseCatalogButton, &QPushButton::clicked, this,
            [this] { browse(m_ui->catalogFileEdit, tr("Model price table"), tr("Price tables (*.json)")); });
    connect(m_ui->browseDataFolderButton, &QPushButton::clicked, this,
            [this] { browse(m_ui->dataFolderEdit, tr("Data folder"), {}, true); });
    connect(m_ui->browseWorkspaceDatabaseButton, &QPushButton::clicked, this, [this] {
        browse(m_ui->workspaceDatabaseEdit, tr("Workspace database"),
               tr("SQLite databases (*.sqlite *.db);;All files (*)"));
    });
    connect(m_ui->browsePythonButton, &QPushButton::clicked, this,
            [this] { browse(m_ui->pythonEdit, tr("Python interpreter"), {}); });
    for (QComboBox *box : {m_ui->classifyModelBox, m_ui->generateModelBox, m_ui->explainModelBox})
        box->lineEdit()->setPlaceholderText(tr("Built-in choice"));
    bindFields();
    fillModelChoices();
    load();
}

SettingsDialog::~SettingsDialog() = default;

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
    text(Setting::TeamServerUrl, m_ui->teamUrlEdit);
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
    m_keySection->refresh();
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
    return m_keySection->statusText();
}

void SettingsDialog::setInternetAllowed(bool allowed)
{
    m_ui->allowInternetBox->setChecked(allowed);
}

bool SettingsDialog::internetAllowed() const
{
    return m_ui->allowInternetBox->isChecked();
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
    const SettingsDraft edited = draft();
    if (const auto valid = edited.validate(); !valid) {
        refuseSetting(valid.error().setting, valid.error().reason);
        return;
    }
    // The typed keys first: a key the keychain refuses keeps the dialog
    // open with the reason, and nothing else is saved meanwhile.
    m_ui->buttons->setEnabled(false);
    m_keySection->writeTyped([this, edited](const QString &failure, QWidget *field) {
        m_ui->buttons->setEnabled(true);
        if (!failure.isEmpty()) {
            refuse(field, failure);
            return;
        }
        m_ui->buttons->setEnabled(false);
        m_teamSection->writeTyped([this, edited](const QString &teamFailure, QWidget *teamField) {
            m_ui->buttons->setEnabled(true);
            if (!teamFailure.isEmpty()) {
                refuse(teamField, teamFailure);
                return;
            }
            const auto written = edited.saveTo(m_settings);
            if (!written) {
                refuseSetting(written.error().setting, written.error().reason);
                return;
            }
            m_ui->errorLabel->clear();
            Q_EMIT saved();
            QDialog::accept();
        });
    });
}

void SettingsDialog::refuseSetting(Setting setting, const QString &reason)
{
    // Point at the field the core names; nothing was written.
    QWidget *at = nullptr;
    for (const Field &field : std::as_const(m_fields)) {
        if (field.setting == setting)
            at = field.widget;
    }
    refuse(at, reason);
}

void SettingsDialog::testCohereKey()
{
    m_keySection->testCohere();
}

void SettingsDialog::testE2bKey()
{
    m_keySection->testE2b();
}

} // namespace safecell
