#include "FakeE2b.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace safecell;
using namespace safecell::fake;

namespace {
QStringList g_log; // every message the code under test logged
void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_log.append(message);
}
} // namespace

// E2bSandbox against FakeE2b. After every test, failures included, the fake
// must report zero live sandboxes (cleanup()).
class TestE2bSandbox : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void runsPythonWithTheSpecifiedRequests();
    void stateSurvivesBetweenRuns();
    void richResultsAndErrorsMap();
    void fallsBackToTheLegacyCreate();
    void badKeyIsReportedWithE2bsMessage();
    void rateLimitIsRetriedAfterRetryAfter();
    void rateLimitRetriesAreBounded();
    void serverErrorOnCreateFails();
    void networkErrorFails();
    void serverErrorOnExecuteKillsTheSandbox();
    void keysEchoedByE2bAreRedacted();
    void sandboxGoneIsRecreatedOnceAndTheAnalystTold();
    void sandboxGoneTwiceFails();
    void timeLimitAbortsAndTheNextRunFindsTheContextFree();
    void stuckContextIsRestarted();
    void cancelStopsTheRun();
    void cancelDuringCreateKeepsNoOrphan();
    void disconnectMidStreamFailsAndKills();
    void silentStreamTimesOut();
    void malformedLinesAreSkipped();
    void outputIsCapped();
    void outputArrivesWhileTheRunGoesOn();
    void bigOutputKeepsItsOrderAcrossKinds();
    void bigOutputIsCappedExactly();
    void tenSecondLoopStreamsOncePerSecond();
    void idleTimeoutKillsAndSaysSo();
    void activityPushesTheIdleDeadlineBack();
    void restartSessionKillsAndStartsFresh();
    void destructionKills();
    void destructionDuringCreateKillsTheLateSandbox();
    void fakeSpeaksE2bsWireFormat();
    void lifetimeIsExtendedWhileActive();
    void trafficTokenIsSent();
    void sqlUploadsTheWorkspaceOnceAndReturnsATable();
    void sqlWritesAreRefused();
    void sqlWithoutAWorkspaceRunsOnTheBundledExample();
    void sqlOnTheWorkspaceGivesItsRowsAsTheResult();
    void createAsksForNoInternetUnlessAllowed();
    void sqlWithoutUploadConsentIsRefusedBeforeAnythingIsCreated();
    void aReplacedSandboxIsNotSentDataTheRunMayNotUpload();

private:
    struct Run {
        QStringList stdoutChunks;
        QStringList stderrChunks;
        QList<RichResult> results;
        ExecutionOutcome outcome;
        QList<qint64> stdoutAtMs;
        qint64 finishedAtMs = -1;
        QStringList order; // "out:", "err:", "result:" + text, one per signal, as they came
    };
    E2bSandbox *makeSandbox();
    Run run(const QString &code, qint64 timeLimitMs = 20000, Language language = Language::Python,
            std::function<void(const QString &)> onStdout = {});

    std::unique_ptr<FakeE2b> m_fake;
    std::unique_ptr<QNetworkAccessManager> m_network;
    E2bConfig m_config;
    E2bSandbox *m_sandbox = nullptr;
    bool m_uploadAllowed = true; // ExecutionRequest::uploadAllowed of run()
    bool m_allowWrites = false;  // ExecutionRequest::allowWrites of run()
    QtMessageHandler m_previousHandler = nullptr;
};

void TestE2bSandbox::initTestCase()
{
    qRegisterMetaType<ExecutionOutcome>();
    qRegisterMetaType<RichResult>();
}

void TestE2bSandbox::init()
{
    m_fake = std::make_unique<FakeE2b>();
    QVERIFY(m_fake->listen());
    m_fake->setKeepaliveIntervalMs(200);
    m_network = std::make_unique<QNetworkAccessManager>();
    m_config = E2bConfig();
    m_config.apiKey = FakeE2b::defaultApiKey();
    m_config.apiUrl = m_fake->url();
    m_config.sandboxUrl = m_fake->url();
    m_config.requestTimeoutMs = 5000;
    m_config.contextProbeTimeoutMs = 2000;
    m_sandbox = nullptr;
    m_uploadAllowed = true;
    m_allowWrites = false;
    g_log.clear();
    m_previousHandler = qInstallMessageHandler(captureLog);
}

void TestE2bSandbox::cleanup()
{
    delete m_sandbox; // the destructor's kill is the last word
    m_sandbox = nullptr;
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 5000);
    qInstallMessageHandler(m_previousHandler);
    for (const QString &line : std::as_const(g_log))
        QVERIFY2(!line.contains(FakeE2b::defaultApiKey()), qPrintable(line));
    m_network.reset();
    m_fake.reset();
}

E2bSandbox *TestE2bSandbox::makeSandbox()
{
    delete m_sandbox;
    m_sandbox = new E2bSandbox(m_network.get(), m_config);
    return m_sandbox;
}

