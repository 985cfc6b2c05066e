#include "EveryRuleDisabledPolicy.h"
#include "pipeline/RunThread.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;

namespace {

RunRequest python(const QString &code, qint64 timeLimitMs = 30000)
{
    RunRequest request;
    request.code = code;
    request.language = Language::Python;
    request.maxExecutionTimeMs = timeLimitMs;
    return request;
}

} // namespace

class TestRunWorker : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<RunThread> m_runner;
    QTemporaryDir m_policyDir;

    RunReport runToEnd(const RunRequest &request, int waitMs = 60000)
    {
        QSignalSpy finished(m_runner->worker(), &RunWorker::finished);
        m_runner->start(request);
        if (finished.isEmpty() && !finished.wait(waitMs))
            return {};
        return finished.takeFirst().at(0).value<RunReport>();
    }

private Q_SLOTS:
    void init()
    {
        RunWorkerConfig config;
        config.safetyPolicyFile = writeEveryRuleDisabledPolicy(m_policyDir);
        QVERIFY(!config.safetyPolicyFile.isEmpty());
        m_runner = std::make_unique<RunThread>(config);
    }
    void cleanup() { m_runner.reset(); }

    void printsHello()
    {
        QSignalSpy out(m_runner->worker(), &RunWorker::stdoutReceived);
        const RunReport report = runToEnd(python(QStringLiteral("print(\"hello\")")));
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QCOMPARE(report.result.stdoutText, QStringLiteral("hello\n"));
        QVERIFY(!report.result.error);
        QCOMPARE(report.result.executionId, report.runId);
        QVERIFY(!report.runId.isEmpty());
        QCOMPARE(report.sandbox, QStringLiteral("local"));
        QVERIFY(!out.isEmpty());
    }

    void runsOnTheWorkerThreadNotTheCaller() { QVERIFY(m_runner->worker()->thread() != QThread::currentThread()); }

    void timeLimitEndsAnEndlessLoop()
    {
        QElapsedTimer clock;
        clock.start();
        const RunReport report = runToEnd(python(QStringLiteral("while True: pass"), 1500));
        const qint64 elapsed = clock.elapsed();
        QCOMPARE(report.outcome, RunOutcome::TimedOut);
        QVERIFY2(elapsed < 1500 + 1000, qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
        QVERIFY(report.result.error->contains(QStringLiteral("timed out")));
        // The session is usable afterwards.
        QCOMPARE(runToEnd(python(QStringLiteral("print(2)"))).outcome, RunOutcome::Ok);
    }

    void streamsOutputWhileTheCodeRuns()
    {
        QSignalSpy out(m_runner->worker(), &RunWorker::stdoutReceived);
        QSignalSpy finished(m_runner->worker(), &RunWorker::finished);
        m_runner->start(
            python(QStringLiteral("import time\nprint('first', flush=True)\ntime.sleep(1.5)\nprint('second')")));
        QVERIFY(out.wait(10000));
        QVERIFY(out.first().at(0).toString().contains(QStringLiteral("first")));
        QVERIFY2(finished.isEmpty(), "the first line must arrive before the run ends");
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
    }

    void reportsARaisedErrorWithTheUsersLineNumber()
    {
        const RunReport report = runToEnd(python(QStringLiteral("x = 1\ny = 2\nprint(x / 0)\n")));
        QCOMPARE(report.outcome, RunOutcome::Failed);
        QVERIFY(report.error);
        QCOMPARE(report.error->name, QStringLiteral("ZeroDivisionError"));
        QCOMPARE(report.error->value, QStringLiteral("division by zero"));
        QVERIFY2(report.error->traceback.contains(QStringLiteral("line 3")), qPrintable(report.error->traceback));
        QCOMPARE(*report.result.error, QStringLiteral("ZeroDivisionError: division by zero"));
    }

    void stderrIsKeptApart()
    {
        const RunReport report = runToEnd(
            python(QStringLiteral("import sys\nprint('out')\nprint('err', file=sys.stderr)")));
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QCOMPARE(report.result.stdoutText, QStringLiteral("out\n"));
        QCOMPARE(report.result.stderrText, QStringLiteral("err\n"));
    }

    void cancelStopsARun()
    {
        QSignalSpy finished(m_runner->worker(), &RunWorker::finished);
        QSignalSpy out(m_runner->worker(), &RunWorker::stdoutReceived);
        m_runner->start(python(QStringLiteral("import time\nprint('go', flush=True)\ntime.sleep(30)")));
        QVERIFY(out.wait(10000));
        QElapsedTimer clock;
        clock.start();
        m_runner->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 5000);
        QVERIFY(clock.elapsed() < 1000);
        QCOMPARE(finished.first().at(0).value<RunReport>().outcome, RunOutcome::Cancelled);
    }

    void invalidRequestNeverRuns()
    {
        QSignalSpy steps(m_runner->worker(), &RunWorker::stepChanged);
        const RunReport report = runToEnd(python(QString()));
        QCOMPARE(report.outcome, RunOutcome::Invalid);
        QCOMPARE(report.invalidFields.size(), 1);
        QCOMPARE(report.invalidFields.first().field, QStringLiteral("code"));
        for (const auto &args : std::as_const(steps))
            QVERIFY(args.at(0).value<RunStep>() != RunStep::Executing);
    }

    void sandboxHasNoNetwork()
    {
        const RunReport report = runToEnd(python(QStringLiteral(
            "import socket\ns = socket.socket()\ns.settimeout(2)\nprint(s.connect_ex(('127.0.0.1', 22)))")));
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QVERIFY2(report.result.stdoutText.trimmed() != QLatin1String("0"), "a connection succeeded");
    }

    void sandboxRunsUnprivilegedWithAReadOnlySystem()
    {
        const RunReport report = runToEnd(python(QStringLiteral(
            "import os\nprint(os.getuid())\n"
            "try:\n    open('/usr/evil', 'w')\n    print('wrote')\nexcept OSError as e:\n    print('refused')\n"
            "print(os.path.exists('/etc/shadow'), os.path.exists('/root'), os.path.exists('/home'))")));
        QCOMPARE(report.outcome, RunOutcome::Ok);
        const QStringList lines = report.result.stdoutText.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.value(0), QStringLiteral("65534"));
        QCOMPARE(lines.value(1), QStringLiteral("refused"));
        QCOMPARE(lines.value(2), QStringLiteral("False False False"));
    }
};

QTEST_GUILESS_MAIN(TestRunWorker)
#include "tst_runworker.moc"
