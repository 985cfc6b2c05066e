// The classifier in the run pipeline: a dangerous snippet never reaches a
// sandbox, an ambiguous one waits for confirmation.
#include "pipeline/RunThread.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

class TestRunWorkerSafety : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<RunThread> m_runner;

    RunReport runToEnd(const QString &code, Language language = Language::Python, bool confirmed = false,
                       QList<RunStep> *steps = nullptr)
    {
        RunRequest request;
        request.code = code;
        request.language = language;
        request.confirmed = confirmed;
        QSignalSpy finished(m_runner->worker(), &RunWorker::finished);
        QSignalSpy stepSpy(m_runner->worker(), &RunWorker::stepChanged);
        m_runner->start(request);
        if (finished.isEmpty() && !finished.wait(30000))
            return {};
        if (steps) {
            for (const QList<QVariant> &args : std::as_const(stepSpy))
                *steps << args.at(0).value<RunStep>();
        }
        return finished.first().at(0).value<RunReport>();
    }

private Q_SLOTS:
    void init() { m_runner = std::make_unique<RunThread>(RunWorkerConfig{}); }
    void cleanup() { m_runner.reset(); }

    void dangerousIsBlockedBeforeAnySandbox()
    {
        QList<RunStep> steps;
        const RunReport report = runToEnd(u"import os\nos.system('touch /tmp/x')\n"_s, Language::Python, true, &steps);
        QCOMPARE(report.outcome, RunOutcome::Blocked);
        QCOMPARE(report.safetyLabel, SafetyLabel::Dangerous);
        QVERIFY(report.sandbox.isEmpty());
        QVERIFY(steps.contains(RunStep::Classifying));
        QVERIFY(!steps.contains(RunStep::Executing));
        QCOMPARE(report.findings.size(), 1);
        QCOMPARE(report.findings.first().rule, u"PY-PROC"_s);
        QCOMPARE(report.findings.first().line, 2);
        QVERIFY(report.result.error->contains(u"PY-PROC"_s));
    }

    void dangerousSqlIsBlockedToo()
    {
        const RunReport report = runToEnd(u"DROP TABLE t"_s, Language::Sql, true);
        QCOMPARE(report.outcome, RunOutcome::Blocked);
        QCOMPARE(report.findings.first().rule, u"SQL-DDL"_s);
    }

    void ambiguousNeedsConfirmation()
    {
        QList<RunStep> steps;
        const RunReport report = runToEnd(u"with open('out.txt', 'w') as f:\n    f.write('x')\n"_s, Language::Python,
                                          false, &steps);
        QCOMPARE(report.outcome, RunOutcome::NeedsConfirmation);
        QCOMPARE(report.safetyLabel, SafetyLabel::Ambiguous);
        QCOMPARE(report.findings.first().rule, u"PY-WRITE"_s);
        QVERIFY(!steps.contains(RunStep::Executing));
    }

    void confirmedAmbiguousRuns()
    {
        const RunReport report = runToEnd(u"import os\nprint(os.getenv('NOPE_X', 'dflt'))\n"_s, Language::Python, true);
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QCOMPARE(report.result.stdoutText.trimmed(), u"dflt"_s);
        QCOMPARE(report.findings.first().rule, u"PY-ENV"_s); // still reported
    }

    void safeRunsWithoutFindings()
    {
        const RunReport report = runToEnd(u"import os\nprint(os.path.join('a', 'b'))\n"_s);
        QCOMPARE(report.outcome, RunOutcome::Ok);
        QCOMPARE(report.safetyLabel, SafetyLabel::Safe);
        QVERIFY(report.findings.isEmpty());
    }

    void userPolicyFileIsHonoured()
    {
        QTemporaryDir dir;
        QFile builtIn(u":/policy/default.json"_s);
        QVERIFY(builtIn.open(QIODevice::ReadOnly));
        QByteArray text = builtIn.readAll();
        text.replace("{\"id\": \"PY-ENV\", \"label\": \"ambiguous\"", "{\"id\": \"PY-ENV\", \"label\": \"dangerous\"");
        QFile user(dir.filePath(u"p.json"_s));
        QVERIFY(user.open(QIODevice::WriteOnly));
        user.write(text);
        user.close();
        RunWorkerConfig config;
        config.safetyPolicyFile = user.fileName();
        m_runner = std::make_unique<RunThread>(config);
        QCOMPARE(runToEnd(u"import os\nos.getenv('A')\n"_s, Language::Python, true).outcome, RunOutcome::Blocked);
    }
};

QTEST_GUILESS_MAIN(TestRunWorkerSafety)
#include "tst_runworkersafety.moc"
