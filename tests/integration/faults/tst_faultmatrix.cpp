// The fault matrix (issue 10.1): every step that talks to a service (the
// LLM second opinion inside RunWorker, code generation through
// CodeAssistant, E2B create, execute and kill) meets every fault (refused,
// reset mid-body, no headers, a stall mid-stream, 401, 429 with and without
// Retry-After, 500, 502, 503, malformed JSON, a truncated body or stream,
// null usage). For each: the documented outcome, no sandbox left alive on
// FakeE2b, nothing left reserved in the ledger, the settled money equal to
// what the fakes billed (tokens they reported, sandbox seconds they ran),
// and no crash.
#include "EscalatedSnippet.h"
#include "FakeE2b.h"
#include "cohere/FakeCohere.h"

#include "budget/SpendLedger.h"
#include "llm/CodeAssistant.h"
#include "pipeline/RunWorker.h"

#include <QNetworkAccessManager>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace safecell;
using namespace safecell::fake;
using namespace Qt::StringLiterals;

namespace {

const QString kCohereKey = u"co-fault-matrix-key-0123456789"_s;
const QString kClassifyModel = u"command-r7b-12-2024"_s;
const QString kGenerateModel = u"command-a-03-2025"_s;
constexpr qint64 kTimeLimitMs = 1500;
constexpr int kTimeoutMs = 1000;     // every client timeout in this test
constexpr qint64 kInputTokens = 321; // what the fake bills per LLM answer
constexpr qint64 kOutputTokens = 17;

using faulttest::kEscalated;

const QStringList kFaults = {
    u"refused"_s,
    u"reset-mid-body"_s,
    u"no-headers"_s,
    u"stall-mid-stream"_s,
    u"401"_s,
    u"429-retry-after"_s,
    u"429"_s,
    u"500"_s,
    u"502"_s,
    u"503"_s,
    u"malformed-json"_s,
    u"truncated"_s,
    u"null-usage"_s,
};

QByteArray usageJson(qint64 in, qint64 out)
{
    return "{\"billed_units\":{\"input_tokens\":" + QByteArray::number(in) + ",\"output_tokens\":"
           + QByteArray::number(out) + "},\"tokens\":{\"input_tokens\":" + QByteArray::number(in + 66)
           + ",\"output_tokens\":" + QByteArray::number(out) + "}}";
}

QString verdict(const QString &label, double confidence)
{
    return u"{\"label\":\"%1\",\"confidence\":%2,\"reason\":\"fault matrix\"}"_s.arg(label).arg(confidence);
}

// The LLM answer for the step: a JSON chat (classify) or an SSE stream (generate).
ScriptedResponse goodAnswer(bool streamed)
{
    return streamed ? ScriptedResponse::stream({u"print("_s, u"'generated')\n"_s}, kInputTokens, kOutputTokens)
                    : ScriptedResponse::chat(verdict(u"safe"_s, 0.95), kInputTokens, kOutputTokens);
}

ScriptedResponse withNullUsage(ScriptedResponse response)
{
    QByteArray body = response.body();
    body.replace(usageJson(kInputTokens, kOutputTokens), "null");
    response.steps = {{body, 0}};
    return response;
}

// What FakeCohere answers first for a fault (a retry, when the client makes
// one, gets goodAnswer()).
ScriptedResponse cohereFault(const QString &fault, bool streamed)
{
    const ScriptedResponse good = goodAnswer(streamed);
    const int half = int(good.body().size() / 2);
    if (fault == u"reset-mid-body")
        return ScriptedResponse(good).truncateAt(half, ScriptedResponse::End::Drop);
    if (fault == u"no-headers")
        return ScriptedResponse(good).delayHeaders(kTimeoutMs * 10);
    if (fault == u"stall-mid-stream")
        return ScriptedResponse(good).truncateAt(half, ScriptedResponse::End::Stall);
    if (fault == u"401")
        return ScriptedResponse::error(401, u"invalid api token"_s);
    if (fault == u"429-retry-after")
        return ScriptedResponse::error(429, u"too many requests"_s, "1");
    if (fault == u"429")
        return ScriptedResponse::error(429, u"too many requests"_s);
    if (fault == u"500" || fault == u"502" || fault == u"503")
        return ScriptedResponse::error(fault.toInt(), u"server trouble"_s);
    if (fault == u"malformed-json")
        return streamed ? ScriptedResponse::rawStream("event: message-start\ndata: {not json\n\n")
                        : ScriptedResponse::rawJson("{\"id\": \"x\", \"message\": {not json");
    if (fault == u"truncated") {
        // A complete HTTP body that stops before the JSON (or the stream) does.
        ScriptedResponse cut = good;
        cut.steps = {{good.body().left(half), 0}};
        return cut;
    }
    if (fault == u"null-usage")
        return withNullUsage(good);
    return good;
}

bool cohereRetries(const QString &fault)
{
    return fault.startsWith(u"429") || fault == u"500" || fault == u"502" || fault == u"503";
}

struct LedgerFigures {
    qint64 reservations = -1;
    bool aggregatesMatch = false;
    QString integrity;
    Money settled;
    qint64 llmInputTokens = 0, llmOutputTokens = 0;
    Money llmCost;
    double sandboxSeconds = 0;
    Money sandboxCost;
};

LedgerFigures ledgerFigures(const QString &path)
{
    LedgerFigures f;
    auto ledger = SpendLedger::open(path);
    if (!ledger)
        return f;
    QSqlQuery q((*ledger)->database());
    if (q.exec(u"SELECT COUNT(*) FROM reservations"_s) && q.next())
        f.reservations = q.value(0).toLongLong();
    q.finish();
    if (q.exec(u"SELECT kind, input_tokens, output_tokens, duration_ms, cost_nanos FROM entries"_s)) {
        while (q.next()) {
            const Money cost = Money::fromNanos(q.value(4).toLongLong());
            if (q.value(0).toString() == u"llm") {
                f.llmInputTokens += q.value(1).toLongLong();
                f.llmOutputTokens += q.value(2).toLongLong();
                f.llmCost = f.llmCost + cost;
            } else {
                f.sandboxSeconds += q.value(3).toLongLong() / 1000.0;
                f.sandboxCost = f.sandboxCost + cost;
            }
        }
    }
    q.finish();
    if (auto total = (*ledger)->totalSettled())
        f.settled = *total;
    if (auto match = (*ledger)->aggregatesMatchEntries())
        f.aggregatesMatch = *match;
    if (auto check = (*ledger)->integrityCheck())
        f.integrity = *check;
    return f;
}

quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost);
    return probe.serverPort(); // closed when probe goes
}

