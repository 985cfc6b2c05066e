#include "budget/BudgetPolicy.h"
#include "pipeline/SettingsDraft.h"
#include "settings/Settings.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestSettingsDraft : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        file.write(content);
        return path;
    }

private Q_SLOTS:
    void init()
    {
        m_settings.reset();
        QFile::remove(m_dir.filePath(u"s.ini"_s));
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"s.ini"_s));
    }

    void invalidValuesAreRefusedWithTheirSettingAndReason_data()
    {
        QTest::addColumn<int>("setting");
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("reasonStart");
        QTest::newRow("base url") << int(Setting::CohereBaseUrl) << QVariant(u"api.cohere.com"_s)
                                  << u"Cohere base URL:"_s;
        QTest::newRow("sandbox url") << int(Setting::E2bSandboxUrl) << QVariant(u"ws://x"_s) << u"E2B sandbox URL:"_s;
        QTest::newRow("domain") << int(Setting::E2bDomain) << QVariant(u"e2b.app/x"_s) << u"E2B domain:"_s;
        QTest::newRow("org limit") << int(Setting::BudgetMonthlyLimitUsd) << QVariant(u"-1"_s) << u"Monthly limit:"_s;
        QTest::newRow("user limit") << int(Setting::BudgetUserLimitUsd) << QVariant(u"two"_s) << u"User limit:"_s;
        QTest::newRow("task limit") << int(Setting::BudgetTaskLimitUsd) << QVariant(u"1.2.3"_s) << u"Task limit:"_s;
        QTest::newRow("warn") << int(Setting::BudgetWarnThreshold) << QVariant(1.5) << u"Warn threshold:"_s;
        QTest::newRow("day") << int(Setting::BudgetPeriodFirstDay) << QVariant(31) << u"Period start day:"_s;
        QTest::newRow("memory") << int(Setting::SandboxMemoryLimitMb) << QVariant(8)
                                << u"Memory: a whole number from 64 to 65536 MB"_s;
        QTest::newRow("tmp size") << int(Setting::SandboxTmpSizeMb) << QVariant(8)
                                  << u"/tmp size: a whole number from 16 to 65536 MB"_s;
        QTest::newRow("shm size") << int(Setting::SandboxShmSizeMb) << QVariant(u"lots"_s)
                                  << u"/dev/shm size: a whole number"_s;
        QTest::newRow("work size") << int(Setting::SandboxWorkSizeMb) << QVariant(70000)
                                   << u"/work size: a whole number from 16 to 65536 MB"_s;
        QTest::newRow("processes") << int(Setting::SandboxMaxProcesses) << QVariant(0) << u"Processes:"_s;
        QTest::newRow("output") << int(Setting::SandboxOutputCapBytes) << QVariant(qint64(1) << 40)
                                << u"Output cap: a whole number from 1 to 1024 MB"_s;
        QTest::newRow("folder") << int(Setting::SandboxDataFolder) << QVariant(u"/nonexistent/data"_s)
                                << u"Data folder:"_s;
        QTest::newRow("python") << int(Setting::SandboxPython) << QVariant(u"/nonexistent/python3"_s) << u"Python:"_s;
        QTest::newRow("policy missing") << int(Setting::SafetyPolicyFile) << QVariant(u"/nonexistent/p.json"_s)
                                        << u"Safety policy file: cannot read /nonexistent/p.json"_s;
        QTest::newRow("catalogue missing")
            << int(Setting::ModelCatalogFile) << QVariant(u"/nonexistent/m.json"_s) << u"Model catalogue file:"_s;
        QTest::newRow("unknown model") << int(Setting::RoutingGenerateModel) << QVariant(u"gpt-9"_s)
                                       << u"Generate model: gpt-9 is not in the model catalogue"_s;
        QTest::newRow("incapable model") << int(Setting::RoutingGenerateModel) << QVariant(u"command-r7b-12-2024"_s)
                                         << u"Generate model: command-r7b-12-2024 cannot generate"_s;
        QTest::newRow("unpriced model") << int(Setting::RoutingClassifyModel)
                                        << QVariant(u"command-a-reasoning-08-2025"_s)
                                        << u"Classify model: command-a-reasoning-08-2025 has no known price"_s;
    }

    void invalidValuesAreRefusedWithTheirSettingAndReason()
    {
        QFETCH(int, setting);
        QFETCH(QVariant, value);
        QFETCH(QString, reasonStart);
        SettingsDraft draft(*m_settings);
        draft.set(Setting::CohereBaseUrl, u"https://cohere.example"_s); // valid, must not be written either
        draft.set(Setting(setting), value);
        const auto saved = draft.saveTo(*m_settings);
        QVERIFY(!saved);
        QCOMPARE(int(saved.error().setting), setting);
        QVERIFY2(saved.error().reason.startsWith(reasonStart), qPrintable(saved.error().reason));
        QCOMPARE(m_settings->string(Setting::CohereBaseUrl), u"https://api.cohere.com"_s); // nothing written
        QVERIFY(!QFile::exists(m_settings->filePath()) || !QFile(m_settings->filePath()).size());
    }

    void aBrokenPolicyIsRefusedWithTheLoadersLine()
    {
        const QString path = writeFile(u"bad.json"_s, "{\n  \"version\": 1,\n  oops\n}\n");
        SettingsDraft draft(*m_settings);
        draft.set(Setting::SafetyPolicyFile, path);
        const auto result = draft.validate();
        QVERIFY(!result);
        QVERIFY2(result.error().reason.startsWith(u"Safety policy file: line 3"_s), qPrintable(result.error().reason));
    }

    void aBrokenCatalogueIsRefusedWithTheLoadersReason()
    {
        const QString path = writeFile(u"models.json"_s,
                                       R"({"models": [{"id": "command-a-03-2025", "inputPerMillionUsd": "cheap"}]})");
        SettingsDraft draft(*m_settings);
        draft.set(Setting::ModelCatalogFile, path);
        const auto result = draft.validate();
        QVERIFY(!result);
        QVERIFY2(result.error().reason.contains(u"not a price in dollars"_s), qPrintable(result.error().reason));
    }

    void aModelAddedByTheDraftsCatalogueIsAccepted()
    {
        const QString path = writeFile(u"models.json"_s, R"({"models": [{"id": "house-model", "status": "live",
            "inputPerMillionUsd": 0.1, "outputPerMillionUsd": 0.2, "capabilities": ["generate"]}]})");
        SettingsDraft draft(*m_settings);
        draft.set(Setting::RoutingGenerateModel, u"house-model"_s);
        QVERIFY(!draft.validate()); // not in the built-in catalogue
        draft.set(Setting::ModelCatalogFile, path);
        const auto result = draft.saveTo(*m_settings);
        QVERIFY2(result, qPrintable(result ? QString() : result.error().reason));
        QCOMPARE(m_settings->string(Setting::RoutingGenerateModel), u"house-model"_s);
    }

    void aPythonThatCannotRunIsRefused()
    {
        const QString notAProgram = writeFile(u"python3"_s, "print(1)\n"); // not executable
        SettingsDraft draft(*m_settings);
        draft.set(Setting::SandboxPython, notAProgram);
        const auto result = draft.validate();
        QVERIFY(!result);
        QCOMPARE(result.error().reason, u"Python: %1 is not an executable program."_s.arg(notAProgram));
        draft.set(Setting::SandboxPython, u"/usr/bin/python3"_s);
        QVERIFY(draft.validate());
    }

    void thresholdsMustBeInOrder()
    {
        SettingsDraft draft(*m_settings);
        draft.set(Setting::BudgetWarnThreshold, 0.95);
        draft.set(Setting::BudgetDegradeThreshold, 0.9);
        const auto result = draft.validate();
        QVERIFY(!result);
        QCOMPARE(result.error().setting, Setting::BudgetWarnThreshold);
        QVERIFY(result.error().reason.startsWith(u"Thresholds:"_s));
    }

    void aNarrowerLimitAboveAWiderOneIsRefused()
    {
        SettingsDraft draft(*m_settings);
        draft.set(Setting::BudgetMonthlyLimitUsd, u"10"_s);
        draft.set(Setting::BudgetSessionLimitUsd, u"12"_s);
        auto result = draft.validate();
        QVERIFY(!result);
        QCOMPARE(result.error().setting, Setting::BudgetSessionLimitUsd);
        QVERIFY2(result.error().reason.contains(u"above the monthly limit of $10.00"_s),
                 qPrintable(result.error().reason));
        draft.set(Setting::BudgetUserLimitUsd, u"3"_s);
        draft.set(Setting::BudgetSessionLimitUsd, u"2.5"_s);
        draft.set(Setting::BudgetTaskLimitUsd, u"4"_s);
        result = draft.validate();
        QVERIFY(!result);
        QCOMPARE(result.error().setting, Setting::BudgetTaskLimitUsd);
    }

    void validValuesAreSavedNormalisedAndReachTheBudgetPolicy()
    {
        SettingsDraft draft(*m_settings);
        draft.set(Setting::BudgetMonthlyLimitUsd, u" 20.25 "_s);
        draft.set(Setting::BudgetUserLimitUsd, u"8"_s);
        draft.set(Setting::BudgetSessionLimitUsd, u"2.5"_s);
        draft.set(Setting::BudgetTaskLimitUsd, u"0.10"_s);
        draft.set(Setting::BudgetWarnThreshold, 0.6);
        draft.set(Setting::BudgetDegradeThreshold, 0.8);
        draft.set(Setting::BudgetPeriodFirstDay, 15);
        draft.set(Setting::SandboxOutputCapBytes, qint64(8) << 20);
        draft.set(Setting::E2bSandboxUrl, u"https://sandbox.internal"_s);
        const auto result = draft.saveTo(*m_settings);
        QVERIFY2(result, qPrintable(result ? QString() : result.error().reason));

        Settings reopened(m_settings->filePath());
        QCOMPARE(reopened.number(Setting::BudgetMonthlyLimitUsd), 20.25);
        QCOMPARE(reopened.string(Setting::BudgetUserLimitUsd), u"8.00"_s);
        QCOMPARE(reopened.integer(Setting::SandboxOutputCapBytes), 8 << 20);
        QCOMPARE(reopened.string(Setting::E2bSandboxUrl), u"https://sandbox.internal"_s);
        const BudgetPolicy policy = BudgetPolicy::fromSettings(reopened);
        QCOMPARE(policy.limit(ScopeLevel::Org), Money::fromDecimalUsd(u"20.25"_s));
        QCOMPARE(policy.limit(ScopeLevel::User), Money::fromDecimalUsd(u"8"_s));
        QCOMPARE(policy.limit(ScopeLevel::Session), Money::fromDecimalUsd(u"2.5"_s));
        QCOMPARE(policy.limit(ScopeLevel::Task), Money::fromDecimalUsd(u"0.1"_s));
        QCOMPARE(policy.thresholds.warnPpm, 600'000);
        QCOMPARE(policy.thresholds.degradePpm, 800'000);
        QCOMPARE(policy.periodFirstDay, 15);
    }

    void unsetNarrowerLimitsMeanNoLimit()
    {
        const BudgetPolicy policy = BudgetPolicy::fromSettings(*m_settings);
        QVERIFY(policy.limit(ScopeLevel::Org).has_value());
        QVERIFY(!policy.limit(ScopeLevel::User).has_value());
        QVERIFY(!policy.limit(ScopeLevel::Session).has_value());
        QVERIFY(!policy.limit(ScopeLevel::Task).has_value());
    }
};

QTEST_GUILESS_MAIN(TestSettingsDraft)
#include "tst_settingsdraft.moc"
