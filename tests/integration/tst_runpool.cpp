#include "EveryRuleDisabledPolicy.h"
#include "api/RunPool.h"

#include <QJsonArray>
#include <QPointer>
#include <QSignalSpy>
#include <QTest>

using namespace safecell;
using namespace safecell::api;
using namespace Qt::StringLiterals;

namespace {

RunRequest python(const QString &code)
{
    RunRequest request;
    request.code = code;
    request.language = Language::Python;
    request.maxExecutionTimeMs = 60000;
    return request;
}

// The key of the run's `level` budget scope ("session", "task"), from the
// budget snapshot its report carries.
QString scopeKey(const RunReport &report, const QString &level)
{
    if (!report.budget)
        return {};
    for (const QJsonValue &scope : report.budget->toJson().value(u"scopes"_s).toArray()) {
        if (scope.toObject().value(u"scope"_s).toString() == level)
            return scope.toObject().value(u"key"_s).toString();
    }
    return {};
}

// A run that leaves a variable, a file in its working folder and a module
// attribute behind; then one that looks for all three.
const QString kLeaveState = u"x = 41\nopen('left.txt', 'w').write('a')\nimport os\nos.left_behind = 1\nprint(x + 1)"_s;
const QString kLookForState =
    u"import os\nprint('x' in globals(), os.path.exists('left.txt'), hasattr(os, 'left_behind'))"_s;

} // namespace

class TestRunPool : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_policyDir;
    RunWorkerConfig m_config;

    struct Served {
        quint64 ticket = 0;
        PooledWorker *worker = nullptr;
        RunReport report;
    };

    Served runToEnd(RunPool &pool, const RunRequest &request, const RunWorkerConfig &config)
    {
        Served served;
        QSignalSpy finished(&pool, &RunPool::finished);
        const auto ticket = pool.submit(config, request);
        if (!ticket)
            return served;
        served.ticket = *ticket;
        served.worker = pool.workerFor(*ticket);
        if (!finished.wait(90000) || finished.first().at(0).value<quint64>() != *ticket)
            return served;
        served.report = finished.first().at(1).value<RunReport>();
        return served;
    }
    Served runToEnd(RunPool &pool, const RunRequest &request) { return runToEnd(pool, request, m_config); }