QUrl localUrl(quint16 port)
{
    return QUrl(u"http://127.0.0.1:%1"_s.arg(port));
}

} // namespace

class TestFaultMatrix : public QObject {
    Q_OBJECT
private:
    int m_passed = 0;
    int m_total = 0;
    QStringList m_failed;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FakeCohere> m_cohere;
    std::unique_ptr<FakeE2b> m_e2b;
    QString m_ledgerPath;

    LlmServicesConfig llmConfig(bool refused)
    {
        LlmServicesConfig c;
        c.baseUrl = refused ? localUrl(closedPort()) : m_cohere->baseUrl();
        c.ledgerPath = m_ledgerPath;
        BudgetPolicy policy;
        policy.setLimit(ScopeLevel::Org, Money::fromUsd(10.0));
        c.budgetPolicy = policy;
        c.breakers = std::make_shared<CircuitBreakers>();
        RoutingPreferences routing = RoutingPreferences::defaults();
        routing.chains[Purpose::Classify] = {kClassifyModel};
        routing.chains[Purpose::Generate] = {kGenerateModel};
        c.routing = routing;
        c.apiKey = kCohereKey;
        c.callOptions.retry.maxAttempts = 2;
        c.callOptions.retry.baseDelayMs = 50;
        c.callOptions.retry.maxDelayMs = 1500;
        c.callOptions.connectTimeoutMs = kTimeoutMs;
        c.callOptions.firstByteTimeoutMs = kTimeoutMs;
        c.callOptions.stallTimeoutMs = kTimeoutMs;
        c.callOptions.deadlineMs = 8000;
        return c;
    }

