#include "settings/Settings.h"

#include <QTemporaryDir>
#include <QTest>

using namespace safecell;

class TestSettings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsComeFromTheTable()
    {
        QTemporaryDir dir;
        Settings settings(dir.filePath(QStringLiteral("s.ini")));
        QCOMPARE(settings.string(Setting::CohereBaseUrl), QStringLiteral("https://api.cohere.com"));
        QCOMPARE(settings.number(Setting::BudgetMonthlyLimitUsd), 5.0);
        QCOMPARE(settings.number(Setting::BudgetWarnThreshold), 0.75);
        QCOMPARE(settings.number(Setting::BudgetDegradeThreshold), 0.9);
        QCOMPARE(settings.integer(Setting::RequestTimeLimitCapMs), 600000);
        QCOMPARE(settings.integer(Setting::SandboxMemoryLimitMb), 2048);
        QCOMPARE(settings.value(Setting::SandboxMemoryLimitMb), settingDefault(Setting::SandboxMemoryLimitMb));
    }

    void valuesPersistAcrossInstances()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.ini"));
        {
            Settings settings(path);
            settings.setValue(Setting::BudgetMonthlyLimitUsd, 12.5);
            settings.setValue(Setting::CohereBaseUrl, QStringLiteral("http://127.0.0.1:9"));
            settings.sync();
        }
        Settings reopened(path);
        QCOMPARE(reopened.number(Setting::BudgetMonthlyLimitUsd), 12.5);
        QCOMPARE(reopened.string(Setting::CohereBaseUrl), QStringLiteral("http://127.0.0.1:9"));
        reopened.reset(Setting::BudgetMonthlyLimitUsd);
        QCOMPARE(reopened.number(Setting::BudgetMonthlyLimitUsd), 5.0);
    }

    void keysAreNamespaced()
    {
        QCOMPARE(settingKey(Setting::BudgetMonthlyLimitUsd), QStringLiteral("budget/monthlyLimitUsd"));
        QCOMPARE(settingKey(Setting::SandboxPython), QStringLiteral("sandbox/python"));
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
