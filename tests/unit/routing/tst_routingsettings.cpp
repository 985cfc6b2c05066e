#include "llm/LlmServices.h"
#include "pipeline/RunWorkerConfig.h"
#include "routing/RoutingSettings.h"
#include "settings/Settings.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

// The settings' model choices reach the routers the pipeline and the LLM
// services build.
class TestRoutingSettings : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void unsetPreferencesAreTheDefaults()
    {
        Settings settings(m_dir.filePath(u"empty.ini"_s));
        QCOMPARE(routingPreferences(settings).chains, RoutingPreferences::defaults().chains);
        QCOMPARE(catalogOverridePath(settings), ModelCatalog::defaultOverridePath());
    }

    void aPreferredModelGoesFirstAndTheChainStaysAsFallback()
    {
        const RoutingPreferences p = withPreferredModel(RoutingPreferences::defaults(), Purpose::Generate,
                                                        u"command-r-08-2024"_s);
        QCOMPARE(p.chains.value(Purpose::Generate),
                 (QStringList{u"command-r-08-2024"_s, u"command-a-03-2025"_s, u"command-r-plus-08-2024"_s}));
        QCOMPARE(p.chains.value(Purpose::Classify), RoutingPreferences::defaults().chains.value(Purpose::Classify));
    }

    void thePipelineAndTheLlmServicesHonourTheSettings()
    {
        const QString catalogue = m_dir.filePath(u"prices.json"_s);
        QFile file(catalogue);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"models": [{"id": "house-model", "status": "live", "inputPerMillionUsd": 0.1,
                     "outputPerMillionUsd": 0.2, "capabilities": ["classify"]},
                    {"id": "command-a-03-2025", "inputPerMillionUsd": 3.0}]})");
        file.close();
        Settings settings(m_dir.filePath(u"s.ini"_s));
        settings.setValue(Setting::ModelCatalogFile, catalogue);
        settings.setValue(Setting::RoutingClassifyModel, u"house-model"_s);
        settings.setValue(Setting::RoutingExplainModel, u"command-a-03-2025"_s);

        RunWorkerConfig config = RunWorkerConfig::fromSettings(settings);
        QVERIFY(config.llm.routing);
        QCOMPARE(config.llm.catalogOverridePath, std::optional(catalogue));
        config.llm.ledgerPath = m_dir.filePath(u"ledger.sqlite"_s);
        QNetworkAccessManager nam;
        auto services = LlmServices::create(&nam, config.llm);
        QVERIFY2(services, qPrintable(services ? QString() : services.error()));
        ModelRouter &router = (*services)->router();
        QCOMPARE(router.catalog().model(u"command-a-03-2025"_s)->price->inputNanosPerMillion,
                 Money::fromUsd(3.0)->nanos()); // the override file's price
        const auto classify = router.route(Purpose::Classify, BudgetState::Active);
        QVERIFY(classify);
        QCOMPARE(classify->modelId, u"house-model"_s);
        const auto explain = router.route(Purpose::Explain, BudgetState::Warned);
        QVERIFY(explain);
        QCOMPARE(explain->modelId, u"command-a-03-2025"_s);
        const auto generate = router.route(Purpose::Generate, BudgetState::Active);
        QVERIFY(generate);
        QCOMPARE(generate->modelId, RoutingPreferences::defaults().chains.value(Purpose::Generate).first());
    }
};

QTEST_GUILESS_MAIN(TestRoutingSettings)
#include "tst_routingsettings.moc"