    E2bConfig e2bConfig(bool sandboxRefused)
    {
        E2bConfig e2b;
        e2b.apiKey = FakeE2b::defaultApiKey();
        e2b.apiUrl = m_e2b->url();
        e2b.sandboxUrl = sandboxRefused ? localUrl(closedPort()) : m_e2b->url();
        e2b.requestTimeoutMs = kTimeoutMs;
        e2b.contextProbeTimeoutMs = kTimeoutMs;
        e2b.lifetimeMarginS = 1; // a sandbox SafeCell loses sight of ends 1 s after its run could
        e2b.maxRetryAfterS = 2;
        e2b.idleTimeoutMs = 2000; // part of the lifetime asked: a lost sandbox ends 5 s after its run
        return e2b;
    }

    RunWorkerConfig workerConfig(const LlmServicesConfig &llm, const E2bConfig &e2b)
    {
        RunWorkerConfig c;
        c.ledgerPath = m_ledgerPath;
        c.budgetPolicy.setLimit(ScopeLevel::Org, Money::fromUsd(10.0));
        c.e2b = e2b;
        c.llm = llm;
        return c;
    }

    // Runs `code` on a fresh worker, then shuts the worker down (its kill).
    // `beforeShutdown` runs between the two.
    RunReport runAndShutDown(const RunWorkerConfig &config, const QString &code,
                             const std::function<void()> &beforeShutdown = {})
    {
        RunWorker worker(config);
        worker.initialize();
        QSignalSpy finished(&worker, &RunWorker::finished);
        RunRequest request;
        request.code = code;
        request.maxExecutionTimeMs = kTimeLimitMs;
        worker.start(request);
        if (finished.isEmpty() && !finished.wait(20000))
            return {};
        const RunReport report = finished.first().first().value<RunReport>();
        if (beforeShutdown)
            beforeShutdown();
        auto done = std::make_shared<QSemaphore>();
        worker.shutdown(done);
        if (!QTest::qWaitFor([&done] { return done->available() > 0; }, 10000))
            return {}; // the shutdown never ended: an empty report fails the scenario
        return report;
    }

    // The checks every scenario shares: nothing alive, nothing held, the
    // money the fakes billed is the money settled.
    void checkAfterwards(const QString &leakNote)
    {
        // A sandbox SafeCell could not kill (or never learnt of) ends with
        // its lifetime (time limit + margin); nothing outlives that.
        QTRY_COMPARE_WITH_TIMEOUT(m_e2b->liveSandboxes(), 0, 9000);
        const LedgerFigures f = ledgerFigures(m_ledgerPath);
        QCOMPARE(f.integrity, u"ok"_s);
        QCOMPARE(f.reservations, 0);
        QVERIFY(f.aggregatesMatch);
        QCOMPARE(f.settled, f.llmCost + f.sandboxCost);
        // Sandbox seconds: the fake's lives against the ledger's charge,
        // within timer slack (the client measures a little longer: it starts
        // counting before its create request and stops after its kill).
        const double billed = m_e2b->billedSeconds();
        QVERIFY2(std::abs(f.sandboxSeconds - billed) <= 0.35 + 0.1 * billed,
                 qPrintable(
                     u"ledger %1 s of E2B, the fake billed %2 s%3"_s.arg(f.sandboxSeconds).arg(billed).arg(leakNote)));
        QCOMPARE(f.sandboxSeconds > 0, billed > 0);
    }