TestE2bSandbox::Run TestE2bSandbox::run(const QString &code, qint64 timeLimitMs, Language language,
                                        std::function<void(const QString &)> onStdout)
{
    if (!m_sandbox)
        makeSandbox();
    Run result;
    QElapsedTimer clock;
    clock.start();
    QObject context;
    connect(m_sandbox, &Sandbox::stdoutReceived, &context, [&](const QString &text) {
        result.stdoutChunks.append(text);
        result.order.append(QStringLiteral("out:") + text);
        result.stdoutAtMs.append(clock.elapsed());
        if (onStdout)
            onStdout(text);
    });
    connect(m_sandbox, &Sandbox::stderrReceived, &context, [&](const QString &text) {
        result.stderrChunks.append(text);
        result.order.append(QStringLiteral("err:") + text);
    });
    connect(m_sandbox, &Sandbox::resultReceived, &context, [&](const RichResult &r) {
        result.results.append(r);
        result.order.append(QStringLiteral("result:") + r.text);
    });
    connect(m_sandbox, &Sandbox::finished, &context, [&](const ExecutionOutcome &outcome) {
        result.outcome = outcome;
        result.finishedAtMs = clock.elapsed();
    });
    ExecutionRequest request;
    request.code = code;
    request.language = language;
    request.timeLimitMs = timeLimitMs;
    request.uploadAllowed = m_uploadAllowed;
    request.allowWrites = m_allowWrites;
    m_sandbox->execute(request);
    if (!QTest::qWaitFor([&] { return result.finishedAtMs >= 0; }, int(timeLimitMs + 30000)))
        result.outcome.message = QStringLiteral("test: no finished() in time");
    return result;
}