private Q_SLOTS:
    void initTestCase()
    {
        m_config.safetyPolicyFile = writeEveryRuleDisabledPolicy(m_policyDir);
        QVERIFY(!m_config.safetyPolicyFile.isEmpty());
    }

    void workersAreMadeOnDemandUpToTheMaximumAndReused()
    {
        RunPool pool(2, m_config);
        QCOMPARE(pool.workers(), 0);
        const Served first = runToEnd(pool, python(u"print(1)"_s));
        QCOMPARE(first.report.outcome, RunOutcome::Ok);
        QCOMPARE(pool.workers(), 1);
        const Served second = runToEnd(pool, python(u"print(2)"_s));
        QCOMPARE(second.report.outcome, RunOutcome::Ok);
        QCOMPARE(second.report.result.stdoutText, u"2\n"_s);
        QCOMPARE(pool.workers(), 1);
        QCOMPARE(second.worker, first.worker);
        QCOMPARE(second.worker->runsServed(), 2);
        QVERIFY(second.ticket != first.ticket);

        // Two at once need a second worker; a third finds none.
        QSignalSpy finished(&pool, &RunPool::finished);
        const auto a = pool.submit(m_config, python(u"import time\ntime.sleep(1)"_s));
        const auto b = pool.submit(m_config, python(u"import time\ntime.sleep(1)"_s));
        QVERIFY(a && b);
        QCOMPARE(pool.workers(), 2);
        QCOMPARE(pool.busy(), 2);
        QVERIFY(!pool.submit(m_config, python(u"print(3)"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 60000);
        QCOMPARE(pool.busy(), 0);
        QCOMPARE(pool.workers(), 2);
        QVERIFY(pool.submit(m_config, python(u"print(3)"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 60000);
        QCOMPARE(pool.workers(), 2);
    }

    // The control for the test below: on one session, the second run does
    // see what the first left (notebook semantics), so that test can fail.
    void oneSessionKeepsItsStateBetweenRuns()
    {
        RunThread runner(m_config);
        QSignalSpy finished(runner.worker(), &RunWorker::finished);
        runner.start(python(kLeaveState));
        QVERIFY(finished.wait(90000));
        QCOMPARE(finished.takeFirst().at(0).value<RunReport>().result.stdoutText, u"42\n"_s);
        runner.start(python(kLookForState));
        QVERIFY(finished.wait(90000));
        const RunReport report = finished.takeFirst().at(0).value<RunReport>();
        QCOMPARE(report.result.stdoutText, u"True True True\n"_s);
    }

    void twoRequestsOnOnePooledWorkerShareNothing()
    {
        RunPool pool(1, m_config);
        const Served first = runToEnd(pool, python(kLeaveState));
        QCOMPARE(first.report.outcome, RunOutcome::Ok);
        QCOMPARE(first.report.result.stdoutText, u"42\n"_s);
        const Served second = runToEnd(pool, python(kLookForState));
        QCOMPARE(second.worker, first.worker); // the same worker, on a new session
        QCOMPARE(second.report.outcome, RunOutcome::Ok);
        QCOMPARE(second.report.result.stdoutText, u"False False False\n"_s);

        // Each is its own session and task in the budget: nothing one spent
        // or held counts against the other's session limit.
        const QString firstSession = scopeKey(first.report, u"session"_s);
        const QString secondSession = scopeKey(second.report, u"session"_s);
        QVERIFY2(!firstSession.isEmpty() && !secondSession.isEmpty(),
                 first.report.budget ? QJsonDocument(first.report.budget->toJson()).toJson().constData() : "no budget");
        QVERIFY(firstSession != secondSession);
        QVERIFY(!scopeKey(second.report, u"task"_s).isEmpty());
        QVERIFY(scopeKey(first.report, u"task"_s) != scopeKey(second.report, u"task"_s));
    }

    void renewSessionSignalsAndDropsVariables()
    {
        RunThread runner(m_config);
        QSignalSpy finished(runner.worker(), &RunWorker::finished);
        QSignalSpy renewed(runner.worker(), &RunWorker::sessionRenewed);
        runner.start(python(u"y = 5"_s));
        QVERIFY(finished.wait(90000));
        finished.clear();
        runner.renewSession(m_config);
        QVERIFY(renewed.wait(30000));
        runner.start(python(u"print(y)"_s));
        QVERIFY(finished.wait(90000));
        const RunReport report = finished.takeFirst().at(0).value<RunReport>();
        QCOMPARE(report.outcome, RunOutcome::Failed);
        QVERIFY2(report.result.error.value_or(QString()).contains(u"NameError"_s),
                 qPrintable(report.result.error.value_or(QString())));
    }

    void aTicketCancelsOnlyItsOwnRun()
    {
        RunPool pool(1, m_config);
        QSignalSpy finished(&pool, &RunPool::finished);
        const auto slow = pool.submit(m_config, python(u"print('started', flush=True)\nimport time\ntime.sleep(60)"_s));
        QVERIFY(slow);
        QSignalSpy started(pool.workerFor(*slow)->worker(), &RunWorker::stdoutReceived);
        QVERIFY(started.wait(60000));
        pool.cancel(*slow);
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.first().at(0).value<quint64>(), *slow);
        QCOMPARE(finished.first().at(1).value<RunReport>().outcome, RunOutcome::Cancelled);

        // The worker now serves another run: the first client's late
        // cancel (its socket closing) is not this run's.
        const auto next = pool.submit(m_config, python(u"import time\ntime.sleep(1)\nprint('done')"_s));
        QVERIFY(next);
        pool.cancel(*slow);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.last().at(0).value<quint64>(), *next);
        const RunReport report = finished.last().at(1).value<RunReport>();
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QCOMPARE(report.result.stdoutText, u"done\n"_s);
        QCOMPARE(pool.workers(), 1);
    }

    void aWorkerWhoseRunEndsUnavailableIsReplaced()
    {
        // E2B on a closed port: its sandbox fails.
        RunWorkerConfig broken = m_config;
        E2bConfig e2b;
        e2b.apiKey = u"e2b_test_key_0123456789"_s;
        e2b.apiUrl = QUrl(u"http://127.0.0.1:9"_s);
        e2b.sandboxUrl = QUrl(u"http://127.0.0.1:9"_s);
        broken.e2b = e2b;
        RunPool pool(1, m_config);
        const Served failed = runToEnd(pool, python(u"print(1)"_s), broken);
        QCOMPARE(failed.report.outcome, RunOutcome::Unavailable);
        QCOMPARE(pool.workers(), 0);
        QPointer<PooledWorker> gone(failed.worker);
        QTRY_VERIFY_WITH_TIMEOUT(gone.isNull(), 20000);

        const Served next = runToEnd(pool, python(u"print(1)"_s));
        QCOMPARE(next.report.outcome, RunOutcome::Ok);
        QCOMPARE(pool.workers(), 1);
    }
};

QTEST_GUILESS_MAIN(TestRunPool)
#include "tst_runpool.moc"
