// The local sandbox as a notebook: a persistent kernel, rich results,
// interrupts that keep the session, and a protocol user code cannot forge.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"
#include "sandbox/SandboxChild.h"

#include <QElapsedTimer>
#include <QTest>

#include <vector>

#include <fcntl.h>
#include <unistd.h>

using namespace safecell;
using namespace safecell::test;
using namespace Qt::StringLiterals;

class TestLocalSandbox : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<LocalSandbox> m_box;

private Q_SLOTS:
    void init() { m_box = std::make_unique<LocalSandbox>(SandboxLimits{}); }
    void cleanup() { m_box.reset(); }

    void variablesSurviveBetweenRuns()
    {
        QCOMPARE(python(*m_box, u"x = 41\nimport math"_s).outcome.status, ExecutionStatus::Completed);
        const SandboxRun second = python(*m_box, u"x + 1"_s);
        QCOMPARE(second.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(second.mainText(), u"42"_s);
        QCOMPARE(python(*m_box, u"print(math.sqrt(x + 8))"_s).out, u"7.0\n"_s);
    }

    // Issue 20 item 1: reading a host path the sandbox cannot see says how
    // to share it, in the error and under the traceback; a missing file of
    // the sandbox's own is the plain error.
    void aHostPathThatIsNotSharedSaysHowToShareIt()
    {
        const SandboxRun run = python(*m_box, u"import pandas as pd\npd.read_csv('/home/me/sales.csv')"_s);
        QCOMPARE(run.errorName(), u"FileNotFoundError"_s);
        QVERIFY2(run.outcome.error->value.contains(u"/home/me/sales.csv is a path of your computer"_s),
                 qPrintable(run.outcome.error->value));
        QVERIFY(run.outcome.error->value.contains(u"File > Add Data…"_s));
        QVERIFY(run.outcome.error->value.contains(u"dropping it on the window"_s));
        QVERIFY(run.outcome.error->value.contains(u"--data PATH"_s));
        QVERIFY(run.outcome.error->value.contains(u"readable (not writable) at /data/sales.csv"_s));
        QVERIFY2(run.outcome.error->traceback.contains(u"snippets see only the files you share"_s),
                 qPrintable(run.outcome.error->traceback));
        // A /data name nothing is shared at (none here) says so.
        const SandboxRun data = python(*m_box, u"open('/data/sales.csv')"_s);
        QCOMPARE(data.errorName(), u"FileNotFoundError"_s);
        QVERIFY2(data.outcome.error->value.contains(u"nothing is shared as /data/sales.csv. Nothing is shared yet."_s),
                 qPrintable(data.outcome.error->value));
        const SandboxRun own = python(*m_box, u"open('/work/missing.txt')"_s);
        QCOMPARE(own.errorName(), u"FileNotFoundError"_s);
        QVERIFY(!own.outcome.error->value.contains(u"not shared"_s));
    }

    // A busy server (the API's warm pool: threads, sockets, kernels) holds
    // many descriptors. A kernel still starts when they take every number
    // under the sandbox's RLIMIT_NOFILE, and whichever number its /work
    // namespace gets, the seccomp program's (kSeccompFd) too.
    void aKernelStartsWhateverDescriptorsTheProcessHolds()
    {
        std::vector<int> held;
        const auto release = [&held] {
            for (int fd : held)
                ::close(fd);
            held.clear();
        };
        for (int i = 0; i < 300; ++i)
            held.push_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
        {
            LocalSandbox box(SandboxLimits{});
            const SandboxRun run = python(box, u"print(1)"_s);
            QVERIFY2(run.out == u"1\n"_s, qPrintable(run.outcome.message));
        }
        release();
        for (int first = kSeccompFd - 8; first <= kSeccompFd; ++first) {
            // The sandbox's next descriptors are numbered from `first` on.
            while (held.empty() || held.back() < first - 1)
                held.push_back(::open("/dev/null", O_RDONLY | O_CLOEXEC));
            {
                LocalSandbox box(SandboxLimits{});
                const SandboxRun run = python(box, u"print(1)"_s);
                QVERIFY2(run.out == u"1\n"_s,
                         qPrintable(u"from descriptor %1: %2"_s.arg(first).arg(run.outcome.message)));
            }
            release();
        }
    }

    void restartStartsAFreshKernel()
    {
        QCOMPARE(python(*m_box, u"secret = 'kept'"_s).outcome.status, ExecutionStatus::Completed);
        m_box->restartSession();
        const SandboxRun run = python(*m_box, u"print(secret)"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QCOMPARE(run.errorName(), u"NameError"_s);
        QCOMPARE(python(*m_box, u"print('fresh')"_s).out, u"fresh\n"_s);
    }

    void lastExpressionIsTheMainResultLikeJupyter()
    {
        const SandboxRun run = python(*m_box, u"print('side')\n'hello'.upper()"_s);
        QCOMPARE(run.out, u"side\n"_s);
        QCOMPARE(run.results.size(), 1);
        QVERIFY(run.results.first().isMainResult);
        QCOMPARE(run.mainText(), u"HELLO"_s);
        // A statement, or None, has no result.
        QVERIFY(python(*m_box, u"y = 3"_s).results.isEmpty());
        QVERIFY(python(*m_box, u"None"_s).results.isEmpty());
    }

    void matplotlibFiguresComeBackAsPng_data()
    {
        QTest::addColumn<QString>("code");
        QTest::newRow("plt.show()")
            << u"import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()\nprint('shown')"_s;
        QTest::newRow("open figure at the end")
            << u"import matplotlib.pyplot as plt\nplt.bar(['a', 'b'], [3, 5])\nprint('shown')"_s;
    }

    void matplotlibFiguresComeBackAsPng()
    {
        QFETCH(QString, code);
        const SandboxRun run = python(*m_box, code);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(run.out, u"shown\n"_s);
        QCOMPARE(run.results.size(), 1);
        const QByteArray png = run.results.first().png;
        QVERIFY(png.startsWith(QByteArray("\x89PNG\r\n\x1a\n", 8)));
        QVERIFY(png.size() > 1000);
        QVERIFY2(!run.err.contains(u"non-interactive"_s), qPrintable(run.err));
    }

    void dataFramesComeBackAsTables()
    {
        auto limits = SandboxLimits{};
        limits.resultRowCap = 5;
        m_box = std::make_unique<LocalSandbox>(limits);
        const SandboxRun run =
            python(*m_box, u"import pandas as pd\n"
                           "df = pd.DataFrame({'city': ['Oslo', 'Lima', None] * 4, 'sales': [1.5, 2.0, 3.25] * 4,"
                           " 'units': range(12)})\n"
                           "df"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(run.results.size(), 1);
        const RichResult &result = run.results.first();
        QVERIFY(result.isMainResult);
        QVERIFY(result.table);
        QCOMPARE(result.table->columns, (QStringList{u"city"_s, u"sales"_s, u"units"_s}));
        QCOMPARE(result.table->types, (QStringList{u"object"_s, u"float64"_s, u"int64"_s}));
        QCOMPARE(result.table->totalRows, 12);
        QCOMPARE(result.table->rows.size(), 5);
        QCOMPARE(result.table->rows.at(1), (QStringList{u"Lima"_s, u"2.0"_s, u"1"_s}));
        QVERIFY(result.table->rows.at(2).at(0).isNull()); // missing stays missing
        QVERIFY(result.text.contains(u"Oslo"_s));
    }

    void errorsCarryNameValueAndTheUsersLineNumbers()
    {
        python(*m_box, u"def ratio(a, b):\n    return a / b\n"_s);
        const SandboxRun run = python(*m_box, u"x = 1\n\nratio(x, 0)\n"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QCOMPARE(run.errorName(), u"ZeroDivisionError"_s);
        QCOMPARE(run.outcome.error->value, u"division by zero"_s);
        const QString traceback = run.outcome.error->traceback;
        QVERIFY2(traceback.contains(u"line 3"_s) && traceback.contains(u"line 2, in ratio"_s), qPrintable(traceback));
        QVERIFY2(traceback.contains(u"return a / b"_s), qPrintable(traceback)); // the user's source line
        QVERIFY2(!traceback.contains(u"run_python"_s) && !traceback.contains(u"<string>"_s), qPrintable(traceback));

        const SandboxRun syntax = python(*m_box, u"a = 1\nif a\n"_s);
        QCOMPARE(syntax.errorName(), u"SyntaxError"_s);
        QVERIFY(syntax.outcome.error->traceback.contains(u"line 2"_s));
    }

    void printsCannotForgeProtocolMessages()
    {
        const SandboxRun run = python(*m_box, uR"(import os, sys
print('{"type": "end_of_execution"}')
print('{"type":"result","is_main_result":true,"text":"forged"}')
os.write(1, b'{"type": "error", "name": "Forged", "value": "", "traceback": ""}\n')
sys.stderr.write('{"type": "stdout", "text": "forged"}\n')
os.system('echo from-a-child')
print('last line')
)"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY(run.results.isEmpty());
        QVERIFY(!run.outcome.error);
        QVERIFY(run.out.contains(u"{\"type\": \"end_of_execution\"}\n"_s));
        QVERIFY(run.out.contains(u"from-a-child\n"_s));
        QVERIFY(run.out.endsWith(u"last line\n"_s));
        QCOMPARE(run.err, u"{\"type\": \"stdout\", \"text\": \"forged\"}\n"_s);
    }

    void subprocessesAndMultiprocessingWork()
    {
        const SandboxRun run = python(*m_box,
                                      u"import multiprocessing, subprocess\n"
                                      "with multiprocessing.Pool(2) as pool:\n"
                                      "    print(pool.map(abs, [-1, -2, -3]))\n"
                                      "print(subprocess.check_output(['echo', 'sub'], text=True), end='')\n"_s,
                                      60000);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed,
                 qPrintable(run.outcome.error ? run.outcome.error->traceback : run.outcome.message));
        QCOMPARE(run.out, u"[1, 2, 3]\nsub\n"_s);
    }

    void stdinIsNotTheProtocol()
    {
        const SandboxRun run = python(*m_box, u"input()"_s);
        QCOMPARE(run.errorName(), u"EOFError"_s);
        QCOMPARE(python(*m_box, u"print('still here')"_s).out, u"still here\n"_s);
    }

    void timeLimitInterruptsAndKeepsTheSession()
    {
        python(*m_box, u"kept = 'yes'"_s);
        QElapsedTimer clock;
        clock.start();
        const SandboxRun run = python(*m_box, u"while True:\n    pass\n"_s, 1000);
        QCOMPARE(run.outcome.status, ExecutionStatus::TimedOut);
        QVERIFY(!run.outcome.sessionLost);
        QVERIFY2(clock.elapsed() < 1000 + 1500, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(run.outcome.message.contains(u"kept"_s));
        QCOMPARE(python(*m_box, u"print(kept)"_s).out, u"yes\n"_s);
    }

    void timeLimitKillsACodeThatIgnoresTheInterrupt()
    {
        python(*m_box, u"kept = 'yes'"_s);
        QElapsedTimer clock;
        clock.start();
        const SandboxRun run = python(*m_box,
                                      u"import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                                      "while True:\n    pass\n"_s,
                                      1000);
        QCOMPARE(run.outcome.status, ExecutionStatus::TimedOut);
        QVERIFY(run.outcome.sessionLost);
        QVERIFY2(run.outcome.message.contains(u"killed"_s) && run.outcome.message.contains(u"restarted"_s),
                 qPrintable(run.outcome.message));
        // SIGINT at 1 s, the kill 2 s later.
        QVERIFY2(clock.elapsed() >= 2950 && clock.elapsed() < 6000, qPrintable(QString::number(clock.elapsed())));
        const SandboxRun after = python(*m_box, u"print(kept)"_s);
        QCOMPARE(after.errorName(), u"NameError"_s); // a fresh session
        QCOMPARE(python(*m_box, u"print('ok')"_s).out, u"ok\n"_s);
    }

    void stopInterruptsWithinASecondAndKeepsState()
    {
        python(*m_box, u"total = 10"_s);
        SandboxRun run;
        QObject context;
        bool started = false;
        connect(m_box.get(), &Sandbox::stdoutReceived, &context, [&started](const QString &) { started = true; });
        QTimer::singleShot(0, &context, [this] {
            m_box->execute({u"import time\nprint('go', flush=True)\ntime.sleep(60)"_s, Language::Python, 90000, false});
        });
        QTRY_VERIFY_WITH_TIMEOUT(started, 20000);
        QElapsedTimer clock;
        clock.start();
        bool done = false;
        ExecutionOutcome outcome;
        connect(m_box.get(), &Sandbox::finished, &context, [&](const ExecutionOutcome &o) {
            outcome = o;
            done = true;
        });
        m_box->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(done, 5000);
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(outcome.status, ExecutionStatus::Cancelled);
        QVERIFY(!outcome.sessionLost);
        context.disconnect();
        QCOMPARE(python(*m_box, u"print(total)"_s).out, u"10\n"_s);
    }

    void stopKillsWithinASecondWhenTheInterruptIsIgnored()
    {
        bool started = false;
        bool done = false;
        ExecutionOutcome outcome;
        QObject context;
        connect(m_box.get(), &Sandbox::stdoutReceived, &context, [&started](const QString &) { started = true; });
        connect(m_box.get(), &Sandbox::finished, &context, [&](const ExecutionOutcome &o) {
            outcome = o;
            done = true;
        });
        m_box->execute({u"import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint('go', flush=True)\n"
                        "while True:\n    pass\n"_s,
                        Language::Python, 90000, false});
        QTRY_VERIFY_WITH_TIMEOUT(started, 20000);
        QElapsedTimer clock;
        clock.start();
        m_box->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(done, 5000);
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(outcome.status, ExecutionStatus::Cancelled);
        QVERIFY(outcome.sessionLost);
        context.disconnect();
        QCOMPARE(python(*m_box, u"print('usable')"_s).out, u"usable\n"_s);
    }
};

QTEST_GUILESS_MAIN(TestLocalSandbox)
#include "tst_localsandbox.moc"
