// LlmClassifier against FakeCohere: the answer's parsing, what is sent, the
// budget (reserve, settle, release) and the breaker.
#include "LlmTestSupport.h"

#include "budget/CostModel.h"
#include "llm/LlmClassifier.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>

using namespace safecell;
using namespace safecell::fake;
using namespace safecell::safety;
using namespace llmtest;

class TestLlmClassifier : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeCohere> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    std::unique_ptr<LlmServices> m_services;
    LlmServicesConfig m_config;

    LlmClassification classifyNow(const QString &code, const QString &runId = QStringLiteral("run-1"),
                                  std::function<void(LlmClassifier &)> whileRunning = {})
    {
        LlmClassifier classifier(*m_services);
        QSignalSpy done(&classifier, &LlmClassifier::finished);
        classifier.classify(code, Language::Python, kKey, BudgetScopes::forLocalUser(QStringLiteral("s"), runId),
                            runId);
        if (whileRunning)
            whileRunning(classifier);
        if (done.isEmpty())
            [&] { QVERIFY(done.wait(20000)); }();
        if (done.isEmpty())
            return {};
        return done.first().first().value<LlmClassification>();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_fake = std::make_unique<FakeCohere>();
        QVERIFY(m_fake->listen());
        m_nam = std::make_unique<QNetworkAccessManager>();
        m_config = config(*m_fake, *m_dir);
        auto services = LlmServices::create(m_nam.get(), m_config);
        QVERIFY2(services, qPrintable(services ? QString() : services.error()));
        m_services = std::move(services.value());
    }

    void cleanup()
    {
        m_services.reset();
        m_nam.reset();
        m_fake.reset();
        m_dir.reset();
    }

    void parsesLabels_data()
    {
        QTest::addColumn<QString>("reply");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("label");
        QTest::addColumn<double>("confidence");
        QTest::newRow("safe") << verdictJson(QStringLiteral("safe"), 0.92) << true << int(SafetyLabel::Safe) << 0.92;
        QTest::newRow("dangerous, caps and spaces")
            << QStringLiteral(" {\"label\":\" Dangerous\",\"confidence\":1,\"reason\":\"rm\"} ") << true
            << int(SafetyLabel::Dangerous) << 1.0;
        QTest::newRow("ambiguous at 0") << verdictJson(QStringLiteral("ambiguous"), 0) << true
                                        << int(SafetyLabel::Ambiguous) << 0.0;
        QTest::newRow("garbage") << QStringLiteral("Sure! This looks safe.") << false << int(SafetyLabel::Ambiguous)
                                 << 0.0;
        QTest::newRow("array") << QStringLiteral("[\"safe\"]") << false << int(SafetyLabel::Ambiguous) << 0.0;
        QTest::newRow("unknown label") << verdictJson(QStringLiteral("harmless"), 0.9) << false
                                       << int(SafetyLabel::Ambiguous) << 0.0;
        QTest::newRow("confidence above 1")
            << verdictJson(QStringLiteral("safe"), 1.5) << false << int(SafetyLabel::Ambiguous) << 0.0;
        QTest::newRow("negative confidence")
            << verdictJson(QStringLiteral("safe"), -0.1) << false << int(SafetyLabel::Ambiguous) << 0.0;
        QTest::newRow("confidence as string") << QStringLiteral("{\"label\":\"safe\",\"confidence\":\"0.9\"}") << false
                                              << int(SafetyLabel::Ambiguous) << 0.0;
        QTest::newRow("no confidence") << QStringLiteral("{\"label\":\"safe\"}") << false << int(SafetyLabel::Ambiguous)
                                       << 0.0;
        QTest::newRow("empty") << QString() << false << int(SafetyLabel::Ambiguous) << 0.0;
    }

    void parsesLabels()
    {
        QFETCH(QString, reply);
        QFETCH(bool, valid);
        QFETCH(int, label);
        QFETCH(double, confidence);
        const LlmLabel parsed = parseLlmLabel(reply);
        QCOMPARE(parsed.valid, valid);
        QCOMPARE(int(parsed.label), label);
        QCOMPARE(parsed.confidence, confidence);
        if (!valid)
            QVERIFY(!parsed.reason.isEmpty());
    }

    void garbageFromTheModelIsAmbiguousAtZero()
    {
        m_fake->enqueue(ScriptedResponse::chat(QStringLiteral("I think it is fine"), 100, 8));
        const LlmClassification r = classifyNow(QStringLiteral("x = 1"));
        QCOMPARE(r.status, PaidChatOutcome::Status::Ok);
        QVERIFY(!r.label.valid);
        QCOMPARE(r.label.label, SafetyLabel::Ambiguous);
        QCOMPARE(r.label.confidence, 0.0);
    }

    void sendsJsonFormatSchemaAndSnippetButNeverTheKey()
    {
        m_fake->enqueue(ScriptedResponse::chat(verdictJson(QStringLiteral("safe"), 0.9), 100, 8));
        const QString code = QStringLiteral("api = '%1'\nprint(len(api))").arg(kKey);
        const LlmClassification r = classifyNow(code);
        QCOMPARE(r.status, PaidChatOutcome::Status::Ok);
        const auto requests = m_fake->requests();
        QCOMPARE(requests.size(), 1);
        const RecordedRequest &sent = requests.first();
        QVERIFY2(!sent.body.contains(kKey.toUtf8()), sent.body.constData());
        QCOMPARE(sent.header("authorization"), QByteArray("Bearer " + kKey.toUtf8()));
        const QJsonObject body = sent.json();
        QCOMPARE(body.value(u"model").toString(), kModel);
        QCOMPARE(body.value(u"response_format").toObject().value(u"type").toString(), QStringLiteral("json_object"));
        const QJsonObject schema = body.value(u"response_format").toObject().value(u"json_schema").toObject();
        QVERIFY(schema.value(u"properties").toObject().contains(u"confidence"));
        const QJsonArray messages = body.value(u"messages").toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages.at(0).toObject().value(u"role").toString(), QStringLiteral("system"));
        QVERIFY(messages.at(1).toObject().value(u"content").toString().contains(u"print(len(api))"));
        // The "what was sent" record is byte for byte what the fake received.
        QCOMPARE(r.requestBody, sent.body);
        QCOMPARE(r.model, kModel);
        QVERIFY(r.routeReason.contains(kModel));
    }

    void spendLandsInTheLedgerWithModelAndTokens()
    {
        m_fake->enqueue(ScriptedResponse::chat(verdictJson(QStringLiteral("safe"), 0.95), 1234, 56));
        const LlmClassification r = classifyNow(QStringLiteral("import pandas as pd"), QStringLiteral("run-ledger"));
        QCOMPARE(r.status, PaidChatOutcome::Status::Ok);
        QCOMPARE(r.usage.inputTokens, 1234);
        QCOMPARE(r.usage.outputTokens, 56);
        const auto price = m_services->router().catalog().model(kModel)->price;
        QVERIFY(price);
        const Money expected = cost::llm(*price, 1234, 56);
        QCOMPARE(r.cost, expected);

        auto ledger = SpendLedger::open(m_config.ledgerPath);
        QVERIFY(ledger);
        const auto entries = (*ledger)->entriesForRun(QStringLiteral("run-ledger"));
        QVERIFY(entries);
        QCOMPARE(entries->size(), 1);
        const LedgerEntry &e = entries->first();
        QCOMPARE(e.charge.kind, ChargeKind::Llm);
        QCOMPARE(e.charge.resource, kModel);
        QCOMPARE(e.charge.inputTokens, 1234);
        QCOMPARE(e.charge.outputTokens, 56);
        QCOMPARE(e.charge.cost, expected);
        QCOMPARE(e.step, QStringLiteral("classify"));
        QVERIFY(e.reserved >= expected); // the worst case covered the bill
        QCOMPARE(heldNow(**ledger), Money());
    }

    void reservationReleasedOn5xx()
    {
        m_fake->enqueue(ScriptedResponse::error(503, QStringLiteral("service unavailable")));
        const LlmClassification r = classifyNow(QStringLiteral("x = 1"), QStringLiteral("run-5xx"));
        QCOMPARE(r.status, PaidChatOutcome::Status::Failed);
        QVERIFY(r.message.contains(u"service unavailable"));
        auto ledger = SpendLedger::open(m_config.ledgerPath);
        QVERIFY(ledger);
        QCOMPARE(heldNow(**ledger), Money());
        QCOMPARE(*(*ledger)->entryCount(), 0);
        QCOMPARE(m_config.breakers->forModel(kModel).consecutiveFailures(), 1);
    }

    void cancelReleasesAtOnce()
    {
        // A reply that takes far longer than the test waits.
        m_fake->enqueue(ScriptedResponse::chat(verdictJson(QStringLiteral("safe"), 0.9)).delayHeaders(15000));
        auto ledger = SpendLedger::open(m_config.ledgerPath);
        QVERIFY(ledger);
        Money heldDuring;
        QElapsedTimer clock;
        clock.start();
        const LlmClassification r = classifyNow(QStringLiteral("x = 1"), QStringLiteral("run-cancel"),
                                                [&](LlmClassifier &c) {
            QTRY_COMPARE_WITH_TIMEOUT(m_fake->requests().size(), 1, 5000);
            heldDuring = heldNow(**ledger);
            c.cancel();
        });
        QCOMPARE(r.status, PaidChatOutcome::Status::Cancelled);
        QVERIFY(clock.elapsed() < 10000);
        QVERIFY(heldDuring > Money());
        QCOMPARE(heldNow(**ledger), Money());
        QCOMPARE(*(*ledger)->entryCount(), 0);
        // A cancel is no failure of the model.
        QCOMPARE(m_config.breakers->forModel(kModel).consecutiveFailures(), 0);
    }

    void breakerOpensAfterFiveFailuresAndNothingIsSent()
    {
        for (int i = 0; i < 5; ++i)
            m_fake->enqueue(ScriptedResponse::error(500, QStringLiteral("internal error")));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(classifyNow(QStringLiteral("x = 1"), QStringLiteral("run-%1").arg(i)).status,
                     PaidChatOutcome::Status::Failed);
        QCOMPARE(m_config.breakers->forModel(kModel).state(), BreakerState::Open);
        const LlmClassification r = classifyNow(QStringLiteral("x = 1"), QStringLiteral("run-open"));
        QCOMPARE(r.status, PaidChatOutcome::Status::NotRouted);
        QVERIFY2(r.message.contains(u"open"), qPrintable(r.message));
        QCOMPARE(m_fake->requests().size(), 5);
        QVERIFY(r.requestBody.isEmpty());
    }

    void successClosesTheFailureCount()
    {
        m_fake->enqueue(ScriptedResponse::error(500, QStringLiteral("internal error")));
        m_fake->enqueue(ScriptedResponse::chat(verdictJson(QStringLiteral("safe"), 0.9)));
        classifyNow(QStringLiteral("x = 1"), QStringLiteral("a"));
        QCOMPARE(m_config.breakers->forModel(kModel).consecutiveFailures(), 1);
        QCOMPARE(classifyNow(QStringLiteral("x = 1"), QStringLiteral("b")).status, PaidChatOutcome::Status::Ok);
        QCOMPARE(m_config.breakers->forModel(kModel).consecutiveFailures(), 0);
    }

    void overBudgetSendsNothing()
    {
        BudgetPolicy tiny;
        tiny.setLimit(ScopeLevel::Org, Money::fromNanos(1000)); // a millionth of a dollar
        m_services->budget().setPolicy(tiny);
        const LlmClassification r = classifyNow(QStringLiteral("x = 1"));
        QCOMPARE(r.status, PaidChatOutcome::Status::OverBudget);
        QCOMPARE(m_fake->requests().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestLlmClassifier)
#include "tst_llmclassifier.moc"
