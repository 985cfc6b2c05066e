#include "cohere/CohereConfig.h"
#include "settings/Settings.h"

#include <QTemporaryDir>
#include <QTest>

using namespace safecell;

class TestCohereConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { qunsetenv("SAFECELL_COHERE_URL"); }
    void cleanup() { qunsetenv("SAFECELL_COHERE_URL"); }

    void defaultIsTheProductionApi()
    {
        QTemporaryDir dir;
        Settings settings(dir.filePath(QStringLiteral("s.ini")));
        QCOMPARE(cohereBaseUrl(settings), QUrl(QStringLiteral("https://api.cohere.com")));
        QCOMPARE(cohereChatUrl(cohereBaseUrl(settings)), QUrl(QStringLiteral("https://api.cohere.com/v2/chat")));
    }

    void settingOverridesDefaultAndEnvOverridesSetting()
    {
        QTemporaryDir dir;
        Settings settings(dir.filePath(QStringLiteral("s.ini")));
        settings.setValue(Setting::CohereBaseUrl, QStringLiteral("http://127.0.0.1:9/"));
        QCOMPARE(cohereBaseUrl(settings), QUrl(QStringLiteral("http://127.0.0.1:9/")));
        qputenv("SAFECELL_COHERE_URL", "http://localhost:1234/proxy");
        QCOMPARE(cohereBaseUrl(settings), QUrl(QStringLiteral("http://localhost:1234/proxy")));
        QCOMPARE(cohereChatUrl(cohereBaseUrl(settings)), QUrl(QStringLiteral("http://localhost:1234/proxy/v2/chat")));
        QCOMPARE(cohereChatUrl(QUrl(QStringLiteral("http://127.0.0.1:9/"))),
                 QUrl(QStringLiteral("http://127.0.0.1:9/v2/chat")));
    }
};

QTEST_GUILESS_MAIN(TestCohereConfig)
#include "tst_cohereconfig.moc"
