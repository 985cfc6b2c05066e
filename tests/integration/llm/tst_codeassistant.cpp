// CodeAssistant against FakeCohere: streamed code and explanations, routed
// per purpose, paid through the ledger, cancellable.
#include "LlmTestSupport.h"

#include "llm/CodeAssistant.h"

#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QSignalSpy>

using namespace safecell;
using namespace safecell::fake;
using namespace llmtest;

class TestCodeAssistant : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeCohere> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    LlmServicesConfig m_config;

    CodeAssistantResult waitFor(QSignalSpy &done)
    {
        if (done.isEmpty())
            [&] { QVERIFY(done.wait(20000)); }();
        return done.isEmpty() ? CodeAssistantResult{} : done.first().first().value<CodeAssistantResult>();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_fake = std::make_unique<FakeCohere>();
        QVERIFY(m_fake->listen());
        m_nam = std::make_unique<QNetworkAccessManager>();
        m_config = config(*m_fake, *m_dir);
    }

    void cleanup()
    {
        m_nam.reset();
        m_fake.reset();
        m_dir.reset();
    }

    void stripsFences()
    {
        QCOMPARE(stripCodeFences(QStringLiteral("```python\nprint(1)\n```\n")), QStringLiteral("print(1)\n"));
        QCOMPARE(stripCodeFences(QStringLiteral("print(1)\n")), QStringLiteral("print(1)\n"));
        QCOMPARE(stripCodeFences(QStringLiteral("```\nSELECT 1;\n```")), QStringLiteral("SELECT 1;\n"));
    }

    void askStreamsCodeAndChargesTheLedger()
    {
        m_fake->enqueue(ScriptedResponse::stream({QStringLiteral("import pandas as pd\n"),
                                                  QStringLiteral("df = pd.DataFrame({'a': [1, 2]})\n"),
                                                  QStringLiteral("print(df.a.mean())\n")},
                                                 300, 40)
                            .splitEvery(64, 20));
        CodeAssistant assistant(m_config, m_nam.get(), nullptr);
        QSignalSpy deltas(&assistant, &CodeAssistant::textDelta);
        QSignalSpy done(&assistant, &CodeAssistant::finished);
        assistant.ask(QStringLiteral("mean of a column"), Language::Python);
        QVERIFY(assistant.isBusy());
        const CodeAssistantResult r = waitFor(done);
        QCOMPARE(r.status, PaidChatOutcome::Status::Ok);
        QVERIFY2(deltas.size() > 1, "the code arrives in pieces, as it streams");
        QString streamed;
        for (const auto &d : deltas)
            streamed += d.first().toString();
        QCOMPARE(streamed, r.text);
        QCOMPARE(r.code, QStringLiteral("import pandas as pd\ndf = pd.DataFrame({'a': [1, 2]})\nprint(df.a.mean())\n"));
        QCOMPARE(r.model, QStringLiteral("command-a-03-2025")); // the generate chain's first choice
        QCOMPARE(r.usage.inputTokens, 300);
        QVERIFY(r.cost > Money());
        const RecordedRequest sent = m_fake->requests().first();
        QCOMPARE(sent.json().value(u"stream").toBool(), true);
        QCOMPARE(r.requestBody, sent.body);
        QVERIFY(sent.body.contains("mean of a column"));

        auto ledger = SpendLedger::open(m_config.ledgerPath);
        QVERIFY(ledger);
        QCOMPARE(*(*ledger)->totalSettled(), r.cost);
        QCOMPARE(heldNow(**ledger), Money());
    }

    void explainSendsTracebackAndCodeWithoutTheKey()
    {
        m_fake->enqueue(
            ScriptedResponse::stream({QStringLiteral("You divided by zero."), QStringLiteral(" Check b first.")}));
        CodeAssistant assistant(m_config, m_nam.get(), nullptr);
        QSignalSpy done(&assistant, &CodeAssistant::finished);
        assistant.explain(QStringLiteral("a = 1 / 0  # %1").arg(kKey), Language::Python,
                          QStringLiteral("ZeroDivisionError: division by zero"));
        const CodeAssistantResult r = waitFor(done);
        QCOMPARE(r.status, PaidChatOutcome::Status::Ok);
        QCOMPARE(r.task, CodeAssistantResult::Task::Explain);
        QCOMPARE(r.text, QStringLiteral("You divided by zero. Check b first."));
        QCOMPARE(r.model, QStringLiteral("command-r-08-2024")); // the explain chain's first choice
        const QByteArray body = m_fake->requests().first().body;
        QVERIFY(body.contains("ZeroDivisionError"));
        QVERIFY(body.contains("a = 1 / 0"));
        QVERIFY(!body.contains(kKey.toUtf8()));
    }

    void cancelMidStreamReleasesTheHold()
    {
        m_fake->enqueue(ScriptedResponse::stream({QStringLiteral("print(1)\n"), QStringLiteral("print(2)\n")})
                            .truncateAt(200, ScriptedResponse::End::Stall));
        CodeAssistant assistant(m_config, m_nam.get(), nullptr);
        QSignalSpy done(&assistant, &CodeAssistant::finished);
        assistant.ask(QStringLiteral("print numbers"), Language::Python);
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->requests().size(), 1, 10000);
        auto ledger = SpendLedger::open(m_config.ledgerPath);
        QVERIFY(ledger);
        QVERIFY(heldNow(**ledger) > Money());
        assistant.cancel();
        const CodeAssistantResult r = waitFor(done);
        QCOMPARE(r.status, PaidChatOutcome::Status::Cancelled);
        QVERIFY(!assistant.isBusy());
        QCOMPARE(heldNow(**ledger), Money());
        QCOMPARE(*(*ledger)->entryCount(), 0);
    }

    void noKeyAsksNothing()
    {
        m_config.apiKey = QString();
        CodeAssistant assistant(m_config, m_nam.get(), nullptr);
        QSignalSpy done(&assistant, &CodeAssistant::finished);
        assistant.ask(QStringLiteral("anything"), Language::Sql);
        const CodeAssistantResult r = waitFor(done);
        QCOMPARE(r.status, PaidChatOutcome::Status::NotRouted);
        QVERIFY(r.message.contains(u"no Cohere API key"));
        QCOMPARE(m_fake->requests().size(), 0);
    }

    void overBudgetAsksNothing()
    {
        BudgetPolicy tiny;
        tiny.setLimit(ScopeLevel::Org, Money::fromNanos(1000));
        m_config.budgetPolicy = tiny;
        CodeAssistant assistant(m_config, m_nam.get(), nullptr);
        QSignalSpy done(&assistant, &CodeAssistant::finished);
        assistant.ask(QStringLiteral("anything"), Language::Python);
        const CodeAssistantResult r = waitFor(done);
        QCOMPARE(r.status, PaidChatOutcome::Status::OverBudget);
        QCOMPARE(m_fake->requests().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCodeAssistant)
#include "tst_codeassistant.moc"
