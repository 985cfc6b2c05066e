#include "SettingsDialog.h"

#include "ui_SettingsDialog.h"

#include "budget/BudgetState.h"
#include "budget/Money.h"
#include "cohere/CohereClient.h"
#include "safety/Policy.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <QFile>
#include <QFileDialog>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRegularExpression>
#include <QUrl>

namespace safecell {

namespace {

constexpr qint64 kMb = 1024 * 1024;

bool isHttpUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == QLatin1String("https") || url.scheme() == QLatin1String("http"))
        && !url.host().isEmpty();
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
    connect(m_ui->browsePolicyButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Safety policy"), m_ui->policyFileEdit->text(),
                                                          tr("Policy files (*.json)"));
        if (!path.isEmpty())
            m_ui->policyFileEdit->setText(path);
    });
    load();
}

SettingsDialog::~SettingsDialog()
{
    if (m_keyTest)
        m_keyTest->cancel();
}

void SettingsDialog::load()
{
    m_ui->cohereBaseUrlEdit->setText(m_settings.string(Setting::CohereBaseUrl));
    m_ui->e2bApiUrlEdit->setText(m_settings.string(Setting::E2bApiUrl));
    m_ui->e2bDomainEdit->setText(m_settings.string(Setting::E2bDomain));
    const auto limit = Money::fromUsd(m_settings.number(Setting::BudgetMonthlyLimitUsd));
    m_ui->budgetLimitEdit->setText(limit ? limit->toString().mid(1) : QString());
    m_ui->warnSpin->setValue(m_settings.number(Setting::BudgetWarnThreshold) * 100);
    m_ui->degradeSpin->setValue(m_settings.number(Setting::BudgetDegradeThreshold) * 100);
    m_ui->memorySpin->setValue(int(m_settings.integer(Setting::SandboxMemoryLimitMb)));
    m_ui->cpuSpin->setValue(int(m_settings.integer(Setting::SandboxCpuSeconds)));
    m_ui->processesSpin->setValue(int(m_settings.integer(Setting::SandboxMaxProcesses)));
    m_ui->openFilesSpin->setValue(int(m_settings.integer(Setting::SandboxMaxOpenFiles)));
    m_ui->fileSizeSpin->setValue(int(m_settings.integer(Setting::SandboxMaxFileSizeMb)));
    m_ui->outputCapSpin->setValue(int(std::max<qint64>(1, m_settings.integer(Setting::SandboxOutputCapBytes) / kMb)));
    m_ui->timeCapSpin->setValue(int(m_settings.integer(Setting::RequestTimeLimitCapMs) / 1000));
    m_ui->policyFileEdit->setText(m_settings.string(Setting::SafetyPolicyFile));
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

QString SettingsDialog::validate() const
{
    if (!isHttpUrl(m_ui->cohereBaseUrlEdit->text().trimmed()))
        return tr("Cohere base URL: enter a full http(s) address, such as https://api.cohere.com.");
    const QString e2bUrl = m_ui->e2bApiUrlEdit->text().trimmed();
    if (!e2bUrl.isEmpty() && !isHttpUrl(e2bUrl))
        return tr("E2B API URL: enter a full http(s) address, or leave it empty.");
    static const QRegularExpression host(QStringLiteral("^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$"));
    if (!host.match(m_ui->e2bDomainEdit->text().trimmed()).hasMatch())
        return tr("E2B domain: a host name such as e2b.app, without http:// or a path.");
    if (!Money::fromDecimalUsd(m_ui->budgetLimitEdit->text().trimmed()))
        return tr("Monthly limit: a dollar amount such as 5 or 12.50, not negative.");
    if (m_ui->warnSpin->value() >= m_ui->degradeSpin->value())
        return tr("Thresholds: the warning must come before the degrade threshold.");
    if (!BudgetThresholds::fromFractions(m_ui->warnSpin->value() / 100, m_ui->degradeSpin->value() / 100))
        return tr("Thresholds: each must lie between 1 % and 100 %.");
    const QString policy = m_ui->policyFileEdit->text().trimmed();
    if (!policy.isEmpty()) {
        QFile file(policy);
        if (!file.open(QIODevice::ReadOnly))
            return tr("Safety policy file: cannot read %1: %2").arg(policy, file.errorString());
        const auto parsed = safety::parsePolicy(file.readAll());
        if (!parsed)
            return tr("Safety policy file: %1").arg(parsed.error().toString());
    }
    return {};
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
    const QString reason = validate();
    if (!reason.isEmpty()) {
        // Point at the field the reason names.
        QWidget *field = nullptr;
        if (reason.startsWith(tr("Cohere base URL")))
            field = m_ui->cohereBaseUrlEdit;
        else if (reason.startsWith(tr("E2B API URL")))
            field = m_ui->e2bApiUrlEdit;
        else if (reason.startsWith(tr("E2B domain")))
            field = m_ui->e2bDomainEdit;
        else if (reason.startsWith(tr("Monthly limit")))
            field = m_ui->budgetLimitEdit;
        else if (reason.startsWith(tr("Thresholds")))
            field = m_ui->warnSpin;
        else
            field = m_ui->policyFileEdit;
        refuse(field, reason);
        return;
    }
    save();
    QDialog::accept();
}

void SettingsDialog::save()
{
    m_settings.setValue(Setting::CohereBaseUrl, m_ui->cohereBaseUrlEdit->text().trimmed());
    m_settings.setValue(Setting::E2bApiUrl, m_ui->e2bApiUrlEdit->text().trimmed());
    m_settings.setValue(Setting::E2bDomain, m_ui->e2bDomainEdit->text().trimmed());
    const Money limit = *Money::fromDecimalUsd(m_ui->budgetLimitEdit->text().trimmed());
    m_settings.setValue(Setting::BudgetMonthlyLimitUsd, double(limit.nanos()) / Money::kNanosPerUsd);
    m_settings.setValue(Setting::BudgetWarnThreshold, m_ui->warnSpin->value() / 100);
    m_settings.setValue(Setting::BudgetDegradeThreshold, m_ui->degradeSpin->value() / 100);
    m_settings.setValue(Setting::SandboxMemoryLimitMb, qint64(m_ui->memorySpin->value()));
    m_settings.setValue(Setting::SandboxCpuSeconds, qint64(m_ui->cpuSpin->value()));
    m_settings.setValue(Setting::SandboxMaxProcesses, qint64(m_ui->processesSpin->value()));
    m_settings.setValue(Setting::SandboxMaxOpenFiles, qint64(m_ui->openFilesSpin->value()));
    m_settings.setValue(Setting::SandboxMaxFileSizeMb, qint64(m_ui->fileSizeSpin->value()));
    m_settings.setValue(Setting::SandboxOutputCapBytes, qint64(m_ui->outputCapSpin->value()) * kMb);
    m_settings.setValue(Setting::RequestTimeLimitCapMs, qint64(m_ui->timeCapSpin->value()) * 1000);
    m_settings.setValue(Setting::SafetyPolicyFile, m_ui->policyFileEdit->text().trimmed());
    m_settings.sync();
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
    Q_EMIT saved();
}

void SettingsDialog::testCohereKey()
{
    if (!isHttpUrl(m_ui->cohereBaseUrlEdit->text().trimmed())) {
        refuse(m_ui->cohereBaseUrlEdit, tr("Cohere base URL: enter a full http(s) address, such as https://api.cohere.com."));
        return;
    }
    m_ui->testCohereButton->setEnabled(false);
    m_ui->keyStatusLabel->setText(tr("Testing the key…"));
    if (!m_ui->cohereKeyEdit->text().isEmpty()) {
        runKeyTest(m_ui->cohereKeyEdit->text());
        return;
    }
    m_keys.read(KeyId::Cohere, this, [this](const KeyResult &result) {
        if (!result) {
            m_ui->keyStatusLabel->setText(tr("No key to test: %1").arg(result.error().message));
            m_ui->testCohereButton->setEnabled(true);
            Q_EMIT keyTestFinished(false);
            return;
        }
        runKeyTest(*result);
    });
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

} // namespace safecell
