#include "routing/ModelCatalog.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {
// The original recipe's illustrative prices.
const QByteArray kRecipeCatalogue = R"({
  "pricesAsOf": "2025-01-01",
  "models": [
    {"id": "recipe-model", "inputPerMillionUsd": 0.50, "outputPerMillionUsd": 1.50,
     "maxOutputTokens": 4000, "capabilities": ["generate"]},
    {"id": "unpriced", "inputPerMillionUsd": null, "outputPerMillionUsd": null, "capabilities": ["generate"]},
    {"id": "half-priced", "inputPerMillionUsd": 1.0, "capabilities": ["generate"]}
  ]
})";
} // namespace

class TestModelCatalog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void estimateCostIsExact()
    {
        auto catalog = ModelCatalog::fromJson(kRecipeCatalogue);
        QVERIFY2(catalog, qPrintable(catalog ? QString() : catalog.error()));
        auto cost = catalog->estimateCost(u"recipe-model"_s, 1000, 500);
        QVERIFY(cost);
        QVERIFY(cost->usd() == 0.00125);
        QCOMPARE(cost->nanos(), 1'250'000);
    }

    void nullInputsCostNothing()
    {
        auto catalog = ModelCatalog::fromJson(kRecipeCatalogue);
        QVERIFY(catalog);
        QCOMPARE(catalog->estimateCost(u"recipe-model"_s, std::nullopt, std::nullopt)->nanos(), 0);
        QCOMPARE(catalog->estimateCost(u"recipe-model"_s, std::nullopt, 500)->nanos(), 750'000);
        QCOMPARE(catalog->estimateCost(u"recipe-model"_s, -5, -5)->nanos(), 0);
    }

    void aModelWithoutAPriceIsNeverFree()
    {
        auto catalog = ModelCatalog::fromJson(kRecipeCatalogue);
        QVERIFY(catalog);
        for (const QString &id : {u"unpriced"_s, u"half-priced"_s, u"no-such-model"_s}) {
            auto cost = catalog->estimateCost(id, 1000, 500);
            QVERIFY2(!cost, qPrintable(id));
            QVERIFY(!catalog->charge(id, 0, 0));
        }
        QVERIFY(!catalog->model(u"unpriced"_s)->isUsable());
        QVERIFY(!catalog->model(u"half-priced"_s)->isUsable());
        QVERIFY(catalog->model(u"recipe-model"_s)->isUsable());
    }

    void worstCaseUsesTheOutputCap()
    {
        auto catalog = ModelCatalog::fromJson(kRecipeCatalogue);
        QVERIFY(catalog);
        // 1000 in + 4000 out: 0.0005 + 0.006
        QCOMPARE(catalog->worstCaseCost(u"recipe-model"_s, 1000)->nanos(), 6'500'000);
        QCOMPARE(catalog->worstCaseCost(u"recipe-model"_s, 1000, 500)->nanos(), 1'250'000);
        QCOMPARE(catalog->worstCaseCost(u"recipe-model"_s, 1000, 99999)->nanos(), 6'500'000);
    }

    void builtinCatalogueHasCoherePrices()
    {
        auto catalog = ModelCatalog::fromFile(ModelCatalog::builtinPath());
        QVERIFY2(catalog, qPrintable(catalog ? QString() : catalog.error()));
        QCOMPARE(catalog->pricesAsOf(), QDate(2026, 11, 26));
        const auto a = catalog->model(u"command-a-03-2025"_s);
        QVERIFY(a && a->price);
        QCOMPARE(a->price->inputNanosPerMillion, 2'500'000'000);
        QCOMPARE(a->price->outputNanosPerMillion, 10'000'000'000);
        QCOMPARE(a->maxOutputTokens, 8000);
        QCOMPARE(catalog->model(u"command-r7b-12-2024"_s)->price->inputNanosPerMillion, 37'500'000);
        QCOMPARE(catalog->model(u"command-r-08-2024"_s)->price->outputNanosPerMillion, 600'000'000);
        // Model Vault models have no per-token price: unusable, not free.
        QVERIFY(!catalog->model(u"command-a-plus-05-2026"_s)->isUsable());
        QVERIFY(!catalog->estimateCost(u"command-a-reasoning-08-2025"_s, 10, 10));
        QCOMPARE(catalog->e2bRates().nanosPerVcpuSecond, 14'000);
        QCOMPARE(catalog->e2bRates().nanosPerGibSecond, 4'500);
        QCOMPARE(catalog->e2bDefaultSize().memoryMiB, 512);
    }

    void userOverrideMergesById()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"models.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"pricesAsOf": "2026-12-01", "models": [
            {"id": "command-a-plus-05-2026", "inputPerMillionUsd": "3.00", "outputPerMillionUsd": "12.00"},
            {"id": "command-a-03-2025", "inputPerMillionUsd": null},
            {"id": "command-r-08-2024", "outputPerMillionUsd": 0.70},
            {"id": "my-finetune", "inputPerMillionUsd": 1, "outputPerMillionUsd": 2, "capabilities": ["classify"]}
        ], "sandboxes": {"e2b": {"vcpuPerSecondUsd": 0.00002}}})");
        file.close();
        auto catalog = ModelCatalog::load(path);
        QVERIFY2(catalog, qPrintable(catalog ? QString() : catalog.error()));
        QCOMPARE(catalog->pricesAsOf(), QDate(2026, 12, 1));
        QCOMPARE(catalog->estimateCost(u"command-a-plus-05-2026"_s, 1'000'000, 0)->nanos(), 3'000'000'000);
        QVERIFY(!catalog->model(u"command-a-03-2025"_s)->isUsable());            // price removed
        QCOMPARE(catalog->model(u"command-a-03-2025"_s)->maxOutputTokens, 8000); // the rest kept
        QVERIFY(catalog->model(u"my-finetune"_s)->can(Purpose::Classify));
        // One side overridden, the other kept.
        QCOMPARE(catalog->model(u"command-r-08-2024"_s)->price->inputNanosPerMillion, 150'000'000);
        QCOMPARE(catalog->model(u"command-r-08-2024"_s)->price->outputNanosPerMillion, 700'000'000);
        QCOMPARE(catalog->e2bRates().nanosPerVcpuSecond, 20'000);
        QCOMPARE(catalog->e2bRates().nanosPerGibSecond, 4'500);
    }

    void brokenOverrideIsAnError()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"models.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"models": [{"id": "command-a-03-2025", "inputPerMillionUsd": -1, "outputPerMillionUsd": 1}]})");
        file.close();
        auto catalog = ModelCatalog::load(path);
        QVERIFY(!catalog);
        QVERIFY(catalog.error().contains(u"command-a-03-2025"_s));
        QVERIFY(!ModelCatalog::fromJson("not json"));
        QVERIFY(!ModelCatalog::fromJson(R"({"models": []})"));       // no pricesAsOf
        QVERIFY(ModelCatalog::load(dir.filePath(u"absent.json"_s))); // no override file: built-in only
    }
};

QTEST_GUILESS_MAIN(TestModelCatalog)
#include "tst_modelcatalog.moc"