    // The LLM part of the books: tokens the fake billed were settled, at a price.
    void checkLlmBooks(qint64 answersBilled, bool nullUsage)
    {
        const LedgerFigures f = ledgerFigures(m_ledgerPath);
        const qint64 in = nullUsage ? 0 : answersBilled * kInputTokens;
        const qint64 out = nullUsage ? 0 : answersBilled * kOutputTokens;
        QCOMPARE(f.llmInputTokens, in);
        QCOMPARE(f.llmOutputTokens, out);
        QCOMPARE(f.llmCost > Money(), in + out > 0);
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_ledgerPath = m_dir->filePath(u"ledger.sqlite"_s);
        m_cohere = std::make_unique<FakeCohere>();
        QVERIFY(m_cohere->listen());
        m_cohere->setExpectedKey(kCohereKey);
        m_e2b = std::make_unique<FakeE2b>();
        QVERIFY(m_e2b->listen());
        m_e2b->setKeepaliveIntervalMs(200);
        // The escalated snippet needs pandas, which the fake does not run.
        m_e2b->setScriptContaining(u"read_csv"_s, {FakeStep::out(u"ran\n"_s)});
        ++m_total;
    }

    void cleanup()
    {
        if (!QTest::currentTestFailed())
            ++m_passed;
        else
            m_failed << QString::fromLatin1(QTest::currentTestFunction()) + u':'
                            + QString::fromLatin1(QTest::currentDataTag());
        m_e2b.reset();
        m_cohere.reset();
        m_dir.reset();
    }

    void cleanupTestCase()
    {
        qInfo("fault matrix: %d/%d scenarios passed", m_passed, m_total);
        if (!m_failed.isEmpty())
            qInfo("fault matrix: failed: %s", qPrintable(m_failed.join(u", "_s)));
    }

    // --- LLM classify: the pipeline's second opinion -----------------------
    void classify_data()
    {
        QTest::addColumn<QString>("fault");
        for (const QString &fault : kFaults)
            QTest::newRow(qPrintable(fault)) << fault;
    }

    void classify()
    {
        QFETCH(QString, fault);
        const bool refused = fault == u"refused";
        if (!refused) {
            m_cohere->enqueue(cohereFault(fault, false));
            m_cohere->enqueue(goodAnswer(false));
        }
        const RunReport r = runAndShutDown(workerConfig(llmConfig(refused), e2bConfig(false)), kEscalated);
        // The documented outcome: an answer (first or after a bounded retry)
        // runs the code; any other failure leaves it to the analyst.
        const bool answered = fault == u"null-usage" || cohereRetries(fault);
        const RunOutcome expected = answered ? RunOutcome::Ok : RunOutcome::NeedsConfirmation;
        QVERIFY2(r.outcome == expected, qPrintable(outcomeName(r.outcome) + u": "_s + r.message));
        if (answered) {
            QCOMPARE(r.decidedBy, u"llm"_s);
            QCOMPARE(r.result.stdoutText, u"ran\n"_s);
        } else {
            QVERIFY2(!r.classificationNote.isEmpty(), "the analyst is told why the LLM gave no verdict");
            QCOMPARE(m_e2b->sandboxesCreated(), 0);
        }
        checkAfterwards({});
        checkLlmBooks(answered ? 1 : 0, fault == u"null-usage");
        QCOMPARE(r.llmCost, ledgerFigures(m_ledgerPath).llmCost);
    }

    // --- Code generation: CodeAssistant's streamed ask ----------------------
    void generate_data() { classify_data(); }

