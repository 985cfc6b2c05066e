// LlmThread against FakeCohere: requests go to a worker thread and their
// answers come back as signals carrying the request's id; a cancelled or
// superseded request's late answer never comes out; the window's settings
// (URL, budget, models) are the ones used; a config the settings did not
// fill is refused as a value.
#include "LlmTestSupport.h"

#include "llm/LlmThread.h"
#include "routing/RoutingSettings.h"
#include "settings/Settings.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QThread>

using namespace safecell;
using namespace safecell::fake;
using namespace llmtest;

namespace {
const QString kSlowAnswer = QStringLiteral("print('slow')\n");
}

class TestLlmThread : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeCohere> m_fake;
    LlmServicesConfig m_config;

    static CodeAssistantResult resultAt(const QSignalSpy &finished, qsizetype i)
    {
        return finished.at(i).at(1).value<CodeAssistantResult>();
    }

    // A stream that sends its first piece and then stalls until cancelled:
    // cut where the event carrying the second piece begins.
    void enqueueStall()
    {
        ScriptedResponse response = ScriptedResponse::stream({kSlowAnswer, QStringLiteral("print('never')\n")});
        QByteArray body;
        for (const BodyStep &step : response.steps)
            body += step.bytes;
        const qsizetype second = body.indexOf("never");
        QVERIFY(second > 0);
        const qsizetype eventStart = body.lastIndexOf("\n\n", second) + 2;
        QVERIFY(eventStart > 2);
        m_fake->enqueue(response.truncateAt(int(eventStart), ScriptedResponse::End::Stall));
    }

