#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QUrl>

namespace safecell {

class Settings;

// Where E2B is and how SafeCell uses it. The API key is held here only to be
// sent as X-API-Key; it is never logged and is redacted from every message.
struct E2bConfig {
    QString apiKey;
    QUrl apiUrl;     // control plane; empty: https://api.{domain}
    QUrl sandboxUrl; // one base for all sandbox traffic (no port prefix); empty: per sandbox
    QString domain = QStringLiteral("e2b.app");
    QString templateId = QStringLiteral("code-interpreter-v1");
    qint64 idleTimeoutMs = 10 * 60 * 1000; // kill a warm sandbox after this much idleness
    qint64 lifetimeMarginS = 60;           // lifetime asked beyond the expected use
    qint64 keepWarmStepMs = 60000;         // an idle sandbox's lifetime is extended (and paid for) this far at a time
    qint64 requestTimeoutMs = 60000;       // every request but the execute stream
    qint64 contextProbeTimeoutMs = 10000;  // after an aborted run: is the kernel free again?
    qint64 outputCapBytes = 4 << 20;       // stdout + stderr passed on per run, as the local sandbox
    int maxRateLimitRetries = 3;           // 429 with Retry-After, as the SDK
    qint64 maxRetryAfterS = 30;            // never wait longer than this for one retry
    QString workspaceDatabase;             // SQLite file SQL runs against; empty: the bundled example
    QString remoteWorkspacePath = QStringLiteral("/home/user/.safecell/workspace.db");
    // E2B's default is internet on; the local sandbox has none, so neither
    // does E2B unless the analyst allows it for one session (never read
    // from the settings, never stored).
    bool allowInternet = false;

    QUrl controlPlaneBase() const;
    // The code interpreter's base (port 49999) or envd's (port 49983).
    QUrl sandboxBase(const QString &sandboxId, const QString &sandboxDomain, int port) const;

    // Settings first, then SAFECELL_E2B_API_URL / SAFECELL_E2B_SANDBOX_URL /
    // SAFECELL_E2B_DOMAIN from the environment, which win.
    static E2bConfig fromSettings(const Settings &settings,
                                  const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
    bool operator==(const E2bConfig &) const = default;
};

} // namespace safecell
