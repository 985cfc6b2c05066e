#include "safety/ConfidenceRouter.h"

#include <QTest>

using namespace safecell;
using namespace safecell::safety;

using Route = ConfidenceRouter::Route;

class TestConfidenceRouter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recipeThresholds()
    {
        const ConfidenceRouter router;
        QCOMPARE(router.acceptThreshold(), 0.8);
        QCOMPARE(router.fallbackThreshold(), 0.3);
        auto d = router.route({{SafetyLabel::Dangerous, 0.8}});
        QCOMPARE(d.route, Route::Accept);
        QCOMPARE(d.label, SafetyLabel::Dangerous);
        d = router.route({{SafetyLabel::Safe, 0.79}});
        QCOMPARE(d.route, Route::Escalate);
        d = router.route({{SafetyLabel::Safe, 0.3}});
        QCOMPARE(d.route, Route::Escalate);
        d = router.route({{SafetyLabel::Safe, 0.29}});
        QCOMPARE(d.route, Route::Fallback);
        QCOMPARE(d.label, SafetyLabel::Ambiguous);
    }

    void mostConfidentPredictionWins()
    {
        const ConfidenceRouter router;
        const auto d = router.route(
            {{SafetyLabel::Safe, 0.2}, {SafetyLabel::Dangerous, 0.9}, {SafetyLabel::Ambiguous, 0.5}});
        QCOMPARE(d.route, Route::Accept);
        QCOMPARE(d.label, SafetyLabel::Dangerous);
        QCOMPARE(d.confidence, 0.9);
    }

    void emptyListIsAFallbackNotAnError()
    {
        const ConfidenceRouter router;
        const auto d = router.route(QList<Prediction>{});
        QCOMPARE(d.route, Route::Fallback);
        QCOMPARE(d.label, SafetyLabel::Ambiguous);
        const auto nan = router.route({{SafetyLabel::Safe, std::numeric_limits<double>::quiet_NaN()}});
        QCOMPARE(nan.route, Route::Fallback);
    }

    void configurableThresholds()
    {
        const ConfidenceRouter strict(0.95, 0.5);
        QCOMPARE(strict.route({{SafetyLabel::Safe, 0.9}}).route, Route::Escalate);
        QCOMPARE(strict.route({{SafetyLabel::Safe, 0.45}}).route, Route::Fallback);
        QCOMPARE(strict.route({{SafetyLabel::Safe, 0.95}}).route, Route::Accept);
    }

    void routesAVerdict()
    {
        const ConfidenceRouter router;
        Verdict v;
        v.label = SafetyLabel::Ambiguous;
        v.confidence = 0.6;
        QCOMPARE(router.route(v).route, Route::Escalate);
    }
};

QTEST_GUILESS_MAIN(TestConfidenceRouter)
#include "tst_confidencerouter.moc"
