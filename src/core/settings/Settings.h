#pragma once

#include <QString>
#include <QVariant>

#include <memory>

class QSettings;

namespace safecell {

// Every setting SafeCell reads, with its default, in one table
// (Settings.cpp). Add a row there and an enumerator here.
enum class Setting {
    CohereBaseUrl,
    E2bApiUrl,
    E2bSandboxUrl,
    E2bDomain,
    E2bIdleTimeoutMs,
    E2bLifetimeMarginS,
    RequestTimeLimitCapMs,
    RunTimeLimitMs,
    BudgetMonthlyLimitUsd,
    BudgetWarnThreshold,
    BudgetDegradeThreshold,
    BudgetUserLimitUsd,
    BudgetSessionLimitUsd,
    BudgetTaskLimitUsd,
    BudgetPeriodFirstDay,
    SandboxMemoryLimitMb,
    SandboxCpuSeconds,
    SandboxMaxProcesses,
    SandboxMaxOpenFiles,
    SandboxMaxFileSizeMb,
    SandboxOutputCapBytes,
    SandboxTmpSizeMb,
    SandboxShmSizeMb,
    SandboxWorkSizeMb,
    SandboxDataFolder,
    SandboxPython,
    SandboxWorkspaceDatabase,
    ApiPort,
    EditorLastCode,
    EditorLastLanguage,
    EditorLastFile,
    EditorRecentFiles,
    SafetyPolicyFile,
    ModelCatalogFile,
    RoutingClassifyModel,
    RoutingGenerateModel,
    RoutingExplainModel,
    TeamServerUrl,
};

QString settingKey(Setting setting);
QVariant settingDefault(Setting setting);

// Typed access to the user's settings (QSettings, INI format). Each thread
// that needs settings makes its own instance: QSettings is reentrant, not
// thread-safe, and instances on one file stay in sync through the file.
class Settings {
public:
    // The user's settings file in the standard config location.
    Settings();
    // A settings file at an explicit path (tests, `--config`).
    explicit Settings(const QString &iniPath);
    ~Settings();
    Settings(const Settings &) = delete;
    Settings &operator=(const Settings &) = delete;

    QString filePath() const;

    QVariant value(Setting setting) const;
    QString string(Setting setting) const { return value(setting).toString(); }
    qint64 integer(Setting setting) const { return value(setting).toLongLong(); }
    double number(Setting setting) const { return value(setting).toDouble(); }

    void setValue(Setting setting, const QVariant &value);
    void reset(Setting setting);
    void sync();

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace safecell
