#include "FakeE2b.h"

#include "api/ApiServer.h"
#include "api/BudgetProvider.h"
#include "api/HttpMapping.h"
#include "budget/SpendLedger.h"
#include "pipeline/RunHistory.h"
#include "pipeline/RunThread.h"
#include "routing/CircuitBreaker.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using safecell::fake::FakeE2b;
using namespace Qt::StringLiterals;

namespace {

const QString kToken = u"pipeline-test-token-0123456789"_s;

RunRequest python(const QString &code)
{
    RunRequest request;
    request.code = code;
    return request;
}

} // namespace

// The whole pipeline: validate -> classify -> reserve -> route -> execute ->
// settle -> report, with its history, on the local sandbox and on E2B
// (FakeE2b), and through the HTTP API with the recipe's status codes.
class TestPipeline : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<FakeE2b> m_fake;
    int m_ledgerCount = 0;
    QString m_ledgerPath;

    RunWorkerConfig config(std::optional<double> limitUsd, bool useE2b)
    {
        RunWorkerConfig c;
        c.ledgerPath = m_ledgerPath;
        if (limitUsd)
            c.budgetPolicy.setLimit(ScopeLevel::Org, Money::fromUsd(*limitUsd));
        if (useE2b) {
            E2bConfig e2b;
            e2b.apiKey = FakeE2b::defaultApiKey();
            e2b.apiUrl = m_fake->url();
            e2b.sandboxUrl = m_fake->url();
            e2b.requestTimeoutMs = 5000;
            c.e2b = e2b;
        }
        return c;
    }

    // One call to /api/code with the test's token: its status and JSON body.
    static std::pair<int, QJsonObject> callApi(quint16 port, const QByteArray &method, const QByteArray &body)
    {
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/api/code"_s.arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer " + kToken.toUtf8());
        QNetworkReply *reply = network.sendCustomRequest(request, method, body);
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(60000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
        delete reply;
        return {status, json};
    }

    RunReport run(RunThread &runner, const RunRequest &request)
    {
        QSignalSpy finished(runner.worker(), &RunWorker::finished);
        runner.start(request);
        if (finished.isEmpty() && !finished.wait(60000))
            return {};
        return finished.first().at(0).value<RunReport>();
    }

    QList<RunRecord> history()
    {
        auto ledger = SpendLedger::open(m_ledgerPath);
        if (!ledger)
            return {};
        RunHistory store(**ledger);
        auto runs = store.list();
        return runs ? *runs : QList<RunRecord>{};
    }

