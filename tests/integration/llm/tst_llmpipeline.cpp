// The Classifying step's LLM second opinion inside RunWorker, against
// FakeCohere: who gets escalated, and every reason the analyst confirms
// instead (no key, budget Degraded, breaker open).
#include "LlmTestSupport.h"

#include "budget/BudgetController.h"
#include "budget/LedgerBreaches.h"
#include "pipeline/RunHistory.h"
#include "pipeline/RunWorker.h"
#include "safety/Classifier.h"
#include "safety/ConfidenceRouter.h"

#include <QSignalSpy>

using namespace safecell;
using namespace safecell::fake;
using namespace llmtest;

namespace {

// Reads remote data: ambiguous (PY-URL) at a confidence the router escalates.
const QString kEscalated = QStringLiteral("import pandas as pd\n"
                                          "try:\n"
                                          "    pd.read_csv(\"https://example.com/data.csv\")\n"
                                          "except Exception:\n"
                                          "    pass\n"
                                          "print(\"ran\")\n");
// Writes a file: ambiguous with high confidence, accepted as ambiguous.
const QString kSurelyAmbiguous = QStringLiteral("open(\"out.txt\", \"w\").write(\"x\")\n");

RunRequest python(const QString &code)
{
    RunRequest r;
    r.code = code;
    r.language = Language::Python;
    r.maxExecutionTimeMs = 30000;
    return r;
}

QStringList g_critical; // critical messages logged in the budget category
QtMessageHandler g_previous = nullptr;
void catchCritical(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtCriticalMsg && qstrcmp(context.category, "safecell.budget") == 0)
        g_critical << message;
    g_previous(type, context, message);
}

safety::ConfidenceRouter::Route localRoute(const QString &code)
{
    return safety::ConfidenceRouter().route(safety::Classifier().classify(code, Language::Python)).route;
}

} // namespace

