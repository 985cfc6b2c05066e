#include "routing/ModelRouter.h"

#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestModelRouter : public QObject {
    Q_OBJECT
private:
    ManualClock m_clock{QDateTime::currentDateTimeUtc()};

    ModelRouter makeRouter(const QByteArray &overrideJson = {})
    {
        auto catalog = ModelCatalog::fromFile(ModelCatalog::builtinPath());
        if (!overrideJson.isEmpty()) {
            const auto applied = catalog->applyOverride(overrideJson);
            if (!applied)
                qFatal("the test's price table override is invalid: %s", qPrintable(applied.error()));
        }
        return ModelRouter(*catalog, std::make_shared<CircuitBreakers>(m_clock));
    }

    static void failFiveTimes(ModelRouter &router, const QString &model)
    {
        for (int i = 0; i < 5; ++i)
            router.reportFailure(model);
    }

private Q_SLOTS:
    void firstChoicePerPurpose_data()
    {
        QTest::addColumn<Purpose>("purpose");
        QTest::addColumn<QString>("model");
        QTest::newRow("classify") << Purpose::Classify << u"command-r7b-12-2024"_s;
        QTest::newRow("generate") << Purpose::Generate << u"command-a-03-2025"_s;
        QTest::newRow("explain") << Purpose::Explain << u"command-r-08-2024"_s;
    }

    void firstChoicePerPurpose()
    {
        QFETCH(Purpose, purpose);
        QFETCH(QString, model);
        ModelRouter router = makeRouter();
        for (BudgetState state : {BudgetState::Active, BudgetState::Warned}) {
            auto decision = router.route(purpose, state);
            QVERIFY2(decision, qPrintable(decision ? QString() : decision.error().reason));
            QCOMPARE(decision->modelId, model);
            QVERIFY(decision->reason.contains(u"first choice"_s));
            QVERIFY(decision->reason.startsWith(purposeName(purpose)));
        }
    }

    void degradedPicksTheCheapestCapableModel()
    {
        ModelRouter router = makeRouter();
        auto generate = router.route(Purpose::Generate, BudgetState::Degraded);
        QVERIFY(generate);
        // command-r7b is cheaper but cannot generate.
        QCOMPARE(generate->modelId, u"command-r-08-2024"_s);
        QVERIFY(generate->reason.contains(u"degraded"_s));
        auto classify = router.route(Purpose::Classify, BudgetState::Degraded);
        QCOMPARE(classify->modelId, u"command-r7b-12-2024"_s);
    }

    void degradedNeverPicksAnUnpricedModel()
    {
        // Even a model that would be "cheapest" at $0 is refused when its
        // price is unknown; a priced cheap one wins.
        ModelRouter router = makeRouter(R"({"models": [
            {"id": "north-mini-code-1-0", "inputPerMillionUsd": null},
            {"id": "tiny", "inputPerMillionUsd": 0.01, "outputPerMillionUsd": 0.02, "capabilities": ["generate"]}]})");
        auto decision = router.route(Purpose::Generate, BudgetState::Degraded);
        QCOMPARE(decision->modelId, u"tiny"_s);
    }

    void stoppedRefusesPaidCalls()
    {
        ModelRouter router = makeRouter();
        auto decision = router.route(Purpose::Generate, BudgetState::Stopped);
        QVERIFY(!decision);
        QCOMPARE(decision.error().kind, RouteRefusal::Kind::BudgetStopped);
    }

    void openBreakerFallsBackAlongTheChain()
    {
        ModelRouter router = makeRouter();
        failFiveTimes(router, u"command-a-03-2025"_s);
        auto decision = router.route(Purpose::Generate, BudgetState::Active);
        QVERIFY(decision);
        QCOMPARE(decision->modelId, u"command-r-plus-08-2024"_s);
        QVERIFY2(decision->reason.contains(u"fallback after: command-a-03-2025 circuit open"_s),
                 qPrintable(decision->reason));

        failFiveTimes(router, u"command-r-plus-08-2024"_s);
        QCOMPARE(router.route(Purpose::Generate, BudgetState::Active)->modelId, u"command-r-08-2024"_s);
        failFiveTimes(router, u"command-r-08-2024"_s);
        auto none = router.route(Purpose::Generate, BudgetState::Active);
        QVERIFY(!none);
        QCOMPARE(none.error().kind, RouteRefusal::Kind::AllUnavailable);
    }

    void halfOpenFirstChoiceGetsOneTrialThenTheChainContinues()
    {
        ModelRouter router = makeRouter();
        failFiveTimes(router, u"command-a-03-2025"_s);
        m_clock.advanceMs(60'000);
        auto trial = router.route(Purpose::Generate, BudgetState::Active);
        QCOMPARE(trial->modelId, u"command-a-03-2025"_s);
        QVERIFY(trial->trial);
        QVERIFY(trial->reason.contains(u"half-open trial"_s));
        // While the trial runs, the next run falls back.
        auto meanwhile = router.route(Purpose::Generate, BudgetState::Active);
        QCOMPARE(meanwhile->modelId, u"command-r-plus-08-2024"_s);
        router.reportSuccess(u"command-a-03-2025"_s);
        auto after = router.route(Purpose::Generate, BudgetState::Active);
        QCOMPARE(after->modelId, u"command-a-03-2025"_s);
        QVERIFY(!after->trial);
    }

    void unpricedModelsInTheChainAreSkippedWithAReason()
    {
        ModelRouter router = makeRouter(R"({"models": [{"id": "command-a-03-2025", "inputPerMillionUsd": null}]})");
        auto decision = router.route(Purpose::Generate, BudgetState::Active);
        QCOMPARE(decision->modelId, u"command-r-plus-08-2024"_s);
        QVERIFY(decision->reason.contains(u"command-a-03-2025 has no known price"_s));
    }

    void noCapableModelIsARefusal()
    {
        auto catalog = ModelCatalog::fromJson(R"({"pricesAsOf": "2026-01-01", "models": [
            {"id": "x", "inputPerMillionUsd": 1, "outputPerMillionUsd": 1, "capabilities": ["classify"]}]})");
        ModelRouter router(*catalog, std::make_shared<CircuitBreakers>(m_clock));
        auto decision = router.route(Purpose::Generate, BudgetState::Degraded);
        QVERIFY(!decision);
        QCOMPARE(decision.error().kind, RouteRefusal::Kind::NoCapableModel);
    }
};

QTEST_GUILESS_MAIN(TestModelRouter)
#include "tst_modelrouter.moc"
