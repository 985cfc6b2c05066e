#include "budget/CostModel.h"
#include "budget/Money.h"
#include "budget/Usage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>
#include <limits>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {
// The original recipe's illustrative prices: $0.50 in, $1.50 out per million.
const ModelPrice kRecipePrice{500'000'000, 1'500'000'000};
} // namespace

class TestCostModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void llmCostIsExact()
    {
        const Money cost = cost::llm(kRecipePrice, 1000, 500);
        QCOMPARE(cost.nanos(), 1'250'000);
        QVERIFY(cost.usd() == 0.00125); // exactly, not approximately
        QCOMPARE(cost.toString(), u"$0.00125"_s);
    }

    void llmCostRoundsUpToAWholeNanodollar()
    {
        // command-r7b: $0.0375 per million input tokens, 37.5 nanodollars a
        // token: the half rounds up, and only once per charge.
        const ModelPrice r7b{37'500'000, 150'000'000};
        QCOMPARE(cost::llm(r7b, 1, 0).nanos(), 38);
        QCOMPARE(cost::llm(r7b, 2, 0).nanos(), 75);
        QCOMPARE(cost::llm(r7b, 1, 1).nanos(), 188); // 37.5 + 150 = 187.5
        QCOMPARE(cost::llm(r7b, 1000, 0).nanos(), 37'500);
        QCOMPARE(cost::llm(r7b, 0, 0).nanos(), 0);
    }

    void llmCostOfHugeCountsSaturates()
    {
        const qint64 huge = std::numeric_limits<qint64>::max();
        QCOMPARE(cost::llm(kRecipePrice, huge, huge).nanos(), huge / 1'000'000 + 1);
    }

    void nullNaNAndNegativeUsageCountAsZero()
    {
        const Charge nulls = cost::llmCharge(u"m"_s, kRecipePrice, std::nullopt, std::nullopt);
        QCOMPARE(nulls.inputTokens, 0);
        QCOMPARE(nulls.outputTokens, 0);
        QCOMPARE(nulls.cost.nanos(), 0);

        const Charge negative = cost::llmCharge(u"m"_s, kRecipePrice, -1000, -1);
        QCOMPARE(negative.cost.nanos(), 0);
        QCOMPARE(negative.inputTokens, 0);

        QCOMPARE(usageCount(std::optional<double>(std::nan(""))), 0);
        QCOMPARE(usageCount(std::optional<double>(-3.0)), 0);
        QCOMPARE(usageCount(std::optional<double>(std::numeric_limits<double>::infinity())), 0);
        QCOMPARE(usageCount(std::optional<double>(2.2)), 3);
        QCOMPARE(usageDurationMs(std::nan("")), 0);
        QCOMPARE(usageDurationMs(-1.0), 0);
        QCOMPARE(usageDurationMs(1.5), 1500);

        const Charge nanSeconds = cost::e2bCharge(E2bRates::published(), {}, std::nan(""));
        QCOMPARE(nanSeconds.durationMs, 0);
        QCOMPARE(nanSeconds.cost.nanos(), 0);
        QVERIFY(std::isfinite(nanSeconds.cost.usd()));
    }

    void cohereUsageUsesBilledUnits_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<qint64>("input");
        QTest::addColumn<qint64>("output");
        QTest::newRow("billed") << QByteArray(
            R"({"billed_units":{"input_tokens":5,"output_tokens":418},"tokens":{"input_tokens":71,"output_tokens":418}})")
                                << qint64(5) << qint64(418);
        QTest::newRow("nulls") << QByteArray(R"({"billed_units":{"input_tokens":null,"output_tokens":null}})")
                               << qint64(0) << qint64(0);
        QTest::newRow("missing fields") << QByteArray(R"({"billed_units":{}})") << qint64(0) << qint64(0);
        QTest::newRow("missing billed_units")
            << QByteArray(R"({"tokens":{"input_tokens":71}})") << qint64(0) << qint64(0);
        QTest::newRow("no usage") << QByteArray("{}") << qint64(0) << qint64(0);
        QTest::newRow("negative") << QByteArray(R"({"billed_units":{"input_tokens":-4,"output_tokens":7}})")
                                  << qint64(0) << qint64(7);
        QTest::newRow("strings") << QByteArray(R"({"billed_units":{"input_tokens":"12","output_tokens":true}})")
                                 << qint64(0) << qint64(0);
    }

    void cohereUsageUsesBilledUnits()
    {
        QFETCH(QByteArray, json);
        QFETCH(qint64, input);
        QFETCH(qint64, output);
        const TokenCounts counts = billedTokensFromCohereUsage(QJsonDocument::fromJson(json).object());
        QCOMPARE(counts.input, input);
        QCOMPARE(counts.output, output);
    }

    void e2bCostFollowsThePublishedRates()
    {
        // protocols.md §1.6: the default sandbox (2 vCPU, 512 MiB) costs
        // about $0.109 per hour; 8 vCPU and 4 GiB cost $0.468 per hour.
        QCOMPARE(cost::e2b(E2bRates::published(), {2, 512}, 3'600'000).nanos(), 108'900'000);
        QCOMPARE(cost::e2b(E2bRates::published(), {8, 4096}, 3'600'000).nanos(), 468'000'000);
        QCOMPARE(cost::e2b(E2bRates::published(), {2, 512}, 1000).nanos(), 30'250);
        QCOMPARE(cost::e2b(E2bRates::published(), {2, 512}, 1).nanos(), 31); // 30.25 rounds up
        QCOMPARE(cost::e2b(E2bRates::published(), {2, 512}, 0).nanos(), 0);
        QCOMPARE(cost::e2bCharge(E2bRates::published(), {2, 512}, 10.0).cost.nanos(), 302'500);
    }

    void localRunsCostNothing()
    {
        const Charge local = cost::localCharge(12.5);
        QCOMPARE(local.kind, ChargeKind::Local);
        QCOMPARE(local.durationMs, 12'500);
        QCOMPARE(local.cost.nanos(), 0);
    }

    void moneyFromDollars()
    {
        QCOMPARE(Money::fromUsd(0.00125)->nanos(), 1'250'000);
        QCOMPARE(Money::fromUsd(5.0)->nanos(), 5'000'000'000);
        QVERIFY(!Money::fromUsd(-1.0));
        QVERIFY(!Money::fromUsd(std::nan("")));
        QVERIFY(!Money::fromUsd(std::numeric_limits<double>::infinity()));
        QCOMPARE(Money::fromDecimalUsd(u"2.50"_s)->nanos(), 2'500'000'000);
        QCOMPARE(Money::fromDecimalUsd(u"0.0375"_s)->nanos(), 37'500'000);
        QCOMPARE(Money::fromDecimalUsd(u"0.0000045"_s)->nanos(), 4'500);
        QVERIFY(!Money::fromDecimalUsd(u"-1"_s));
        QVERIFY(!Money::fromDecimalUsd(u"abc"_s));
        QVERIFY(!Money::fromDecimalUsd(u"0.0000000001"_s)); // finer than a nanodollar
    }

    void moneyNeverGoesNegativeNorOverflows()
    {
        QCOMPARE((Money::fromNanos(5) - Money::fromNanos(9)).nanos(), 0);
        QCOMPARE(Money::fromNanos(-5).nanos(), 0);
        const Money max = Money::fromNanos(std::numeric_limits<qint64>::max());
        QCOMPARE((max + Money::fromNanos(1)).nanos(), std::numeric_limits<qint64>::max());
        QCOMPARE(Money::fromNanos(1'000'000'000).toString(), u"$1.00"_s);
    }
};

QTEST_GUILESS_MAIN(TestCostModel)
#include "tst_costmodel.moc"