    void generate()
    {
        QFETCH(QString, fault);
        const bool refused = fault == u"refused";
        if (!refused) {
            m_cohere->enqueue(cohereFault(fault, true));
            m_cohere->enqueue(goodAnswer(true));
        }
        QNetworkAccessManager nam;
        CodeAssistantResult result;
        {
            CodeAssistant assistant(llmConfig(refused), &nam, nullptr);
            QSignalSpy done(&assistant, &CodeAssistant::finished);
            assistant.ask(u"print something"_s, Language::Python);
            QVERIFY(!done.isEmpty() || done.wait(20000));
            result = done.first().first().value<CodeAssistantResult>();
        }
        const bool answered = fault == u"null-usage" || cohereRetries(fault);
        QVERIFY2(result.status == (answered ? PaidChatOutcome::Status::Ok : PaidChatOutcome::Status::Failed),
                 qPrintable(u"status %1: %2"_s.arg(int(result.status)).arg(result.message)));
        if (answered)
            QCOMPARE(result.code, u"print('generated')\n"_s);
        else
            QVERIFY2(!result.message.isEmpty(), "a failure says what went wrong");
        checkAfterwards({});
        checkLlmBooks(answered ? 1 : 0, fault == u"null-usage");
        QCOMPARE(result.cost, ledgerFigures(m_ledgerPath).llmCost);
    }

    // --- E2B create ---------------------------------------------------------
    void create_data()
    {
        QTest::addColumn<QString>("fault");
        for (const QString &fault : kFaults)
            if (fault != u"null-usage") // E2B bills no usage field
                QTest::newRow(qPrintable(fault)) << fault;
    }

    void create()
    {
        QFETCH(QString, fault);
        const QByteArray created =
            R"({"templateID":"code-interpreter-v1","sandboxID":"ifault","clientID":"6532622b","envdVersion":"0.5.4"})";
        bool retried = false;
        if (fault == u"refused")
            m_e2b->refuseConnections();
        else if (fault == u"reset-mid-body")
            m_e2b->faultNext("POST", "/v2/sandboxes", FakeFault::resetMidBody(created, true));
        else if (fault == u"no-headers")
            m_e2b->faultNext("POST", "/v2/sandboxes", {{}, FakeFault::End::Stall, true});
        else if (fault == u"stall-mid-stream")
            m_e2b->faultNext("POST", "/v2/sandboxes", FakeFault::stallMidBody(created, true));
        else if (fault == u"malformed-json")
            m_e2b->faultNext("POST", "/v2/sandboxes", FakeFault::malformed(201, "{\"sandboxID\": ", true));
        else if (fault == u"truncated")
            m_e2b->faultNext("POST", "/v2/sandboxes",
                             FakeFault::malformed(201, created.left(created.size() / 2), true));
        else {
            const int status = fault.left(3).toInt();
            m_e2b->failNext("POST", "/v2/sandboxes", status, u"fault matrix"_s,
                            fault == u"429-retry-after" ? "1" : QByteArray());
            retried = fault == u"429-retry-after";
        }
        const RunReport r = runAndShutDown(workerConfig(llmConfig(false), e2bConfig(false)), u"print(\"hi\")"_s);
        const RunOutcome expected = retried ? RunOutcome::Ok : RunOutcome::Unavailable;
        QVERIFY2(r.outcome == expected, qPrintable(outcomeName(r.outcome) + u": "_s + r.message));
        if (retried)
            QCOMPARE(r.result.stdoutText, u"hi\n"_s);
        else
            QVERIFY2(r.message.contains(u"E2B"), qPrintable(r.message));
        QVERIFY2(!r.message.contains(FakeE2b::defaultApiKey()), "no key in the message");
        checkAfterwards(u" (sandboxes created: %1)"_s.arg(m_e2b->sandboxesCreated()));
    }

    // --- E2B execute ----------------------------------------------------------
    void execute_data() { create_data(); }

