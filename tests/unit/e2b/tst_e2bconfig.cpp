#include "sandbox/e2b/E2bConfig.h"
#include "settings/Settings.h"

#include <QTemporaryDir>
#include <QTest>

using namespace safecell;

class TestE2bConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsPointAtE2bCloud();
    void settingsAreRead();
    void environmentWins();
};

void TestE2bConfig::defaultsPointAtE2bCloud()
{
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("s.ini")));
    const E2bConfig config = E2bConfig::fromSettings(settings, QProcessEnvironment());
    QCOMPARE(config.controlPlaneBase(), QUrl(QStringLiteral("https://api.e2b.app")));
    QCOMPARE(config.sandboxBase(QStringLiteral("i123"), QString(), 49999),
             QUrl(QStringLiteral("https://49999-i123.e2b.app")));
    // The create answer's domain wins over the configured one (protocols.md 1.3).
    QCOMPARE(config.sandboxBase(QStringLiteral("i123"), QStringLiteral("eu.e2b.dev"), 49983),
             QUrl(QStringLiteral("https://49983-i123.eu.e2b.dev")));
    QCOMPARE(config.idleTimeoutMs, 600000);
    QCOMPARE(config.templateId, QStringLiteral("code-interpreter-v1"));
}

void TestE2bConfig::settingsAreRead()
{
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("s.ini")));
    settings.setValue(Setting::E2bDomain, QStringLiteral("e2b.example"));
    settings.setValue(Setting::E2bIdleTimeoutMs, 120000);
    settings.setValue(Setting::SandboxWorkspaceDatabase, QStringLiteral("/data/w.db"));
    E2bConfig config = E2bConfig::fromSettings(settings, QProcessEnvironment());
    QCOMPARE(config.controlPlaneBase(), QUrl(QStringLiteral("https://api.e2b.example")));
    QCOMPARE(config.idleTimeoutMs, 120000);
    QCOMPARE(config.workspaceDatabase, QStringLiteral("/data/w.db"));
    settings.setValue(Setting::E2bSandboxUrl, QStringLiteral("http://gateway.local:8080"));
    config = E2bConfig::fromSettings(settings, QProcessEnvironment());
    // One base for all sandbox traffic, no port prefix.
    QCOMPARE(config.sandboxBase(QStringLiteral("i1"), QString(), 49999),
             QUrl(QStringLiteral("http://gateway.local:8080")));
}

void TestE2bConfig::environmentWins()
{
    QTemporaryDir dir;
    Settings settings(dir.filePath(QStringLiteral("s.ini")));
    settings.setValue(Setting::E2bApiUrl, QStringLiteral("http://from-settings"));
    settings.setValue(Setting::E2bSandboxUrl, QStringLiteral("http://sandbox-from-settings"));
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("SAFECELL_E2B_API_URL"), QStringLiteral("http://127.0.0.1:1234"));
    environment.insert(QStringLiteral("SAFECELL_E2B_SANDBOX_URL"), QStringLiteral("http://127.0.0.1:1235"));
    environment.insert(QStringLiteral("SAFECELL_E2B_DOMAIN"), QStringLiteral("e2b.test"));
    const E2bConfig config = E2bConfig::fromSettings(settings, environment);
    QCOMPARE(config.controlPlaneBase(), QUrl(QStringLiteral("http://127.0.0.1:1234")));
    QCOMPARE(config.sandboxUrl, QUrl(QStringLiteral("http://127.0.0.1:1235")));
    QCOMPARE(config.domain, QStringLiteral("e2b.test"));
    QVERIFY(config.apiKey.isEmpty()); // keys come from the key store, never from settings
}

QTEST_GUILESS_MAIN(TestE2bConfig)
#include "tst_e2bconfig.moc"