class TestLlmPipeline : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeCohere> m_fake;
    LlmServicesConfig m_llm;
    std::unique_ptr<RunWorker> m_worker;

    void makeWorker()
    {
        RunWorkerConfig config;
        config.llm = m_llm;
        config.ledgerPath = m_llm.ledgerPath;
        if (m_llm.budgetPolicy)
            config.budgetPolicy = *m_llm.budgetPolicy;
        m_worker = std::make_unique<RunWorker>(config);
        m_worker->initialize();
    }

    RunReport run(const QString &code, std::function<void()> whileRunning = {})
    {
        if (!m_worker)
            makeWorker();
        QSignalSpy finished(m_worker.get(), &RunWorker::finished);
        m_worker->start(python(code));
        if (whileRunning)
            whileRunning();
        if (finished.isEmpty() && !finished.wait(60000))
            return {};
        return finished.first().first().value<RunReport>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(localRoute(kEscalated), safety::ConfidenceRouter::Route::Escalate);
        QCOMPARE(localRoute(kSurelyAmbiguous), safety::ConfidenceRouter::Route::Accept);
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_fake = std::make_unique<FakeCohere>();
        QVERIFY(m_fake->listen());
        m_llm = config(*m_fake, *m_dir);
    }

    void cleanup()
    {
        m_worker.reset();
        m_fake.reset();
        m_dir.reset();
    }

    void safeCodeNeverReachesTheLlm()
    {
        const RunReport r = run(QStringLiteral("print(1 + 1)\n"));
        QCOMPARE(r.outcome, RunOutcome::Ok);
        QCOMPARE(r.decidedBy, QStringLiteral("local rules"));
        QVERIFY(r.model.isEmpty());
        QCOMPARE(m_fake->requests().size(), 0);
    }

    void confidentlyAmbiguousCodeIsTheAnalystsCallWithoutTheLlm()
    {
        const RunReport r = run(kSurelyAmbiguous);
        QCOMPARE(r.outcome, RunOutcome::NeedsConfirmation);
        QCOMPARE(m_fake->requests().size(), 0);
    }

    void escalatedCodeRunsWhenTheLlmSaysSafe()
    {
        m_fake->enqueue(
            ScriptedResponse::chat(verdictJson(QStringLiteral("safe"), 0.93, QStringLiteral("reads a CSV")), 400, 20));
        const RunReport r = run(kEscalated);
        QCOMPARE(m_fake->requests().size(), 1);
        QCOMPARE(r.decidedBy, QStringLiteral("llm"));
        QCOMPARE(r.model, kModel);
        QVERIFY(r.modelReason.contains(kModel));
        QCOMPARE(r.llmInputTokens, 400);
        QCOMPARE(r.llmOutputTokens, 20);
        QVERIFY(r.llmCost > Money());
        QCOMPARE(r.llmRequest, m_fake->requests().first().body);
        QVERIFY2(r.outcome == RunOutcome::Ok, qPrintable(outcomeName(r.outcome) + QStringLiteral(": ") + r.message));
        QCOMPARE(r.result.stdoutText, QStringLiteral("ran\n"));

        auto ledger = SpendLedger::open(m_llm.ledgerPath);
        QVERIFY(ledger);
        const auto entries = (*ledger)->entriesForRun(r.runId);
        QVERIFY(entries);
        QCOMPARE(entries->size(), 1);
        QCOMPARE(entries->first().charge.resource, kModel);
        QCOMPARE(entries->first().charge.cost, r.llmCost);

        // The history keeps the model, why it was chosen, what it said and
        // exactly what it was sent.
        const auto record = RunHistory(**ledger).find(r.runId);
        QVERIFY(record && record->has_value());
        const RunRecord &run = **record;
        QCOMPARE(run.decidedBy, QStringLiteral("llm"));
        QCOMPARE(run.model, kModel);
        QCOMPARE(run.modelReason, r.modelReason);
        QCOMPARE(run.llmCost, r.llmCost);
        QVERIFY2(run.classificationNote.contains(u"reads a CSV"), qPrintable(run.classificationNote));
        QCOMPARE(run.llmRequest.toUtf8(), m_fake->requests().first().body);
        QVERIFY(RunHistory::toJson({run}).first().toObject().value(u"llmRequest").toString().contains(u"example.com"));
    }

    void escalatedCodeIsBlockedWhenTheLlmIsSureItIsDangerous()
    {
        m_fake->enqueue(
            ScriptedResponse::chat(verdictJson(QStringLiteral("dangerous"), 0.97, QStringLiteral("exfiltrates")), 400,
                                   20));
        const RunReport r = run(kEscalated);
        QCOMPARE(r.outcome, RunOutcome::Blocked);
        QCOMPARE(r.decidedBy, QStringLiteral("llm"));
        QVERIFY(r.message.contains(u"exfiltrates"));
    }

    void unusableLlmAnswerNeedsConfirmation()
    {
        m_fake->enqueue(ScriptedResponse::chat(QStringLiteral("looks fine to me"), 400, 20));
        const RunReport r = run(kEscalated);
        QCOMPARE(r.outcome, RunOutcome::NeedsConfirmation);
        QVERIFY2(r.classificationNote.contains(u"unusable"), qPrintable(r.classificationNote));
        QCOMPARE(r.model, kModel); // it was asked, and paid for
    }

    void noKeyNeedsConfirmationAndSaysWhy()
    {
        m_llm.apiKey = QString();
        const RunReport r = run(kEscalated);
        QCOMPARE(r.outcome, RunOutcome::NeedsConfirmation);
        QVERIFY2(r.classificationNote.contains(u"no Cohere API key"), qPrintable(r.message));
        QVERIFY(r.message.contains(r.classificationNote));
        QCOMPARE(m_fake->requests().size(), 0);
        auto ledger = SpendLedger::open(m_llm.ledgerPath);
        QVERIFY(ledger);
        const auto record = RunHistory(**ledger).find(r.runId);
        QVERIFY(record && record->has_value());
        QCOMPARE((*record)->classificationNote, r.classificationNote);
        QVERIFY((*record)->model.isEmpty());
        QVERIFY(RunHistory::toCsv({**record}).contains("no Cohere API key"));
    }

    // A provider billing more than was held (issue 16): the fake reports
    // more output tokens than max_tokens. The true cost is recorded, the run
    // flagged, the scopes stopped at once, and the breach logged.
    void aBillAboveTheReservationIsRecordedFlaggedAndStopsTheBudget()
    {
        m_fake->enqueue(ScriptedResponse::chat(verdictJson(QStringLiteral("safe"), 0.97), 400, 5000));
        g_critical.clear();
        g_previous = qInstallMessageHandler(catchCritical);
        const RunReport r = run(kEscalated);
        qInstallMessageHandler(g_previous);
        QVERIFY2(r.outcome == RunOutcome::Ok, qPrintable(outcomeName(r.outcome) + QStringLiteral(": ") + r.message));
        QCOMPARE(r.llmOutputTokens, 5000);
        QVERIFY(r.budgetBreach);
        QVERIFY2(r.message.contains(u"budget breach"), qPrintable(r.message));

        auto ledger = SpendLedger::open(m_llm.ledgerPath);
        QVERIFY(ledger);
        const auto entries = (*ledger)->entriesForRun(r.runId);
        QVERIFY(entries && entries->size() == 1);
        QCOMPARE(entries->first().charge.outputTokens, 5000); // as billed, not as held
        QCOMPARE(entries->first().charge.cost, r.llmCost);
        QVERIFY(entries->first().charge.cost > entries->first().reserved);
        const auto breaches = LedgerBreaches(**ledger).all();
        QVERIFY(breaches && breaches->size() == 1);
        QCOMPARE(breaches->first().runId, r.runId);
        QCOMPARE(breaches->first().settled, r.llmCost);

        BudgetController budget(**ledger, *m_llm.budgetPolicy);
        const auto snapshot = budget.snapshot(BudgetScopes::forLocalUser());
        QVERIFY(snapshot);
        QCOMPARE(snapshot->state, BudgetState::Stopped); // $10 limit, cents spent: stopped by the breach
        QVERIFY(snapshot->scope(ScopeLevel::Org)->breach);
        QCOMPARE(*snapshot->remaining, Money());
        QVERIFY(!budget.reserve(Money::fromNanos(1), BudgetScopes::forLocalUser()));
        QCOMPARE(g_critical.size(), 1);
        QVERIFY2(g_critical.first().contains(u"invariant breach"), qPrintable(g_critical.first()));
        QVERIFY(!g_critical.first().contains(kKey));

        // Stopped: the next escalated snippet gets no paid second opinion.
        const RunReport next = run(kEscalated);
        QCOMPARE(next.outcome, RunOutcome::NeedsConfirmation);
        QCOMPARE(m_fake->requests().size(), 1);
    }

    void degradedBudgetSkipsTheLlm()
    {
        BudgetPolicy policy;
        policy.setLimit(ScopeLevel::Org, Money::fromUsd(1.0));
        m_llm.budgetPolicy = policy;
        {
            auto ledger = SpendLedger::open(m_llm.ledgerPath);
            QVERIFY(ledger);
            BudgetController budget(**ledger, policy);
            const auto held = budget.reserve(*Money::fromUsd(0.95), BudgetScopes::forLocalUser(),
                                             QStringLiteral("earlier"), QStringLiteral("execute"));
            QVERIFY(held);
            Charge spent;
            spent.kind = ChargeKind::Sandbox;
            spent.resource = QStringLiteral("e2b");
            spent.cost = *Money::fromUsd(0.95);
            QVERIFY(budget.settle(*held, spent));
        }
        const RunReport r = run(kEscalated);
        QCOMPARE(r.outcome, RunOutcome::NeedsConfirmation);
        QVERIFY2(r.classificationNote.contains(u"degraded"), qPrintable(r.classificationNote));
        QCOMPARE(m_fake->requests().size(), 0);
    }

    void openBreakerNeedsConfirmationWithTheReason()
    {
        for (int i = 0; i < 5; ++i)
            m_fake->enqueue(ScriptedResponse::error(500, QStringLiteral("internal error")));
        for (int i = 0; i < 5; ++i) {
            const RunReport r = run(kEscalated);
            QCOMPARE(r.outcome, RunOutcome::NeedsConfirmation);
            QVERIFY2(r.classificationNote.contains(u"internal error"), qPrintable(r.classificationNote));
        }
        QCOMPARE(m_fake->requests().size(), 5);
        const RunReport r = run(kEscalated);
        QCOMPARE(r.outcome, RunOutcome::NeedsConfirmation);
        QVERIFY2(r.classificationNote.contains(u"circuit open"), qPrintable(r.classificationNote));
        QCOMPARE(m_fake->requests().size(), 5);
    }

    void cancelDuringTheLlmCall()
    {
        m_fake->enqueue(ScriptedResponse::chat(verdictJson(QStringLiteral("safe"), 0.9)).delayHeaders(15000));
        QElapsedTimer clock;
        clock.start();
        const RunReport r = run(kEscalated, [this] {
            QTRY_COMPARE_WITH_TIMEOUT(m_fake->requests().size(), 1, 10000);
            m_worker->cancel();
        });
        QCOMPARE(r.outcome, RunOutcome::Cancelled);
        QVERIFY(clock.elapsed() < 12000);
        auto ledger = SpendLedger::open(m_llm.ledgerPath);
        QVERIFY(ledger);
        QCOMPARE(heldNow(**ledger), Money());
    }

    void theKeyIsNeverInWhatIsSent()
    {
        m_fake->enqueue(ScriptedResponse::chat(verdictJson(QStringLiteral("ambiguous"), 0.5)));
        const RunReport r = run(kEscalated + QStringLiteral("# key: %1\n").arg(kKey));
        QCOMPARE(m_fake->requests().size(), 1);
        QVERIFY(!m_fake->requests().first().body.contains(kKey.toUtf8()));
        QVERIFY(!r.llmRequest.contains(kKey.toUtf8()));
        QCOMPARE(r.outcome, RunOutcome::NeedsConfirmation);
    }
};

QTEST_GUILESS_MAIN(TestLlmPipeline)
#include "tst_llmpipeline.moc"