private Q_SLOTS:
    void init()
    {
        m_fake = std::make_unique<FakeE2b>();
        QVERIFY(m_fake->listen());
        m_ledgerPath = m_dir.filePath(u"ledger-%1.sqlite"_s.arg(++m_ledgerCount));
    }

    void cleanup()
    {
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 10000);
        m_fake.reset();
    }

    void localRunIsRecordedInTheHistory()
    {
        {
            RunThread runner(config(5.0, false));
            const RunReport report = run(runner, python(u"print('hello')"_s));
            QCOMPARE(report.outcome, RunOutcome::Ok);
            QCOMPARE(report.sandbox, u"local"_s);
            QCOMPARE(report.sandboxCost, Money());
            QCOMPARE(report.budgetStateBefore, u"active"_s);
            QVERIFY(report.budget);
            QCOMPARE(report.budget->toJson().value(u"state"_s).toString(), u"Active"_s);
        }
        const QList<RunRecord> runs = history();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().outcome, u"ok"_s);
        QCOMPARE(runs.first().verdict, u"safe"_s);
        QCOMPARE(runs.first().decidedBy, u"local rules"_s);
        QCOMPARE(runs.first().sandbox, u"local"_s);
        QCOMPARE(runs.first().code, u"print('hello')"_s);
        QCOMPARE(runs.first().codeHash, codeHash(u"print('hello')"_s));
    }

    void blockedRunNeverRunsAndIsRecorded()
    {
        {
            RunThread runner(config(5.0, true));
            const RunReport report = run(runner, python(u"import os"_s));
            QCOMPARE(report.outcome, RunOutcome::Blocked);
            QVERIFY(!report.findings.isEmpty());
        }
        QCOMPARE(m_fake->sandboxesCreated(), 0);
        const QList<RunRecord> runs = history();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().outcome, u"blocked"_s);
        QCOMPARE(runs.first().verdict, u"dangerous"_s);
        QVERIFY(!runs.first().findings.isEmpty());
        QCOMPARE(runs.first().sandbox, QString());
    }

    void e2bRunIsReservedAndSettled()
    {
        // A run that lasts a measurable while: E2B time is billed to the
        // millisecond, and an instant answer from the fake would cost nothing.
        m_fake->setScript(u"print(\"hi\")"_s, {fake::FakeStep::sleep(50), fake::FakeStep::out(u"hi\n"_s)});
        {
            RunThread runner(config(5.0, true));
            const RunReport report = run(runner, python(u"print(\"hi\")"_s));
            QCOMPARE(report.outcome, RunOutcome::Ok);
            QCOMPARE(report.sandbox, u"e2b"_s);
            QCOMPARE(report.result.stdoutText, u"hi\n"_s);
            QVERIFY(report.sandboxCost > Money());
            QVERIFY(report.budget);
            QVERIFY(report.budget->toJson().value(u"spent"_s).toDouble() > 0);
            // Kept warm: what the sandbox may still cost stays held.
            QVERIFY(report.budget->toJson().value(u"reserved"_s).toDouble() > 0);

            auto ledger = SpendLedger::open(m_ledgerPath);
            QVERIFY(ledger);
            const auto entries = (*ledger)->entriesForRun(report.runId);
            QVERIFY(entries);
            QCOMPARE(entries->size(), 1);
            QCOMPARE(entries->first().step, u"execute"_s);
            QCOMPARE(entries->first().charge.cost, report.sandboxCost);
            QVERIFY(entries->first().reserved >= entries->first().charge.cost);
        }
        QCOMPARE(m_fake->sandboxesCreated(), 1);
        QCOMPARE(history().first().sandbox, u"e2b"_s);
        QVERIFY(history().first().sandboxCost > Money());
    }

    void keepWarmTimeIsChargedAsItsOwnEntries()
    {
        const qint64 pauseMs = 400;
        RunThread runner(config(5.0, true));
        const RunReport first = run(runner, python(u"print(\"a\")"_s));
        QCOMPARE(first.outcome, RunOutcome::Ok);
        QTest::qWait(int(pauseMs)); // the sandbox is kept warm, and that time is paid for
        const RunReport second = run(runner, python(u"print(\"b\")"_s));
        QCOMPARE(second.outcome, RunOutcome::Ok);
        QCOMPARE(second.result.stdoutText, u"b\n"_s);
        QCOMPARE(m_fake->sandboxesCreated(), 1); // one warm sandbox served both runs

        const QList<RunRecord> runs = history();
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs.at(0).sessionKey, runs.at(1).sessionKey);
        auto ledger = SpendLedger::open(m_ledgerPath);
        QVERIFY(ledger);
        const QString session = u"session:"_s + runs.first().sessionKey;
        auto warmEntries = [&] {
            const auto entries = (*ledger)->entriesForRun(session);
            return entries ? *entries : QList<LedgerEntry>{};
        };
        QCOMPARE(warmEntries().size(), 1); // between the runs

        // The kill ends the warm time; it is charged once E2B has taken the
        // kill (the fake answers on this thread, so this thread must not block).
        runner.restartSession();
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(warmEntries().size(), 2, 10000);
        const QList<LedgerEntry> warm = warmEntries();
        const E2bRates rates = E2bRates::published();
        const Money atLeast = cost::e2bCharge(rates, SandboxSize{}, pauseMs / 1000.0).cost;
        const Money atMost = cost::e2bCharge(rates, SandboxSize{}, 30.0).cost;
        for (const LedgerEntry &entry : warm) {
            QCOMPARE(entry.step, u"keep-warm"_s);
            QCOMPARE(entry.charge.resource, u"e2b"_s);
            QVERIFY(entry.charge.cost > Money());
            QVERIFY2(entry.charge.cost <= atMost, qPrintable(entry.charge.cost.toString()));
        }
        QVERIFY2(warm.first().charge.cost >= atLeast,
                 qPrintable(warm.first().charge.cost.toString() + u" < "_s + atLeast.toString()));
        // Apart from the runs' own execute entries, which stay one each.
        QCOMPARE((*ledger)->entriesForRun(first.runId)->size(), 1);
        QCOMPARE((*ledger)->entriesForRun(second.runId)->size(), 1);
    }

    // Keep-warm obeys the budget (issue 16): the run's lifetime fits, the
    // next minute of keeping its sandbox does not, so the sandbox goes as the
    // run ends, the run and the worker say why, and all it cost is settled.
    void aSandboxTheBudgetCannotKeepWarmIsClosedAsTheRunEnds()
    {
        RunWorkerConfig c = config(std::nullopt, true);
        c.e2b->lifetimeMarginS = 1;
        c.e2b->idleTimeoutMs = 10 * 60 * 1000;
        const Money runWorstCase = cost::e2b(c.e2bRates, c.e2bSize,
                                             (RunRequest::kDefaultTimeLimitMs / 1000 + 1) * 1000);
        const Money limit = Money::fromNanos(runWorstCase.nanos() * 3 / 2);
        c.budgetPolicy.setLimit(ScopeLevel::Org, limit);
        RunThread runner(c);
        QSignalSpy ended(runner.worker(), &RunWorker::sessionEnded);
        const RunReport first = run(runner, python(u"x = 1"_s));
        QCOMPARE(first.outcome, RunOutcome::Ok);
        const QString why = u"the budget cannot cover keeping it warm"_s;
        QVERIFY2(first.message.contains(why), qPrintable(first.message));
        QTRY_COMPARE(ended.size(), 1);
        QVERIFY(ended.first().first().toString().contains(why));
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 10000);

        auto ledger = SpendLedger::open(m_ledgerPath);
        QVERIFY(ledger);
        QSqlQuery q((*ledger)->database());
        QTRY_VERIFY((q.exec(u"SELECT COUNT(*) FROM reservations"_s) && q.next() && q.value(0).toInt() == 0));
        q.finish();
        QVERIFY(*(*ledger)->totalSettled() > Money());
        QVERIFY(*(*ledger)->totalSettled() <= limit);
        QCOMPARE((*ledger)->entriesForRun(first.runId)->size(), 1);

        // The next run starts a fresh sandbox.
        const RunReport second = run(runner, python(u"print(\"b\")"_s));
        QCOMPARE(second.outcome, RunOutcome::Ok);
        QCOMPARE(m_fake->sandboxesCreated(), 2);
    }

    void exhaustedBudgetRefusesE2bBeforeAnythingIsSpent()
    {
        RunThread runner(config(0.0, true));
        const RunReport report = run(runner, python(u"print(\"hi\")"_s));
        QCOMPARE(report.outcome, RunOutcome::OverBudget);
        QVERIFY(report.remaining.has_value());
        QCOMPARE(*report.remaining, Money());
        QVERIFY(report.message.contains(u"Over budget"_s));
        QCOMPARE(m_fake->sandboxesCreated(), 0);
        QCOMPARE(exitCodeFor(report.outcome), 5);
    }

    // After repeated E2B failures the runs stop calling it (no request, no
    // hold) until the cool-down; the next run is the trial that closes it.
    void e2bBreakerStopsCallingAFailingE2bUntilItsCoolDown()
    {
        ManualClock clock(QDateTime(QDate(2026, 11, 2), QTime(9, 0), QTimeZone::utc()));
        auto breaker = std::make_shared<CircuitBreaker>(clock, BreakerConfig{2, 60000});
        RunWorkerConfig c = config(5.0, true);
        c.e2bBreaker = breaker;
        RunThread runner(c);
        m_fake->failNext("POST", "/v2/sandboxes", 401, u"Invalid API key"_s, {}, 2);
        for (int i = 0; i < 2; ++i) {
            const RunReport failed = run(runner, python(u"print(\"hi\")"_s));
            QCOMPARE(failed.outcome, RunOutcome::Unavailable);
            QVERIFY2(failed.message.contains(u"Invalid API key"_s), qPrintable(failed.message));
        }
        QCOMPARE(breaker->state(), BreakerState::Open);

        const qsizetype requestsBefore = m_fake->requests().size();
        const RunReport refused = run(runner, python(u"print(\"hi\")"_s));
        QCOMPARE(refused.outcome, RunOutcome::Unavailable);
        QVERIFY2(refused.message.contains(u"failed 2 times in a row"_s)
                     && refused.message.contains(u"next try in 60 s"_s),
                 qPrintable(refused.message));
        QCOMPARE(refused.sandbox, u"e2b"_s);
        QCOMPARE(m_fake->requests().size(), requestsBefore); // E2B was not called
        QVERIFY(refused.budget);
        QCOMPARE(refused.budget->toJson().value(u"reserved"_s).toDouble(), 0.0);
        QCOMPARE(exitCodeFor(refused.outcome), 6);

        clock.advanceMs(60000);
        const RunReport trial = run(runner, python(u"print(\"hi\")"_s));
        QCOMPARE(trial.outcome, RunOutcome::Ok);
        QCOMPARE(trial.result.stdoutText, u"hi\n"_s);
        QCOMPARE(breaker->state(), BreakerState::Closed);
        QCOMPARE(breaker->consecutiveFailures(), 0);
    }

    // Code that raises or runs out of time got a working sandbox: not E2B's failure.
    void codeErrorsDoNotCountAgainstE2b()
    {
        ManualClock clock(QDateTime(QDate(2026, 11, 2), QTime(9, 0), QTimeZone::utc()));
        auto breaker = std::make_shared<CircuitBreaker>(clock, BreakerConfig{1, 60000});
        RunWorkerConfig c = config(5.0, true);
        c.e2bBreaker = breaker;
        RunThread runner(c);
        m_fake->setScript(u"1/0"_s, {fake::FakeStep::error(u"ZeroDivisionError"_s, u"division by zero"_s)});
        QCOMPARE(run(runner, python(u"1/0"_s)).outcome, RunOutcome::Failed);
        QCOMPARE(breaker->state(), BreakerState::Closed);
        QCOMPARE(run(runner, python(u"print(\"after\")"_s)).outcome, RunOutcome::Ok);
    }

    // Issue 21: with a team ledger that cannot be reached, a paid run fails
    // closed before anything is spent (exit 6, HTTP 503, a message naming
    // the server), free local runs go on, and GET /api/code says since when
    // the team's figures are stale.
    void unreachableTeamServerFailsPaidRunsClosed()
    {
        TeamServer team;
        team.host = m_dir.filePath(u"no-team-server-here"_s); // a socket folder with no server in it
        team.database = u"safecell"_s;
        team.user = u"alice"_s;
        team.tlsMode = u"disable"_s;
        RunWorkerConfig c = config(5.0, true);
        c.budgetPolicy.team = team;
        RunThread runner(c);
        const RunReport refused = run(runner, python(u"print(\"hi\")"_s));
        QCOMPARE(refused.outcome, RunOutcome::Unavailable);
        QCOMPARE(exitCodeFor(refused.outcome), 6);
        QCOMPARE(api::httpStatusFor(refused.outcome), 503);
        QVERIFY2(refused.message.contains(u"team budget server"_s) && refused.message.contains(team.describe()),
                 qPrintable(refused.message));
        QCOMPARE(m_fake->sandboxesCreated(), 0);

        RunWorkerConfig local = config(5.0, false);
        local.budgetPolicy.team = team;
        RunThread localRunner(local);
        const RunReport free = run(localRunner, python(u"print(1)"_s));
        QCOMPARE(free.outcome, RunOutcome::Ok);

        api::ApiServerConfig serverConfig;
        serverConfig.token = kToken;
        serverConfig.worker = c;
        api::ApiServer server(serverConfig);
        server.setBudgetProvider(api::ledgerBudgetProvider(c.budgetPolicy, m_ledgerPath));
        const auto port = server.listenLocal(QHostAddress::LocalHost, 0);
        QVERIFY(port);
        auto call = [&](const QByteArray &method, const QByteArray &body) { return callApi(*port, method, body); };
        const auto [postStatus, postBody] = call("POST", QByteArray("{\"code\":\"print(1)\",\"language\":\"python\"}"));
        QCOMPARE(postStatus, 503);
        QVERIFY2(postBody.value(u"message"_s).toString().contains(u"team budget server"_s),
                 QJsonDocument(postBody).toJson().constData());
        const auto [getStatus, getBody] = call("GET", {});
        QCOMPARE(getStatus, 200);
        const QJsonObject teamFigures = getBody.value(u"team"_s).toObject();
        QCOMPARE(teamFigures.value(u"server"_s).toString(), team.describe());
        QVERIFY(!teamFigures.value(u"staleSince"_s).isNull());
        QCOMPARE(getBody.value(u"state"_s).toString(), u"Stopped"_s); // figures never read: nothing may be spent
    }

    // A team server that accepts and never answers (a hung host, a dead
    // VPN): reading its figures takes the 5 s connect timeout. GET
    // /api/code answers from figures read on a thread of their own, so
    // only the first GET waits for that read; the next one does not.
    void getAnswersWhileTheTeamServerHangs()
    {
        QTcpServer blackHole; // the kernel completes the handshake; nothing is ever said
        QVERIFY(blackHole.listen(QHostAddress::LocalHost, 0));
        TeamServer team;
        team.host = u"127.0.0.1"_s;
        team.port = blackHole.serverPort();
        team.database = u"safecell"_s;
        team.user = u"alice"_s;
        team.tlsMode = u"disable"_s;
        BudgetPolicy policy = config(5.0, false).budgetPolicy;
        policy.team = team;
        api::ApiServerConfig serverConfig;
        serverConfig.token = kToken;
        serverConfig.worker = config(5.0, false);
        api::ApiServer server(serverConfig);
        server.setBudgetProvider(api::ledgerBudgetProvider(policy, m_ledgerPath));
        const auto port = server.listenLocal(QHostAddress::LocalHost, 0);
        QVERIFY(port);
        const auto [firstStatus, firstBody] = callApi(*port, "GET", {});
        QCOMPARE(firstStatus, 200);
        QVERIFY(!firstBody.value(u"team"_s).toObject().value(u"staleSince"_s).isNull());
        QElapsedTimer clock;
        clock.start();
        const auto [status, body] = callApi(*port, "GET", {}); // the poll is connecting again meanwhile
        const qint64 tookMs = clock.elapsed();
        QCOMPARE(status, 200);
        QCOMPARE(body.value(u"team"_s).toObject().value(u"server"_s).toString(), team.describe());
        QVERIFY2(tookMs < 2500, qPrintable(u"the second GET took %1 ms"_s.arg(tookMs)));
    }

    void localRunsGoOnWhenTheBudgetIsSpent()
    {
        RunThread runner(config(0.0, false));
        QCOMPARE(run(runner, python(u"print(1)"_s)).outcome, RunOutcome::Ok);
    }

    // Issue 22: with default settings (no workspace database) the API's SQL
    // on E2B runs on the bundled example, as locally, with no uploadData
    // (nothing of the analyst's leaves), and its rows are the `result`.
    void apiSqlOnE2bByDefaultGivesTheExampleRows()
    {
        m_fake->setRunSqlWithPython(true);
        api::ApiServerConfig serverConfig;
        serverConfig.token = kToken;
        serverConfig.worker = config(5.0, true);
        QVERIFY(serverConfig.worker.e2b->workspaceDatabase.isEmpty());
        api::ApiServer server(serverConfig);
        const auto port = server.listenLocal(QHostAddress::LocalHost, 0);
        QVERIFY(port);
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/api/code"_s.arg(*port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("Authorization", "Bearer " + kToken.toUtf8());
        QNetworkReply *reply = network.post(
            request, QByteArray(R"({"code":"SELECT name FROM regions ORDER BY region_id LIMIT 2","language":"sql"})"));
        QSignalSpy done(reply, &QNetworkReply::finished);
        QVERIFY(done.wait(60000));
        const QByteArray raw = reply->readAll();
        reply->deleteLater();
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const QJsonObject body = QJsonDocument::fromJson(raw).object();
        QCOMPARE(body.value(u"outcome"_s).toString(), u"ok"_s);
        QCOMPARE(body.value(u"result"_s).toString(), u"name\nNorth\nSouth"_s);
        QCOMPARE(body.value(u"uploadedFiles"_s).toArray().size(), 1); // the example, sent and said so
        QTRY_COMPARE_WITH_TIMEOUT(server.runsInFlight(), 0, 5000);
    }

    // Issue 23: through the API each request is its own session, so
    // allowInternet and uploadData hold for that request only; the history
    // records what each run uploaded and whether it had the internet.
    void apiRequestFieldsAllowInternetAndUploadsForThatRequestOnly()
    {
        const QString database = m_dir.filePath(u"api-workspace.db"_s);
        {
            QFile file(database);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(QByteArray("SQLite format 3\0", 16));
        }
        api::ApiServerConfig serverConfig;
        serverConfig.token = kToken;
        serverConfig.worker = config(5.0, true);
        serverConfig.worker.e2b->workspaceDatabase = database;
        api::ApiServer server(serverConfig);
        const auto port = server.listenLocal(QHostAddress::LocalHost, 0);
        QVERIFY(port);
        QNetworkAccessManager network;
        auto post = [&](const QJsonObject &body) {
            QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/api/code"_s.arg(*port)));
            request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
            request.setRawHeader("Authorization", "Bearer " + kToken.toUtf8());
            QNetworkReply *reply = network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
            QSignalSpy done(reply, &QNetworkReply::finished);
            done.wait(60000);
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QJsonObject json = QJsonDocument::fromJson(reply->readAll()).object();
            reply->deleteLater();
            return std::pair{status, json};
        };
        const auto internetOfLastCreate = [this] {
            return m_fake->createBodies().last().value(u"allow_internet_access"_s);
        };
        const QJsonObject print{{u"code"_s, u"print(1)"_s}, {u"language"_s, u"python"_s}};
        auto [status, body] = post(print);
        QCOMPARE(status, 200);
        QCOMPARE(internetOfLastCreate(), QJsonValue(false));
        QCOMPARE(body.value(u"internet"_s), QJsonValue(false));
        QJsonObject open = print;
        open.insert(u"allowInternet"_s, true);
        std::tie(status, body) = post(open);
        QCOMPARE(status, 200);
        QCOMPARE(internetOfLastCreate(), QJsonValue(true));
        QCOMPARE(body.value(u"internet"_s), QJsonValue(true));
        std::tie(status, body) = post(print); // the next request: off again
        QCOMPARE(status, 200);
        QCOMPARE(internetOfLastCreate(), QJsonValue(false));
        QCOMPARE(m_fake->sandboxesCreated(), 3);

        m_fake->setScriptContaining(u"SELECT 42"_s, {fake::FakeStep::out(u"42\n"_s)});
        const QJsonObject sql{{u"code"_s, u"SELECT 42"_s}, {u"language"_s, u"sql"_s}};
        std::tie(status, body) = post(sql);
        QCOMPARE(status, 409);
        QCOMPARE(body.value(u"outcome"_s).toString(), u"needs-confirmation"_s);
        QCOMPARE(body.value(u"skippedUploads"_s).toArray(), QJsonArray{database});
        QCOMPARE(body.value(u"uploadedFiles"_s).toArray(), QJsonArray());
        QCOMPARE(m_fake->sandboxesCreated(), 3); // refused before a sandbox was asked for
        QCOMPARE(m_fake->count("POST", "/files"), 0);
        QJsonObject allowed = sql;
        allowed.insert(u"uploadData"_s, true);
        std::tie(status, body) = post(allowed);
        QCOMPARE(status, 200);
        QCOMPARE(body.value(u"uploadedFiles"_s).toArray(), QJsonArray{database});
        QCOMPARE(m_fake->count("POST", "/files"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(server.runsInFlight(), 0, 5000);

        const QList<RunRecord> runs = history(); // newest first
        QCOMPARE(runs.size(), 5);
        QCOMPARE(runs.at(0).uploadedFiles, QStringList{database});
        QCOMPARE(runs.at(0).outcome, u"ok"_s);
        QVERIFY(runs.at(1).uploadedFiles.isEmpty());
        QCOMPARE(runs.at(1).outcome, u"needs-confirmation"_s);
        QVERIFY(!runs.at(2).internet);
        QVERIFY(runs.at(3).internet);
        QVERIFY(!runs.at(4).internet);
        QCOMPARE(RunHistory::toJson(runs).at(0).toObject().value(u"uploadedFiles"_s).toArray(), QJsonArray{database});
    }

    void httpApiAnswersWithTheRecipesStatusCodes()
    {
        api::ApiServerConfig serverConfig;
        serverConfig.token = kToken;
        serverConfig.worker = config(0.0, true);
        api::ApiServer server(serverConfig);
        server.setBudgetProvider(
            api::ledgerBudgetProvider(BudgetPolicy{}.setLimit(ScopeLevel::Org, Money()), m_ledgerPath));
        const auto port = server.listenLocal(QHostAddress::LocalHost, 0);
        QVERIFY(port);
        auto call = [&](const QByteArray &method, const QByteArray &body) { return callApi(*port, method, body); };
        const auto [overStatus, overBody] = call("POST", QByteArray("{\"code\":\"print(1)\",\"language\":\"python\"}"));
        QCOMPARE(overStatus, 402);
        QCOMPARE(overBody.value(u"outcome"_s).toString(), u"over-budget"_s);
        QCOMPARE(overBody.value(u"remaining"_s).toDouble(), 0.0);
        QVERIFY(overBody.value(u"error"_s).toString().contains(u"Over budget"_s));

        const auto [blockedStatus, blockedBody] = call("POST",
                                                       QByteArray("{\"code\":\"import os\",\"language\":\"python\"}"));
        QCOMPARE(blockedStatus, 403);
        QCOMPARE(blockedBody.value(u"findings"_s).toArray().first().toObject().value(u"rule"_s).toString(),
                 u"PY-IMPORT"_s);
        QCOMPARE(blockedBody.value(u"verdict"_s).toObject().value(u"label"_s).toString(), u"dangerous"_s);

        const auto [askStatus,
                    askBody] = call("POST",
                                    QByteArray("{\"code\":\"f = open('out.csv', 'w')\",\"language\":\"python\"}"));
        QCOMPARE(askStatus, 409);
        QCOMPARE(askBody.value(u"outcome"_s).toString(), u"needs-confirmation"_s);
        QCOMPARE(askBody.value(u"findings"_s).toArray().first().toObject().value(u"rule"_s).toString(), u"PY-WRITE"_s);
        // Confirmed, it goes on to the sandbox, which is E2B here: over budget.
        const auto [confirmedStatus, confirmedBody] = call(
            "POST", QByteArray("{\"code\":\"f = open('out.csv', 'w')\",\"language\":\"python\",\"confirm\":true}"));
        QCOMPARE(confirmedStatus, 402);

        const auto [getStatus, getBody] = call("GET", {});
        QCOMPARE(getStatus, 200);
        for (const char *field : {"spent", "remaining", "state", "limit"})
            QVERIFY2(getBody.contains(QLatin1String(field)), field);
        QCOMPARE(getBody.value(u"state"_s).toString(), u"Stopped"_s);
        QCOMPARE(getBody.value(u"limit"_s).toDouble(), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
