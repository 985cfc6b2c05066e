#include "E2bConfig.h"

#include "settings/Settings.h"

namespace safecell {

QUrl E2bConfig::controlPlaneBase() const
{
    if (!apiUrl.isEmpty())
        return apiUrl;
    return QUrl(QStringLiteral("https://api.") + domain);
}

QUrl E2bConfig::sandboxBase(const QString &sandboxId, const QString &sandboxDomain, int port) const
{
    // protocols.md 1.3: an explicit sandbox URL takes all sandbox traffic,
    // port not appended; otherwise the direct host {port}-{id}.{domain}.
    if (!sandboxUrl.isEmpty())
        return sandboxUrl;
    const QString host = sandboxDomain.isEmpty() ? domain : sandboxDomain;
    return QUrl(QStringLiteral("https://%1-%2.%3").arg(port).arg(sandboxId, host));
}

E2bConfig E2bConfig::fromSettings(const Settings &settings, const QProcessEnvironment &environment)
{
    E2bConfig config;
    const auto pick = [&](const char *variable, Setting setting) {
        const QString fromEnvironment = environment.value(QString::fromLatin1(variable));
        return fromEnvironment.isEmpty() ? settings.string(setting) : fromEnvironment;
    };
    config.apiUrl = QUrl(pick("SAFECELL_E2B_API_URL", Setting::E2bApiUrl));
    config.sandboxUrl = QUrl(pick("SAFECELL_E2B_SANDBOX_URL", Setting::E2bSandboxUrl));
    const QString domain = pick("SAFECELL_E2B_DOMAIN", Setting::E2bDomain);
    if (!domain.isEmpty())
        config.domain = domain;
    config.idleTimeoutMs = settings.integer(Setting::E2bIdleTimeoutMs);
    config.lifetimeMarginS = settings.integer(Setting::E2bLifetimeMarginS);
    // One workspace for both sandboxes: the same SQL answers locally and on E2B.
    config.workspaceDatabase = settings.string(Setting::SandboxWorkspaceDatabase);
    config.outputCapBytes = settings.integer(Setting::SandboxOutputCapBytes);
    return config;
}

} // namespace safecell