void TestE2bSandbox::runsPythonWithTheSpecifiedRequests()
{
    const Run r = run(QStringLiteral("print('hello')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(r.stdoutChunks, QStringList{QStringLiteral("hello\n")});
    QVERIFY(!r.outcome.sessionLost);

    const QList<HttpRequest> requests = m_fake->requests();
    QCOMPARE(m_fake->requestLog().first(), QStringLiteral("POST /v2/sandboxes"));
    const HttpRequest create = requests.first();
    QCOMPARE(create.header("x-api-key"), FakeE2b::defaultApiKey().toUtf8());
    const QJsonObject body = QJsonDocument::fromJson(create.body).object();
    QCOMPARE(body.value(QLatin1String("templateID")).toString(), QStringLiteral("code-interpreter-v1"));
    // The run's time limit and the margin; keeping it warm is asked for after the run.
    QCOMPARE(body.value(QLatin1String("timeout")).toInteger(), 20000 / 1000 + 60);
    QVERIFY(!body.contains(QLatin1String("secure")));

    const QString id = m_sandbox->sandboxId();
    bool sawExecute = false;
    for (const HttpRequest &request : requests) {
        if (request.path != "/execute")
            continue;
        sawExecute = true;
        QCOMPARE(request.header("e2b-sandbox-id"), id.toUtf8());
        QCOMPARE(request.header("e2b-sandbox-port"), QByteArray("49999"));
        QVERIFY(request.header("x-access-token").startsWith("envd_token_"));
        QVERIFY(request.header("x-api-key").isEmpty()); // the key never goes to the sandbox
        const QJsonObject execute = QJsonDocument::fromJson(request.body).object();
        QCOMPARE(execute.value(QLatin1String("code")).toString(), QStringLiteral("print('hello')"));
        QVERIFY(!execute.value(QLatin1String("context_id")).toString().isEmpty());
    }
    QVERIFY(sawExecute);
    QCOMPARE(m_fake->liveSandboxes(), 1); // kept warm
}

void TestE2bSandbox::stateSurvivesBetweenRuns()
{
    QCOMPARE(run(QStringLiteral("x = 41")).outcome.status, ExecutionStatus::Completed);
    QTest::qWait(100);
    const Run r = run(QStringLiteral("x + 1"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(r.results.size(), 1);
    QCOMPARE(r.results.first().text, QStringLiteral("42"));
    QVERIFY(r.results.first().isMainResult);
    QCOMPARE(m_fake->sandboxesCreated(), 1);
}

void TestE2bSandbox::richResultsAndErrorsMap()
{
    const QByteArray png("\x89PNG\r\n\x1a\nfake", 12);
    m_fake->setScript(QStringLiteral("plot()"),
                      {FakeStep::err(QStringLiteral("careful\n")),
                       FakeStep::result({{QStringLiteral("text"), QStringLiteral("<Figure>")},
                                         {QStringLiteral("png"), QString::fromLatin1(png.toBase64())}},
                                        false),
                       FakeStep::result({{QStringLiteral("text"), QStringLiteral("df")},
                                         {QStringLiteral("html"), QStringLiteral("<table></table>")},
                                         {QStringLiteral("data"),
                                          QJsonObject{
                                              {QStringLiteral("a"), QJsonArray{QJsonValue(1), QJsonValue(2)}}}}},
                                        true),
                       FakeStep::error(QStringLiteral("ZeroDivisionError"), QStringLiteral("division by zero"),
                                       QStringLiteral("Traceback...\nZeroDivisionError: division by zero"))});
    const Run r = run(QStringLiteral("plot()"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Raised);
    QVERIFY(r.outcome.error);
    QCOMPARE(r.outcome.error->name, QStringLiteral("ZeroDivisionError"));
    QCOMPARE(r.outcome.error->value, QStringLiteral("division by zero"));
    QVERIFY(r.outcome.error->traceback.endsWith(QStringLiteral("ZeroDivisionError: division by zero")));
    QCOMPARE(r.stderrChunks, QStringList{QStringLiteral("careful\n")});
    QCOMPARE(r.results.size(), 2);
    QCOMPARE(r.results.at(0).png, png);
    QVERIFY(!r.results.at(0).isMainResult);
    QCOMPARE(r.results.at(1).html, QStringLiteral("<table></table>"));
    QVERIFY(r.results.at(1).table);
    QCOMPARE(r.results.at(1).table->rows.size(), 2);
    QCOMPARE(m_fake->liveSandboxes(), 1); // a Python error is no reason to drop the session
}

void TestE2bSandbox::fallsBackToTheLegacyCreate()
{
    m_fake->setV2CreateAvailable(false);
    const Run r = run(QStringLiteral("print('old')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    const QStringList log = m_fake->requestLog();
    QCOMPARE(log.at(0), QStringLiteral("POST /v2/sandboxes"));
    QCOMPARE(log.at(1), QStringLiteral("POST /sandboxes"));
    const QJsonObject body = QJsonDocument::fromJson(m_fake->requests().at(1).body).object();
    QCOMPARE(body.value(QLatin1String("secure")).toBool(), true);
    QVERIFY(body.value(QLatin1String("timeout")).toInteger() > 15);
}

void TestE2bSandbox::badKeyIsReportedWithE2bsMessage()
{
    m_config.apiKey = QStringLiteral("e2b_wrong_key_but_long_enough");
    const Run r = run(QStringLiteral("print('x')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QVERIFY2(r.outcome.message.startsWith(
                 QStringLiteral("E2B: Unauthorized, please check your credentials. - Invalid API key")),
             qPrintable(r.outcome.message));
    QVERIFY(!r.outcome.message.contains(m_config.apiKey));
    QCOMPARE(m_fake->count("POST", "/v2/sandboxes"), 1); // a 401 is not retried
}

void TestE2bSandbox::rateLimitIsRetriedAfterRetryAfter()
{
    m_fake->failNext("POST", "/v2/sandboxes", 429, QStringLiteral("Rate limit exceeded"), "1");
    QElapsedTimer clock;
    clock.start();
    const Run r = run(QStringLiteral("print('x')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QVERIFY2(clock.elapsed() >= 950, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(m_fake->count("POST", "/v2/sandboxes"), 2);
}

void TestE2bSandbox::rateLimitRetriesAreBounded()
{
    m_fake->failNext("POST", "/v2/sandboxes", 429, QStringLiteral("slow down"), "0", 1 + m_config.maxRateLimitRetries);
    const Run r = run(QStringLiteral("print('x')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QCOMPARE(r.outcome.message, QStringLiteral("E2B: Rate limit exceeded, please try again later - slow down"));
    QCOMPARE(m_fake->count("POST", "/v2/sandboxes"), 1 + m_config.maxRateLimitRetries);

    // An HTTP-date Retry-After is not honoured (the SDK's rule): no retry.
    m_fake->failNext("POST", "/v2/sandboxes", 429, QStringLiteral("later"), "Wed, 21 Oct 2026 07:28:00 GMT");
    QCOMPARE(run(QStringLiteral("print('x')")).outcome.status, ExecutionStatus::SandboxFailed);
    QCOMPARE(m_fake->count("POST", "/v2/sandboxes"), 2 + m_config.maxRateLimitRetries);
}

void TestE2bSandbox::serverErrorOnCreateFails()
{
    m_fake->failNext("POST", "/v2/sandboxes", 503, QStringLiteral("no capacity"));
    Run r = run(QStringLiteral("print('x')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QCOMPARE(r.outcome.message, QStringLiteral("E2B: Service temporarily unavailable, please retry - no capacity"));
    m_fake->failNext("POST", "/contexts", 500, QStringLiteral("kernel failed"));
    r = run(QStringLiteral("print('x')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QCOMPARE(r.outcome.message.left(25), QStringLiteral("E2B: 500: kernel failed T"));
    QTRY_COMPARE(m_fake->liveSandboxes(), 0); // the half-made session was killed at once
    QVERIFY(!m_sandbox->hasSession());
}

void TestE2bSandbox::networkErrorFails()
{
    m_config.apiUrl = QUrl(QStringLiteral("http://127.0.0.1:1"));
    const Run r = run(QStringLiteral("print('x')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QVERIFY2(r.outcome.message.startsWith(QStringLiteral("E2B: could not reach 127.0.0.1")),
             qPrintable(r.outcome.message));
}

void TestE2bSandbox::serverErrorOnExecuteKillsTheSandbox()
{
    QCOMPARE(run(QStringLiteral("pass")).outcome.status, ExecutionStatus::Completed);
    m_fake->failNext("POST", "/execute", 500, QStringLiteral("Failed to create context"));
    const Run r = run(QStringLiteral("print('x')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QVERIFY(r.outcome.message.startsWith(QStringLiteral("E2B: 500: Failed to create context")));
    QVERIFY(r.outcome.sessionLost);
    QTRY_COMPARE(m_fake->liveSandboxes(), 0); // state unknown: never reuse it
    QCOMPARE(run(QStringLiteral("print('again')")).outcome.status, ExecutionStatus::Completed);
    QCOMPARE(m_fake->sandboxesCreated(), 2);
}

void TestE2bSandbox::keysEchoedByE2bAreRedacted()
{
    m_fake->failNext("POST", "/v2/sandboxes", 400,
                     QStringLiteral("bad header X-API-Key: %1").arg(FakeE2b::defaultApiKey()));
    const Run r = run(QStringLiteral("print('x')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QCOMPARE(r.outcome.message, QStringLiteral("E2B: 400: bad header X-API-Key: [redacted]"));
}

void TestE2bSandbox::sandboxGoneIsRecreatedOnceAndTheAnalystTold()
{
    QCOMPARE(run(QStringLiteral("x = 1")).outcome.status, ExecutionStatus::Completed);
    const QString first = m_sandbox->sandboxId();
    m_fake->expireSandbox(first); // E2B ended it: its port now answers 502
    const Run r = run(QStringLiteral("x"));
    QVERIFY(r.outcome.sessionLost);
    QVERIFY2(r.outcome.message.contains(QStringLiteral("The sandbox was not found")), qPrintable(r.outcome.message));
    QVERIFY(r.outcome.message.contains(QStringLiteral("variables from earlier runs are gone")));
    QCOMPARE(r.outcome.status, ExecutionStatus::Raised); // x died with the old sandbox
    QCOMPARE(r.outcome.error->name, QStringLiteral("NameError"));
    QCOMPARE(m_fake->sandboxesCreated(), 2);
    QVERIFY(m_sandbox->sandboxId() != first);
    QCOMPARE(m_fake->liveSandboxes(), 1);
}

void TestE2bSandbox::sandboxGoneTwiceFails()
{
    QCOMPARE(run(QStringLiteral("pass")).outcome.status, ExecutionStatus::Completed);
    m_fake->failNext("POST", "/execute", 502, QStringLiteral("The sandbox was not found"), {}, 2);
    const Run r = run(QStringLiteral("print('x')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QVERIFY(r.outcome.sessionLost);
    QVERIFY(r.outcome.message.startsWith(QStringLiteral("E2B: 502: The sandbox was not found")));
    QCOMPARE(m_fake->sandboxesCreated(), 2); // one recreation, not a loop
    QTRY_COMPARE(m_fake->liveSandboxes(), 0);
}

void TestE2bSandbox::timeLimitAbortsAndTheNextRunFindsTheContextFree()
{
    m_fake->setScript(QStringLiteral("forever()"), {FakeStep::out(QStringLiteral("started\n")), FakeStep::hang()});
    QCOMPARE(run(QStringLiteral("x = 7")).outcome.status, ExecutionStatus::Completed);
    Run r = run(QStringLiteral("forever()"), 600);
    QCOMPARE(r.outcome.status, ExecutionStatus::TimedOut);
    QVERIFY(r.finishedAtMs >= 550 && r.finishedAtMs < 3000);
    QCOMPARE(r.stdoutChunks, QStringList{QStringLiteral("started\n")});
    QTRY_COMPARE(m_fake->busyContexts(), 0); // E2B interrupted on disconnect
    r = run(QStringLiteral("x"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(r.results.first().text, QStringLiteral("7")); // state kept
    QVERIFY(!r.outcome.sessionLost);
    QVERIFY(m_fake->executedCode().contains(QStringLiteral("pass"))); // the probe
    QCOMPARE(m_fake->count("POST", "/contexts/"), 0);
}

void TestE2bSandbox::stuckContextIsRestarted()
{
    m_fake->setInterruptOnDisconnect(false);
    m_config.contextProbeTimeoutMs = 500;
    m_fake->setScript(QStringLiteral("forever()"), {FakeStep::hang()});
    QCOMPARE(run(QStringLiteral("x = 7")).outcome.status, ExecutionStatus::Completed);
    QCOMPARE(run(QStringLiteral("forever()"), 300).outcome.status, ExecutionStatus::TimedOut);
    QCOMPARE(m_fake->busyContexts(), 1);
    const Run r = run(QStringLiteral("print('fresh')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(r.stdoutChunks, QStringList{QStringLiteral("fresh\n")});
    QVERIFY(r.outcome.sessionLost);
    QVERIFY2(r.outcome.message.contains(QStringLiteral("restarted")), qPrintable(r.outcome.message));
    QCOMPARE(m_fake->count("POST", "/contexts/"), 1); // POST /contexts/{id}/restart
    QVERIFY(m_fake->requestLog().last().endsWith(QStringLiteral("/execute")));
    QCOMPARE(run(QStringLiteral("x")).outcome.error->name, QStringLiteral("NameError"));
}

void TestE2bSandbox::cancelStopsTheRun()
{
    m_fake->setScript(QStringLiteral("forever()"), {FakeStep::out(QStringLiteral("tick\n")), FakeStep::hang()});
    const Run r = run(QStringLiteral("forever()"), 20000, Language::Python,
                      [this](const QString &) { QTimer::singleShot(0, m_sandbox, &E2bSandbox::cancel); });
    QCOMPARE(r.outcome.status, ExecutionStatus::Cancelled);
    QVERIFY(r.finishedAtMs < 3000);
    QCOMPARE(m_fake->liveSandboxes(), 1); // a cancel keeps the session
}

void TestE2bSandbox::cancelDuringCreateKeepsNoOrphan()
{
    m_fake->setCreateDelayMs(300);
    makeSandbox();
    QTimer::singleShot(50, m_sandbox, &E2bSandbox::cancel);
    const Run r = run(QStringLiteral("print('x')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Cancelled);
    QVERIFY(m_fake->executedCode().isEmpty());
    QCOMPARE(m_fake->liveSandboxes(), m_sandbox->hasSession() ? 1 : 0); // known to us, so killed at cleanup
}

void TestE2bSandbox::disconnectMidStreamFailsAndKills()
{
    m_fake->setScript(QStringLiteral("crash()"),
                      {FakeStep::out(QStringLiteral("partial\n")), FakeStep::sleep(100), FakeStep::disconnect()});
    const Run r = run(QStringLiteral("crash()"));
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QVERIFY2(r.outcome.message.contains(QStringLiteral("lost mid-run")), qPrintable(r.outcome.message));
    QVERIFY(r.outcome.sessionLost);
    QCOMPARE(r.stdoutChunks, QStringList{QStringLiteral("partial\n")});
    QTRY_COMPARE(m_fake->liveSandboxes(), 0);
}

void TestE2bSandbox::silentStreamTimesOut()
{
    m_config.requestTimeoutMs = 700;
    m_fake->setKeepaliveIntervalMs(60000); // a hung proxy: not even keepalives
    m_fake->setScript(QStringLiteral("silent()"), {FakeStep::hang()});
    const Run r = run(QStringLiteral("silent()"), 20000);
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QVERIFY2(r.outcome.message.contains(QStringLiteral("sent nothing")), qPrintable(r.outcome.message));
    QVERIFY(r.finishedAtMs < 5000);
    QTRY_COMPARE(m_fake->liveSandboxes(), 0);
}

void TestE2bSandbox::malformedLinesAreSkipped()
{
    m_fake->setScript(QStringLiteral("odd()"), {FakeStep::out(QStringLiteral("a\n")), FakeStep::raw("this is not json"),
                                                FakeStep::out(QStringLiteral("b\n"))});
    const Run r = run(QStringLiteral("odd()"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(r.stdoutChunks, (QStringList{QStringLiteral("a\n"), QStringLiteral("b\n")}));
    QCOMPARE(r.outcome.message, QStringLiteral("1 malformed line(s) from E2B were ignored."));
}

void TestE2bSandbox::outputIsCapped()
{
    m_config.outputCapBytes = 10;
    m_fake->setScript(QStringLiteral("flood()"),
                      {FakeStep::out(QStringLiteral("12345678\n")), FakeStep::out(QStringLiteral("abcdefgh\n")),
                       FakeStep::out(QStringLiteral("never shown\n"))});
    const Run r = run(QStringLiteral("flood()"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    // Chunks that come in one read are passed on together: the text is what counts.
    QCOMPARE(r.stdoutChunks.join(QString()), QStringLiteral("12345678\na\n[output truncated after 10 bytes]\n"));
}

namespace {
// Adjacent stdout (or stderr) signals put together: what the analyst reads,
// whatever the reads were.
QStringList joinedOrder(const QStringList &order)
{
    QStringList out;
    for (const QString &entry : order) {
        const bool stream = entry.startsWith(QLatin1String("out:")) || entry.startsWith(QLatin1String("err:"));
        if (stream && !out.isEmpty() && out.last().left(4) == entry.left(4))
            out.last() += entry.mid(4);
        else
            out << entry;
    }
    return out;
}
} // namespace

void TestE2bSandbox::bigOutputKeepsItsOrderAcrossKinds()
{
    // Thousands of one-line chunks, read in bulk: a result or a stderr line
    // between them must stay exactly where the kernel put it.
    FakeScript script;
    QStringList expected;
    for (int i = 0; i < 3000; ++i) {
        script << FakeStep::out(QStringLiteral("%1\n").arg(i));
        expected << QStringLiteral("out:%1\n").arg(i);
        if (i % 1000 == 500) {
            script << FakeStep::err(QStringLiteral("warn %1\n").arg(i));
            expected << QStringLiteral("err:warn %1\n").arg(i);
        }
        if (i % 1000 == 700) {
            script << FakeStep::result({{QStringLiteral("text"), QStringLiteral("shown %1").arg(i)}}, false);
            expected << QStringLiteral("result:shown %1").arg(i);
        }
    }
    m_fake->setScript(QStringLiteral("many()"), script);
    const Run r = run(QStringLiteral("many()"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(joinedOrder(r.order), joinedOrder(expected));
    QCOMPARE(r.results.size(), 3);
}

void TestE2bSandbox::bigOutputIsCappedExactly()
{
    m_config.outputCapBytes = 5000;
    FakeScript script;
    QString all;
    for (int i = 0; i < 3000; ++i) {
        script << FakeStep::out(QStringLiteral("line %1\n").arg(i, 4, 10, QLatin1Char('0')));
        all += script.last().text;
    }
    script << FakeStep::err(QStringLiteral("still reported\n"));
    m_fake->setScript(QStringLiteral("flood()"), script);
    const Run r = run(QStringLiteral("flood()"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(r.stdoutChunks.join(QString()),
             all.left(5000) + QStringLiteral("\n[output truncated after 5000 bytes]\n"));
    QCOMPARE(r.stderrChunks.join(QString()), QStringLiteral("still reported\n")); // its own cap
}

void TestE2bSandbox::outputArrivesWhileTheRunGoesOn()
{
    FakeScript script;
    for (int i = 0; i < 5; ++i)
        script << FakeStep::out(QStringLiteral("line %1\n").arg(i)) << FakeStep::sleep(200);
    m_fake->setScript(QStringLiteral("loop()"), script);
    QCOMPARE(run(QStringLiteral("pass")).outcome.status,
             ExecutionStatus::Completed); // warm up: no create in the timing
    const Run r = run(QStringLiteral("loop()"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(r.stdoutChunks.size(), 5);
    QVERIFY2(r.finishedAtMs - r.stdoutAtMs.first() >= 900,
             qPrintable(QString::number(r.finishedAtMs - r.stdoutAtMs.first())));
    for (int i = 1; i < 5; ++i)
        QVERIFY2(r.stdoutAtMs.at(i) - r.stdoutAtMs.at(i - 1) >= 150, qPrintable(QString::number(r.stdoutAtMs.at(i))));
}

void TestE2bSandbox::tenSecondLoopStreamsOncePerSecond()
{
    FakeScript script;
    for (int i = 0; i < 10; ++i)
        script << FakeStep::out(QStringLiteral("second %1\n").arg(i)) << FakeStep::sleep(1000);
    m_fake->setScript(QStringLiteral("for i in range(10): print(i); time.sleep(1)"), script);
    const Run r = run(QStringLiteral("for i in range(10): print(i); time.sleep(1)"), 30000);
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(r.stdoutChunks.size(), 10);
    QVERIFY(r.finishedAtMs >= 9900);
    for (int i = 1; i < 10; ++i) {
        const qint64 gap = r.stdoutAtMs.at(i) - r.stdoutAtMs.at(i - 1);
        QVERIFY2(gap >= 900 && gap <= 1500, qPrintable(QStringLiteral("gap %1: %2 ms").arg(i).arg(gap)));
    }
    QVERIFY(r.finishedAtMs - r.stdoutAtMs.first() >= 9000); // the first line came ~9 s before the end
}

void TestE2bSandbox::idleTimeoutKillsAndSaysSo()
{
    m_config.idleTimeoutMs = 400;
    QSignalSpy closed(makeSandbox(), &E2bSandbox::sessionClosed);
    QSignalSpy ended(m_sandbox, &E2bSandbox::warmSessionEnded);
    QCOMPARE(run(QStringLiteral("pass")).outcome.status, ExecutionStatus::Completed);
    QCOMPARE(m_fake->liveSandboxes(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 3000);
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(ended.size(), 1);
    QCOMPARE(ended.first().first().value<E2bSandbox::WarmEnd>(), E2bSandbox::WarmEnd::IdleTimeout);
    QVERIFY(!m_sandbox->hasSession());
}

void TestE2bSandbox::activityPushesTheIdleDeadlineBack()
{
    m_config.idleTimeoutMs = 800;
    QCOMPARE(run(QStringLiteral("pass")).outcome.status, ExecutionStatus::Completed);
    QTest::qWait(500);
    m_sandbox->noteActivity(); // the analyst typed: 800 ms from now
    QTest::qWait(500);
    QCOMPARE(m_fake->liveSandboxes(), 1); // 1000 ms after the run, still warm
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 3000);
}

void TestE2bSandbox::restartSessionKillsAndStartsFresh()
{
    QCOMPARE(run(QStringLiteral("x = 3")).outcome.status, ExecutionStatus::Completed);
    m_sandbox->restartSession();
    QTRY_COMPARE(m_fake->liveSandboxes(), 0);
    const Run r = run(QStringLiteral("x"));
    QCOMPARE(r.outcome.error->name, QStringLiteral("NameError"));
    QCOMPARE(m_fake->sandboxesCreated(), 2);
}

void TestE2bSandbox::destructionKills()
{
    QCOMPARE(run(QStringLiteral("pass")).outcome.status, ExecutionStatus::Completed);
    QCOMPARE(m_fake->liveSandboxes(), 1);
    delete m_sandbox;
    m_sandbox = nullptr;
    QTRY_COMPARE(m_fake->liveSandboxes(), 0);
    QCOMPARE(m_fake->count("DELETE", "/sandboxes/"), 1);
}

void TestE2bSandbox::destructionDuringCreateKillsTheLateSandbox()
{
    m_fake->setCreateDelayMs(300);
    ExecutionRequest request;
    request.code = QStringLiteral("print('x')");
    makeSandbox()->execute(request);
    QTRY_COMPARE(m_fake->count("POST", "/v2/sandboxes"), 1);
    delete m_sandbox;
    m_sandbox = nullptr;
    QTRY_COMPARE(m_fake->sandboxesCreated(), 1);
    QTRY_COMPARE(m_fake->liveSandboxes(), 0);
    QCOMPARE(m_fake->count("DELETE", "/sandboxes/"), 1);
}

void TestE2bSandbox::fakeSpeaksE2bsWireFormat()
{
    // The fake itself, byte for byte (protocols.md 1.4.3): Python's spacing,
    // ASCII escapes, keepalives, the literal end line, never a blank line.
    m_fake->setScript(QStringLiteral("wire()"), {FakeStep::out(QStringLiteral("caf\u00e9\n")), FakeStep::sleep(450),
                                                 FakeStep::out(QString::fromUtf8("caf\xc3\xa9\n"))});
    QNetworkRequest create(QUrl(m_fake->url().toString() + QStringLiteral("/v2/sandboxes")));
    create.setRawHeader("X-API-Key", FakeE2b::defaultApiKey().toUtf8());
    create.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *created = m_network->post(create, R"({"templateID":"code-interpreter-v1","timeout":60})");
    QTRY_VERIFY(created->isFinished());
    QCOMPARE(created->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 201);
    const QJsonObject sandbox = QJsonDocument::fromJson(created->readAll()).object();
    delete created;
    QVERIFY(sandbox.value(QLatin1String("envdVersion")).toString() >= QStringLiteral("0.1.0"));

    QNetworkRequest execute(QUrl(m_fake->url().toString() + QStringLiteral("/execute")));
    execute.setRawHeader("E2b-Sandbox-Id", sandbox.value(QLatin1String("sandboxID")).toString().toUtf8());
    execute.setRawHeader("E2b-Sandbox-Port", "49999");
    execute.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *stream =
        m_network->post(execute, R"json({"code":"wire()","context_id":null,"language":null,"env_vars":null})json");
    QTRY_VERIFY(stream->isFinished());
    const QByteArray body = stream->readAll();
    QVERIFY(!stream->hasRawHeader("Content-Type"));
    delete stream;
    const QList<QByteArray> lines = body.split('\n');
    QCOMPARE(lines.first(), QByteArray(R"({"type": "number_of_executions", "execution_count": 1})"));
    QVERIFY(lines.at(1).startsWith(R"({"type": "stdout", "text": "caf\u00e9\n", "timestamp": ")"));
    QVERIFY(lines.contains(R"({"type": "keepalive"})"));
    QCOMPARE(lines.at(lines.size() - 2), QByteArray(R"({"type": "end_of_execution"})"));
    QCOMPARE(lines.last(), QByteArray()); // the text after the last newline
    for (qsizetype i = 0; i + 1 < lines.size(); ++i)
        QVERIFY2(!lines.at(i).isEmpty(), "a blank line");

    QNetworkRequest kill(QUrl(m_fake->url().toString() + QStringLiteral("/sandboxes/")
                              + sandbox.value(QLatin1String("sandboxID")).toString()));
    kill.setRawHeader("X-API-Key", FakeE2b::defaultApiKey().toUtf8());
    for (const int expected : {204, 404}) {
        QNetworkReply *killed = m_network->deleteResource(kill);
        QTRY_VERIFY(killed->isFinished());
        QCOMPARE(killed->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), expected);
        if (expected == 404)
            QCOMPARE(QJsonDocument::fromJson(killed->readAll()).object().value(QLatin1String("code")).toInt(), 404);
        delete killed;
    }
}

void TestE2bSandbox::lifetimeIsExtendedWhileActive()
{
    // Created for the run (5 s + 60 s), then kept warm a step at a time (a
    // minute + 60 s), then the next run's lifetime (120 s + 60 s), then warm.
    auto timeouts = [this] {
        QList<qint64> asked;
        for (const HttpRequest &request : m_fake->requests()) {
            if (request.method == "POST" && (request.path == "/v2/sandboxes" || request.path.endsWith("/timeout")))
                asked << QJsonDocument::fromJson(request.body).object().value(QLatin1String("timeout")).toInteger();
        }
        return asked;
    };
    QCOMPARE(run(QStringLiteral("pass"), 5000).outcome.status, ExecutionStatus::Completed);
    QTRY_COMPARE(timeouts(), (QList<qint64>{65, 120}));
    QCOMPARE(run(QStringLiteral("pass"), 120000).outcome.status, ExecutionStatus::Completed);
    QTRY_COMPARE(timeouts(), (QList<qint64>{65, 120, 180, 120}));
    QCOMPARE(m_fake->sandboxTimeoutS(m_sandbox->sandboxId()), 120);
}

void TestE2bSandbox::trafficTokenIsSent()
{
    m_fake->setRequireTrafficToken(true); // the fake's proxy answers 403 without it
    const Run r = run(QStringLiteral("print('secured')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(r.stdoutChunks, QStringList{QStringLiteral("secured\n")});
}

void TestE2bSandbox::sqlUploadsTheWorkspaceOnceAndReturnsATable()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("workspace.db"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray content = QByteArray("SQLite format 3\0", 16) + QByteArray(5000, '\x07');
    file.write(content);
    file.close();
    m_config.workspaceDatabase = path;
    m_fake->setScriptContaining(
        QStringLiteral("SELECT name FROM people"),
        {FakeStep::result({{QStringLiteral("json"),
                            QJsonObject{
                                {QStringLiteral("safecell_table"),
                                 QJsonObject{{QStringLiteral("columns"), QJsonArray{QStringLiteral("name")}},
                                             {QStringLiteral("types"), QJsonArray{QStringLiteral("str")}},
                                             {QStringLiteral("rows"), QJsonArray{QJsonArray{QStringLiteral("alice")},
                                                                                 QJsonArray{QStringLiteral("bob")}}},
                                             {QStringLiteral("total_rows"), 2}}}}}},
                          false)});
    Run r = run(QStringLiteral("SELECT name FROM people"), 20000, Language::Sql);
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(r.results.size(), 1);
    QVERIFY(r.results.first().table);
    QCOMPARE(r.results.first().table->rows, (QList<QStringList>{{QStringLiteral("alice")}, {QStringLiteral("bob")}}));
    QVERIFY(r.results.first().isMainResult); // the run's result, though E2B reports a display
    QCOMPARE(m_fake->uploadedFile(m_sandbox->sandboxId(), m_config.remoteWorkspacePath), content);
    QVERIFY(m_fake->executedCode().last().contains(
        QStringLiteral("sqlite3.connect(\"file:/home/user/.safecell/workspace.db?mode=ro\"")));
    QCOMPARE(m_fake->count("POST", "/files"), 1);
    for (const HttpRequest &request : m_fake->requests())
        if (request.path == "/files")
            QCOMPARE(request.header("e2b-sandbox-port"), QByteArray("49983"));

    r = run(QStringLiteral("SELECT name FROM people"), 20000, Language::Sql);
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(m_fake->count("POST", "/files"), 1); // unchanged: not sent again
}

void TestE2bSandbox::sqlWritesAreRefused()
{
    makeSandbox();
    m_config.workspaceDatabase.clear();
    m_allowWrites = true;
    Run r = run(QStringLiteral("UPDATE regions SET name = 'x'"), 20000, Language::Sql);
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QVERIFY2(r.outcome.message.contains(QStringLiteral("SQL writes are not supported on E2B")),
             qPrintable(r.outcome.message));
    QCOMPARE(m_fake->sandboxesCreated(), 0); // refused before any cost
}

// Issue 22: with no workspace database set, SQL runs on the bundled example,
// as on the local sandbox. It ships with SafeCell and holds nothing of the
// analyst's, so it needs no consent to upload, but is listed as uploaded.
void TestE2bSandbox::sqlWithoutAWorkspaceRunsOnTheBundledExample()
{
    m_config.workspaceDatabase.clear();
    m_uploadAllowed = false;
    m_fake->setRunSqlWithPython(true);
    Run r = run(QStringLiteral("SELECT name FROM regions ORDER BY region_id"), 20000, Language::Sql);
    QVERIFY2(r.outcome.status == ExecutionStatus::Completed, qPrintable(r.outcome.message));
    QCOMPARE(r.results.size(), 1);
    QVERIFY(r.results.first().isMainResult);
    QCOMPARE(r.results.first().text, QStringLiteral("name\nNorth\nSouth\nEast\nWest\nCentral"));
    QVERIFY(r.results.first().table);
    QCOMPARE(r.results.first().table->rows.size(), 5);
    QVERIFY(r.outcome.skippedUploads.isEmpty());
    QCOMPARE(r.outcome.uploadedFiles.size(), 1);
    QVERIFY(m_fake->uploadedFile(m_sandbox->sandboxId(), m_config.remoteWorkspacePath).startsWith("SQLite format 3"));
    QCOMPARE(m_fake->count("POST", "/files"), 1);

    r = run(QStringLiteral("SELECT count(*) AS n FROM customers"), 20000, Language::Sql);
    QVERIFY2(r.outcome.status == ExecutionStatus::Completed, qPrintable(r.outcome.message));
    QVERIFY(r.outcome.uploadedFiles.isEmpty()); // the same example: not sent again
    QCOMPARE(m_fake->count("POST", "/files"), 1);
    QCOMPARE(r.results.size(), 1);
    QVERIFY(r.results.first().text.startsWith(QStringLiteral("n\n")));
}

// Issue 22: the workspace's rows reach the run's result text, as the local
// sandbox's do (the fake runs the real SQL runner on the uploaded copy).
void TestE2bSandbox::sqlOnTheWorkspaceGivesItsRowsAsTheResult()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("workspace.db"));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("workspace"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("CREATE TABLE people (name TEXT, age INTEGER, score REAL)")));
        QVERIFY(query.exec(QStringLiteral("INSERT INTO people VALUES ('alice', 31, 2.5), ('bob', NULL, 4.0)")));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("workspace"));
    m_config.workspaceDatabase = path;
    m_fake->setRunSqlWithPython(true);
    const Run r = run(QStringLiteral("SELECT name, age, score FROM people ORDER BY name"), 20000, Language::Sql);
    QVERIFY2(r.outcome.status == ExecutionStatus::Completed, qPrintable(r.outcome.message));
    QCOMPARE(r.outcome.uploadedFiles, QStringList{path});
    QCOMPARE(r.results.size(), 1);
    QVERIFY(r.results.first().isMainResult);
    QCOMPARE(r.results.first().text, QStringLiteral("name\tage\tscore\nalice\t31\t2.5\nbob\tNULL\t4.0"));
}

// Issue 23: E2B's default is internet on; SafeCell always says off, unless
// the session allows it.
void TestE2bSandbox::createAsksForNoInternetUnlessAllowed()
{
    Run r = run(QStringLiteral("print('closed')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(m_fake->createBodies().size(), 1);
    const QJsonObject closed = m_fake->createBodies().first();
    QVERIFY(closed.contains(QLatin1String("allow_internet_access")));
    QCOMPARE(closed.value(QLatin1String("allow_internet_access")), QJsonValue(false));
    QCOMPARE(m_fake->internetAllowed(m_sandbox->sandboxId()), std::optional<bool>(false));

    m_config.allowInternet = true;
    makeSandbox(); // a session with the new config
    QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 5000);
    r = run(QStringLiteral("print('open')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(m_fake->createBodies().size(), 2);
    QCOMPARE(m_fake->createBodies().last().value(QLatin1String("allow_internet_access")), QJsonValue(true));
    QCOMPARE(m_fake->internetAllowed(m_sandbox->sandboxId()), std::optional<bool>(true));

    // The legacy endpoint carries it too.
    m_config.allowInternet = false;
    m_fake->setV2CreateAvailable(false);
    makeSandbox();
    r = run(QStringLiteral("print('legacy')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QCOMPARE(m_fake->createBodies().last().value(QLatin1String("allow_internet_access")), QJsonValue(false));
    QCOMPARE(m_fake->createBodies().last().value(QLatin1String("secure")), QJsonValue(true));
}

void TestE2bSandbox::sqlWithoutUploadConsentIsRefusedBeforeAnythingIsCreated()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("workspace.db"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("SQLite format 3\0", 16));
    file.close();
    m_config.workspaceDatabase = path;
    m_uploadAllowed = false;
    Run r = run(QStringLiteral("SELECT 1"), 20000, Language::Sql);
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QCOMPARE(r.outcome.skippedUploads, QStringList{path});
    QVERIFY(r.outcome.uploadedFiles.isEmpty());
    QVERIFY2(r.outcome.message.contains(path), qPrintable(r.outcome.message));
    QCOMPARE(m_fake->sandboxesCreated(), 0); // nothing created, nothing paid, nothing sent
    QCOMPARE(m_fake->count("POST", "/files"), 0);

    // Python needs no upload: it runs.
    r = run(QStringLiteral("print('no data needed')"));
    QCOMPARE(r.outcome.status, ExecutionStatus::Completed);
    QVERIFY(r.outcome.skippedUploads.isEmpty());

    m_uploadAllowed = true;
    r = run(QStringLiteral("SELECT 1"), 20000, Language::Sql);
    QVERIFY(r.outcome.skippedUploads.isEmpty());
    QCOMPARE(r.outcome.uploadedFiles, QStringList{path});
    QCOMPARE(m_fake->count("POST", "/files"), 1);
    r = run(QStringLiteral("SELECT 1"), 20000, Language::Sql);
    QVERIFY(r.outcome.uploadedFiles.isEmpty()); // already there: nothing sent this run
    QCOMPARE(m_fake->count("POST", "/files"), 1);
}

void TestE2bSandbox::aReplacedSandboxIsNotSentDataTheRunMayNotUpload()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("workspace.db"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray("SQLite format 3\0", 16));
    file.close();
    m_config.workspaceDatabase = path;
    Run r = run(QStringLiteral("SELECT 1"), 20000, Language::Sql);
    QCOMPARE(r.outcome.uploadedFiles, QStringList{path});
    // The copy is in the sandbox: a run that may not upload can still use it...
    m_uploadAllowed = false;
    r = run(QStringLiteral("SELECT 1"), 20000, Language::Sql);
    QVERIFY(r.outcome.skippedUploads.isEmpty());
    // ...but a sandbox that replaces a lost one is not sent it again.
    m_fake->expireSandbox(m_sandbox->sandboxId());
    r = run(QStringLiteral("SELECT 1"), 20000, Language::Sql);
    QCOMPARE(r.outcome.status, ExecutionStatus::SandboxFailed);
    QCOMPARE(r.outcome.skippedUploads, QStringList{path});
    QCOMPARE(m_fake->count("POST", "/files"), 1);
}

QTEST_GUILESS_MAIN(TestE2bSandbox)
#include "tst_e2bsandbox.moc"
