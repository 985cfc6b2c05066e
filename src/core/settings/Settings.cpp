#include "Settings.h"

#include <QSettings>

#include <array>

namespace safecell {

namespace {

struct SettingSpec {
    Setting id;
    const char *key;
    QVariant defaultValue;
};

// The one table of settings and their defaults.
const std::array kSpecs{
    SettingSpec{Setting::CohereBaseUrl, "cohere/baseUrl", QStringLiteral("https://api.cohere.com")},
    SettingSpec{Setting::E2bApiUrl, "e2b/apiUrl", QString()},
    SettingSpec{Setting::E2bSandboxUrl, "e2b/sandboxUrl", QString()},
    SettingSpec{Setting::E2bDomain, "e2b/domain", QStringLiteral("e2b.app")},
    SettingSpec{Setting::E2bIdleTimeoutMs, "e2b/idleTimeoutMs", qint64(10 * 60 * 1000)},
    // A sandbox's lifetime beyond its run's time limit (setup, ending it),
    // held against the budget with the run: smaller holds less.
    SettingSpec{Setting::E2bLifetimeMarginS, "e2b/lifetimeMarginS", qint64(60)},
    SettingSpec{Setting::RequestTimeLimitCapMs, "request/timeLimitCapMs", qint64(600000)},
    // The window's time limit per run (its toolbar), at most the cap above;
    // the recipe's default.
    SettingSpec{Setting::RunTimeLimitMs, "run/timeLimitMs", qint64(30000)},
    SettingSpec{Setting::BudgetMonthlyLimitUsd, "budget/monthlyLimitUsd", 5.0},
    SettingSpec{Setting::BudgetWarnThreshold, "budget/warnThreshold", 0.75},
    SettingSpec{Setting::BudgetDegradeThreshold, "budget/degradeThreshold", 0.9},
    // Narrower scopes' limits, decimal dollars; empty: no limit of that level.
    SettingSpec{Setting::BudgetUserLimitUsd, "budget/userLimitUsd", QString()},
    SettingSpec{Setting::BudgetSessionLimitUsd, "budget/sessionLimitUsd", QString()},
    SettingSpec{Setting::BudgetTaskLimitUsd, "budget/taskLimitUsd", QString()},
    SettingSpec{Setting::BudgetPeriodFirstDay, "budget/periodFirstDay", qint64(1)}, // 1..28
    SettingSpec{Setting::SandboxMemoryLimitMb, "sandbox/memoryLimitMb", qint64(2048)},
    SettingSpec{Setting::SandboxCpuSeconds, "sandbox/cpuSeconds", qint64(600)},
    SettingSpec{Setting::SandboxMaxProcesses, "sandbox/maxProcesses", qint64(64)},
    SettingSpec{Setting::SandboxMaxOpenFiles, "sandbox/maxOpenFiles", qint64(256)},
    SettingSpec{Setting::SandboxMaxFileSizeMb, "sandbox/maxFileSizeMb", qint64(256)},
    SettingSpec{Setting::SandboxOutputCapBytes, "sandbox/outputCapBytes", qint64(4 * 1024 * 1024)},
    // Sizes of the sandbox's /tmp, /dev/shm and /work (tmpfs, in memory).
    SettingSpec{Setting::SandboxTmpSizeMb, "sandbox/tmpSizeMb", qint64(512)},
    SettingSpec{Setting::SandboxShmSizeMb, "sandbox/shmSizeMb", qint64(256)},
    SettingSpec{Setting::SandboxWorkSizeMb, "sandbox/workSizeMb", qint64(1024)},
    SettingSpec{Setting::SandboxDataFolder, "sandbox/dataFolder", QString()},
    SettingSpec{Setting::SandboxPython, "sandbox/python", QStringLiteral("/usr/bin/python3")},
    // The SQLite file SQL runs against; empty: a bundled example database.
    SettingSpec{Setting::SandboxWorkspaceDatabase, "sandbox/workspaceDatabase", QString()},
    SettingSpec{Setting::ApiPort, "api/port", qint64(8765)},
    SettingSpec{Setting::EditorLastCode, "editor/lastCode", QString()},
    SettingSpec{Setting::EditorLastLanguage, "editor/lastLanguage", QStringLiteral("python")},
    SettingSpec{Setting::EditorLastFile, "editor/lastFile", QString()},           // empty: an untitled snippet
    SettingSpec{Setting::EditorRecentFiles, "editor/recentFiles", QStringList()}, // newest first
    SettingSpec{Setting::SafetyPolicyFile, "safety/policyFile", QString()},       // empty: the built-in policy
    // The price-table override merged over the built-in catalogue; empty:
    // models.json in the config folder when it exists.
    SettingSpec{Setting::ModelCatalogFile, "routing/catalogFile", QString()},
    // A model to try first for each purpose; empty: the built-in chain.
    SettingSpec{Setting::RoutingClassifyModel, "routing/classifyModel", QString()},
    SettingSpec{Setting::RoutingGenerateModel, "routing/generateModel", QString()},
    SettingSpec{Setting::RoutingExplainModel, "routing/explainModel", QString()},
    // The team ledger (issue 21): a postgresql:// URL without its password; empty: none.
    SettingSpec{Setting::TeamServerUrl, "team/url", QString()},
};

const SettingSpec &spec(Setting setting)
{
    for (const SettingSpec &s : kSpecs) {
        if (s.id == setting)
            return s;
    }
    Q_UNREACHABLE();
}

} // namespace

QString settingKey(Setting setting)
{
    return QString::fromLatin1(spec(setting).key);
}

QVariant settingDefault(Setting setting)
{
    return spec(setting).defaultValue;
}

Settings::Settings()
    : m_settings(std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("SafeCell"),
                                             QStringLiteral("SafeCell")))
{
}

Settings::Settings(const QString &iniPath)
    : m_settings(std::make_unique<QSettings>(iniPath, QSettings::IniFormat))
{
}

Settings::~Settings() = default;

QString Settings::filePath() const
{
    return m_settings->fileName();
}

QVariant Settings::value(Setting setting) const
{
    const SettingSpec &s = spec(setting);
    return m_settings->value(QString::fromLatin1(s.key), s.defaultValue);
}

void Settings::setValue(Setting setting, const QVariant &value)
{
    m_settings->setValue(settingKey(setting), value);
}

void Settings::reset(Setting setting)
{
    m_settings->remove(settingKey(setting));
}

void Settings::sync()
{
    m_settings->sync();
}

} // namespace safecell