    void execute()
    {
        QFETCH(QString, fault);
        const QString code = u"print(\"hi\")"_s;
        RunOutcome expected = RunOutcome::Unavailable;
        if (fault == u"refused") {
            // The control plane answers; the sandbox's own address does not.
        } else if (fault == u"reset-mid-body") {
            m_e2b->setScript(code, {FakeStep::out(u"h"_s), FakeStep::disconnect()});
        } else if (fault == u"no-headers") {
            // The service, not the code, went quiet: Unavailable (a 1 s
            // request timeout, before the 1.5 s time limit).
            m_e2b->faultNext("POST", "/execute", FakeFault::noAnswer());
        } else if (fault == u"stall-mid-stream") {
            m_e2b->setScript(code, {FakeStep::out(u"h"_s), FakeStep::stall()});
        } else if (fault == u"malformed-json") {
            // protocols.md 1.4: a bad line is skipped (and counted), the run goes on.
            m_e2b->setScript(code, {FakeStep::raw("{\"type\": \"stdout\", not json"), FakeStep::out(u"hi\n"_s)});
            expected = RunOutcome::Ok;
        } else if (fault == u"truncated") {
            // The body ends cleanly but before end_of_execution: a cut stream.
            m_e2b->setScript(code, {FakeStep::out(u"hi\n"_s), FakeStep::truncate("{\"type\":\"std")});
        } else {
            const int status = fault.left(3).toInt();
            m_e2b->failNext("POST", "/execute", status, u"fault matrix"_s,
                            fault == u"429-retry-after" ? "1" : QByteArray());
            if (fault == u"502")
                expected = RunOutcome::Ok; // the proxy says the sandbox is gone: one fresh sandbox, once
        }
        const RunReport r = runAndShutDown(workerConfig(llmConfig(false), e2bConfig(fault == u"refused")), code);
        QVERIFY2(r.outcome == expected, qPrintable(outcomeName(r.outcome) + u": "_s + r.message));
        if (expected == RunOutcome::Ok)
            QCOMPARE(r.result.stdoutText, u"hi\n"_s);
        if (fault == u"malformed-json")
            QVERIFY2(r.message.contains(u"malformed"), qPrintable(r.message));
        if (fault == u"reset-mid-body" || fault == u"truncated")
            QVERIFY2(r.message.contains(u"lost mid-run"), qPrintable(r.message));
        QVERIFY(m_e2b->sandboxesCreated() >= 1);
        checkAfterwards({});
    }

    // --- E2B kill (at the end of the session) -------------------------------
    void kill_data() { create_data(); }

    void kill()
    {
        QFETCH(QString, fault);
        const std::function<void()> beforeShutdown = [this, fault] {
            if (fault == u"refused")
                m_e2b->refuseConnections();
            else if (fault == u"reset-mid-body")
                m_e2b->faultNext("DELETE", "/sandboxes/",
                                 {"HTTP/1.1 204 No Content\r\nContent-Le", FakeFault::End::Drop, false});
            else if (fault == u"no-headers")
                m_e2b->faultNext("DELETE", "/sandboxes/", FakeFault::noAnswer());
            else if (fault == u"stall-mid-stream")
                m_e2b->faultNext("DELETE", "/sandboxes/",
                                 {"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 40\r\n\r\n{\"code\":",
                                  FakeFault::End::Stall, false});
            else if (fault == u"malformed-json" || fault == u"truncated")
                m_e2b->faultNext("DELETE", "/sandboxes/",
                                 FakeFault::malformed(500, fault == u"truncated" ? "{\"code\":50" : "<html>oops",
                                                      false));
            else
                m_e2b->failNext("DELETE", "/sandboxes/", fault.left(3).toInt(), u"fault matrix"_s,
                                fault == u"429-retry-after" ? "1" : QByteArray());
        };
        const RunReport r = runAndShutDown(workerConfig(llmConfig(false), e2bConfig(false)), u"print(\"hi\")"_s,
                                           beforeShutdown);
        QVERIFY2(r.outcome == RunOutcome::Ok, qPrintable(outcomeName(r.outcome) + u": "_s + r.message));
        QCOMPARE(r.result.stdoutText, u"hi\n"_s);
        QCOMPARE(m_e2b->sandboxesCreated(), 1);
        checkAfterwards({});
    }
};

QTEST_GUILESS_MAIN(TestFaultMatrix)
#include "tst_faultmatrix.moc"