private Q_SLOTS:
    void initTestCase()
    {
        qunsetenv("SAFECELL_COHERE_URL");
        qunsetenv("COHERE_API_KEY");
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_fake = std::make_unique<FakeCohere>();
        QVERIFY(m_fake->listen());
        m_fake->setExpectedKey(kKey);
        m_config = config(*m_fake, *m_dir);
        m_config.apiKey.reset(); // each request brings its key
        qputenv("SAFECELL_DATA_DIR", m_dir->filePath(QStringLiteral("data")).toUtf8());
    }

    void cleanup()
    {
        m_fake.reset();
        m_dir.reset();
    }

    void answerArrivesThroughSignalsOnTheCallersThread()
    {
        m_fake->enqueue(ScriptedResponse::stream(
                            {QStringLiteral("```python\n"), QStringLiteral("total = 2 + 3\n"), QStringLiteral("```\n")})
                            .splitEvery(8, 10));
        LlmThread llm(m_config);
        QSignalSpy deltas(&llm, &LlmThread::textDelta);
        QSignalSpy finished(&llm, &LlmThread::finished);
        QThread *receivedOn = nullptr;
        connect(&llm, &LlmThread::finished, this, [&] { receivedOn = QThread::currentThread(); });
        const quint64 id = llm.ask(QStringLiteral("add two numbers"), Language::Python, kKey);
        QVERIFY(id != 0);
        QVERIFY(llm.isBusy());
        QCOMPARE(finished.size(), 0); // sent, not answered: nothing ran on this thread
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(0).toULongLong(), id);
        const CodeAssistantResult r = resultAt(finished, 0);
        QCOMPARE(r.status, PaidChatOutcome::Status::Ok);
        QCOMPARE(r.code, QStringLiteral("total = 2 + 3\n"));
        QVERIFY(r.cost.nanos() > 0);
        QVERIFY(!deltas.isEmpty());
        QString streamed;
        for (const auto &delta : deltas) {
            QCOMPARE(delta.at(0).toULongLong(), id);
            streamed += delta.at(1).toString();
        }
        QCOMPARE(streamed, r.text);
        QCOMPARE(receivedOn, QThread::currentThread());
        QVERIFY(!llm.isBusy());
        QVERIFY(m_fake->requests().first().body.contains("add two numbers"));
    }

    void eachRequestHasItsOwnId()
    {
        m_fake->enqueue(ScriptedResponse::stream({QStringLiteral("print(1)\n")}));
        m_fake->enqueue(ScriptedResponse::stream({QStringLiteral("The divisor is zero.")}));
        LlmThread llm(m_config);
        QSignalSpy finished(&llm, &LlmThread::finished);
        const quint64 first = llm.ask(QStringLiteral("print one"), Language::Python, kKey);
        QVERIFY(finished.wait(20000));
        const quint64 second = llm.explain(QStringLiteral("1 / 0"), Language::Python,
                                           QStringLiteral("ZeroDivisionError"), kKey);
        QVERIFY(second != first);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.size(), 2);
        QCOMPARE(finished.at(0).at(0).toULongLong(), first);
        QCOMPARE(finished.at(1).at(0).toULongLong(), second);
        QCOMPARE(resultAt(finished, 1).task, CodeAssistantResult::Task::Explain);
        QCOMPARE(resultAt(finished, 1).text, QStringLiteral("The divisor is zero."));
    }

    void cancelEndsAtOnceAndTheLateAnswerIsIgnored()
    {
        enqueueStall();
        m_fake->enqueue(ScriptedResponse::stream({QStringLiteral("print('next')\n")}));
        LlmThread llm(m_config);
        QSignalSpy deltas(&llm, &LlmThread::textDelta);
        QSignalSpy finished(&llm, &LlmThread::finished);
        const quint64 cancelled = llm.ask(QStringLiteral("slow"), Language::Python, kKey);
        QVERIFY(deltas.wait(20000)); // the stream is under way, stalled after its first piece
        llm.cancel();
        QCOMPARE(finished.size(), 1); // before cancel() returned: the GUI never waits for the network
        QCOMPARE(finished.first().at(0).toULongLong(), cancelled);
        QCOMPARE(resultAt(finished, 0).status, PaidChatOutcome::Status::Cancelled);
        QVERIFY(!llm.isBusy());
        const qsizetype deltasBefore = deltas.size();
        QTest::qWait(500); // the worker's own end of the cancelled call comes back meanwhile
        QCOMPARE(finished.size(), 1);
        QCOMPARE(deltas.size(), deltasBefore);

        // The next request runs once the cancelled one has ended on the worker.
        const quint64 next = llm.ask(QStringLiteral("next"), Language::Python, kKey);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.size(), 2);
        QCOMPARE(finished.at(1).at(0).toULongLong(), next);
        QCOMPARE(resultAt(finished, 1).code, QStringLiteral("print('next')\n"));
        QCOMPARE(m_fake->requests().size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(heldNowIn(m_dir->filePath(QStringLiteral("ledger.sqlite"))), Money(), 5000);
    }

    void aSupersededRequestsAnswerIsIgnored()
    {
        enqueueStall();
        m_fake->enqueue(ScriptedResponse::stream({QStringLiteral("print('second')\n")}));
        LlmThread llm(m_config);
        QSignalSpy deltas(&llm, &LlmThread::textDelta);
        QSignalSpy finished(&llm, &LlmThread::finished);
        const quint64 first = llm.ask(QStringLiteral("first"), Language::Python, kKey);
        QVERIFY(deltas.wait(20000));
        const quint64 second = llm.ask(QStringLiteral("second"), Language::Python, kKey);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(0).toULongLong(), first);
        QCOMPARE(resultAt(finished, 0).status, PaidChatOutcome::Status::Cancelled);
        deltas.clear();
        QVERIFY(finished.wait(20000));
        QTest::qWait(200);
        QCOMPARE(finished.size(), 2);
        QCOMPARE(finished.at(1).at(0).toULongLong(), second);
        QCOMPARE(resultAt(finished, 1).code, QStringLiteral("print('second')\n"));
        for (const auto &delta : deltas)
            QCOMPARE(delta.at(0).toULongLong(), second);
    }

    void theWindowsSettingsAreUsed()
    {
        Settings settings(m_dir->filePath(QStringLiteral("window.ini")));
        settings.setValue(Setting::CohereBaseUrl, m_fake->baseUrl().toString());
        settings.setValue(Setting::BudgetMonthlyLimitUsd, 10.0);
        settings.setValue(preferredModelSetting(Purpose::Generate), QStringLiteral("command-r-08-2024"));
        const LlmServicesConfig fromSettings = llmServicesFromSettings(settings);
        QCOMPARE(fromSettings.baseUrl, m_fake->baseUrl());
        m_fake->enqueue(ScriptedResponse::stream({QStringLiteral("print(1)\n")}));
        LlmThread llm(fromSettings);
        QSignalSpy finished(&llm, &LlmThread::finished);
        llm.ask(QStringLiteral("print one"), Language::Python, kKey);
        QVERIFY(finished.wait(20000));
        const CodeAssistantResult r = resultAt(finished, 0);
        QCOMPARE(r.status, PaidChatOutcome::Status::Ok);
        QCOMPARE(r.model, QStringLiteral("command-r-08-2024"));
        QVERIFY(m_fake->requests().first().body.contains("command-r-08-2024"));
    }

    void theWindowsBudgetIsUsed()
    {
        Settings settings(m_dir->filePath(QStringLiteral("window.ini")));
        settings.setValue(Setting::CohereBaseUrl, m_fake->baseUrl().toString());
        settings.setValue(Setting::BudgetMonthlyLimitUsd, 0.000001);
        LlmThread llm(llmServicesFromSettings(settings));
        QSignalSpy finished(&llm, &LlmThread::finished);
        llm.ask(QStringLiteral("anything"), Language::Python, kKey);
        QVERIFY(finished.wait(20000));
        const auto status = resultAt(finished, 0).status;
        QVERIFY2(status == PaidChatOutcome::Status::OverBudget || status == PaidChatOutcome::Status::NotRouted,
                 qPrintable(resultAt(finished, 0).message));
        QCOMPARE(m_fake->requests().size(), 0);
    }

    void newSettingsReachTheNextRequest()
    {
        FakeCohere other;
        QVERIFY(other.listen());
        other.enqueue(ScriptedResponse::stream({QStringLiteral("print(2)\n")}));
        LlmThread llm(m_config);
        LlmServicesConfig moved = m_config;
        moved.baseUrl = other.baseUrl();
        llm.reconfigure(moved);
        QSignalSpy finished(&llm, &LlmThread::finished);
        llm.ask(QStringLiteral("print two"), Language::Python, kKey);
        QVERIFY(finished.wait(20000));
        QCOMPARE(resultAt(finished, 0).status, PaidChatOutcome::Status::Ok);
        QCOMPARE(other.requests().size(), 1);
        QCOMPARE(m_fake->requests().size(), 0);
    }

    void servicesRefuseAConfigWithoutUrlOrBudget()
    {
        QNetworkAccessManager nam;
        LlmServicesConfig noUrl = m_config;
        noUrl.baseUrl = QUrl();
        auto refused = LlmServices::create(&nam, noUrl);
        QVERIFY(!refused);
        QVERIFY(refused.error().contains(QStringLiteral("URL")));
        LlmServicesConfig noBudget = m_config;
        noBudget.budgetPolicy.reset();
        refused = LlmServices::create(&nam, noBudget);
        QVERIFY(!refused);
        QVERIFY(refused.error().contains(QStringLiteral("budget")));
        QVERIFY(LlmServices::create(&nam, m_config));
    }

    void aRefusedConfigEndsTheRequestWithWhy()
    {
        LlmServicesConfig noUrl = m_config;
        noUrl.baseUrl = QUrl();
        LlmThread llm(noUrl);
        QSignalSpy finished(&llm, &LlmThread::finished);
        llm.ask(QStringLiteral("anything"), Language::Python, kKey);
        QVERIFY(finished.wait(20000));
        const CodeAssistantResult r = resultAt(finished, 0);
        QCOMPARE(r.status, PaidChatOutcome::Status::BudgetError);
        QVERIFY(r.message.contains(QStringLiteral("no Cohere URL")));
        QCOMPARE(m_fake->requests().size(), 0);
    }

    void noKeyEndsTheRequestWithWhy()
    {
        LlmThread llm(m_config);
        QSignalSpy finished(&llm, &LlmThread::finished);
        llm.ask(QStringLiteral("anything"), Language::Python, QString(), QStringLiteral("the keychain is locked"));
        QVERIFY(finished.wait(20000));
        const CodeAssistantResult r = resultAt(finished, 0);
        QCOMPARE(r.status, PaidChatOutcome::Status::NotRouted);
        QVERIFY(r.message.contains(QStringLiteral("the keychain is locked")));
        QCOMPARE(m_fake->requests().size(), 0);
    }

private:
    static Money heldNowIn(const QString &ledgerPath)
    {
        auto ledger = SpendLedger::open(ledgerPath);
        return ledger ? heldNow(**ledger) : Money::fromNanos(-1);
    }
};

QTEST_GUILESS_MAIN(TestLlmThread)
#include "tst_llmthread.moc"
