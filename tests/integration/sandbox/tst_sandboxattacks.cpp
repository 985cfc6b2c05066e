// What a curious analyst might try from a snippet. Each attack must be
// contained, and the session usable afterwards (or restarted, and told so).
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace safecell;
using namespace safecell::test;
using namespace Qt::StringLiterals;

class TestSandboxAttacks : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<LocalSandbox> m_box;

    // The host pid of this test's kernel worker: the process the kernel's
    // driver forks to run snippets (their command lines name <safecell-kernel>).
    static qint64 kernelWorkerHostPid()
    {
        const auto kernelOf = [](const QString &pid) {
            QFile cmdline(u"/proc/"_s + pid + u"/cmdline"_s);
            return cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains("<safecell-kernel>");
        };
        const auto parentOf = [](const QString &pid) {
            QFile status(u"/proc/"_s + pid + u"/status"_s);
            if (!status.open(QIODevice::ReadOnly))
                return QString();
            for (const QByteArray &line : status.readAll().split('\n')) {
                if (line.startsWith("PPid:"))
                    return QString::fromLatin1(line.mid(5).trimmed());
            }
            return QString();
        };
        const auto ancestorIsUs = [&parentOf](QString pid) {
            const QString us = QString::number(QCoreApplication::applicationPid());
            for (int depth = 0; depth < 8 && !pid.isEmpty() && pid != u"0"_s; ++depth) {
                if (pid == us)
                    return true;
                pid = parentOf(pid);
            }
            return false;
        };
        // bwrap's own command line names it too: the worker is the one
        // deepest in a line of such processes.
        qint64 worker = 0;
        int deepest = 1;
        for (const QString &pid : QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            if (!kernelOf(pid) || !ancestorIsUs(pid))
                continue;
            int depth = 0;
            for (QString up = parentOf(pid); kernelOf(up); up = parentOf(up))
                ++depth;
            if (depth > deepest) {
                deepest = depth;
                worker = pid.toLongLong();
            }
        }
        return worker;
    }

    // The session still works and still has the variable set in init().
    void verifySessionKept()
    {
        const SandboxRun run = python(*m_box, u"print(marker)"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed,
                 qPrintable(run.errorName() + u" "_s + run.outcome.message + u" "_s
                            + (run.outcome.error ? run.outcome.error->traceback : QString())));
        QCOMPARE(run.out, u"before the attack\n"_s);
    }

private Q_SLOTS:
    void init()
    {
        m_box = std::make_unique<LocalSandbox>(SandboxLimits{});
        QCOMPARE(python(*m_box, u"marker = 'before the attack'"_s).outcome.status, ExecutionStatus::Completed);
    }
    void cleanup() { m_box.reset(); }

    void connectToAServiceOnLocalhost()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const SandboxRun run = python(*m_box, uR"(import socket
for family, address in ((socket.AF_INET, ('127.0.0.1', %1)), (socket.AF_INET6, ('::1', %1))):
    s = socket.socket(family)
    s.settimeout(3)
    try:
        s.connect(address)
        print('connected')
    except OSError as e:
        print('refused', type(e).__name__)
try:
    socket.create_connection(('example.com', 80), timeout=3)
    print('connected')
except OSError as e:
    print('refused', type(e).__name__)
)"_s.arg(server.serverPort()));
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY2(!run.out.contains(u"connected"_s), qPrintable(run.out));
        QCOMPARE(run.out.count(u"refused"_s), 3);
        QTest::qWait(200);
        QVERIFY(!server.hasPendingConnections());
        verifySessionKept();
    }

    void readTheUsersSshKeys()
    {
        // A home with a key, where the host has one: the sandbox must not see it.
        QTemporaryDir home;
        QVERIFY(QDir(home.path()).mkpath(u".ssh"_s));
        QFile key(home.filePath(u".ssh/id_ed25519"_s));
        QVERIFY(key.open(QIODevice::WriteOnly));
        key.write("PRIVATE-KEY-SECRET\n");
        key.close();
        QFile::setPermissions(home.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                               | QFileDevice::ReadOther | QFileDevice::ExeOther);
        const QStringList paths{home.filePath(u".ssh/id_ed25519"_s),
                                QDir::homePath() + u"/.ssh"_s,
                                u"~/.ssh"_s,
                                u"/root/.ssh"_s,
                                u"/etc/shadow"_s,
                                u"/home"_s};
        QString code = u"import os, glob\nfound = []\n"_s;
        for (const QString &path : paths)
            code += u"p = os.path.expanduser('%1')\nif os.path.exists(p): found.append(p)\n"_s.arg(path);
        code += u"print('found:', found, glob.glob('/home/*/.ssh'))\n"
                "try:\n    print(open('%1').read())\nexcept OSError as e:\n    print('blocked', type(e).__name__)\n"_s
                    .arg(paths.first());
        const SandboxRun run = python(*m_box, code);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY2(run.out.startsWith(u"found: [] []\nblocked FileNotFoundError"_s), qPrintable(run.out));
        QVERIFY(!run.out.contains(u"SECRET"_s));
        verifySessionKept();
    }

    void writeIntoTheSystem()
    {
        const SandboxRun run = python(*m_box, uR"(import os
for path in ('/usr/safecell-evil', '/usr/bin/python3', '/etc/passwd', '/safecell-evil'):
    try:
        with open(path, 'a') as f:
            f.write('x')
        print('wrote', path)
    except OSError as e:
        print('refused', type(e).__name__)
with open('/work/notes.txt', 'w') as f:
    print('work folder writable', f.write('ok'))
)"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY2(!run.out.contains(u"wrote"_s), qPrintable(run.out));
        QCOMPARE(run.out.count(u"refused"_s), 4);
        QVERIFY(run.out.contains(u"work folder writable 2"_s));
        QVERIFY(!QFile::exists(u"/usr/safecell-evil"_s));
        verifySessionKept();
    }

    void forkBomb()
    {
        QElapsedTimer clock;
        clock.start();
        const SandboxRun run = python(*m_box, u"import os\nwhile True:\n    os.fork()\n"_s, 20000);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QVERIFY2(run.errorName() == u"BlockingIOError"_s, qPrintable(run.errorName()));
        QVERIFY(clock.elapsed() < 20000);
        verifySessionKept();
        // The forks are gone: new processes can be started again.
        const SandboxRun after = python(*m_box, u"import subprocess\nprint(subprocess.run(['echo', 'child ok'], "
                                                "capture_output=True, text=True).stdout, end='')"_s);
        QVERIFY2(after.out == u"child ok\n"_s,
                 qPrintable(after.errorName() + u" "_s + after.err
                            + (after.outcome.error ? after.outcome.error->traceback : QString())));
    }

    void forkBombThatSwallowsErrors()
    {
        const SandboxRun run = python(*m_box,
                                      u"import os\nwhile True:\n    try:\n        os.fork()\n"
                                      "    except OSError:\n        pass\n"_s,
                                      3000);
        QCOMPARE(run.outcome.status, ExecutionStatus::TimedOut);
        // On a loaded machine the swarm can starve the kernel past the
        // interrupt's grace period: then it is restarted, and says so.
        if (run.outcome.sessionLost)
            QVERIFY2(run.outcome.message.contains(u"variables are gone"_s), qPrintable(run.outcome.message));
        else
            verifySessionKept();
        const SandboxRun after = python(*m_box, u"import subprocess\nprint(subprocess.run(['echo', 'child ok'], "
                                                "capture_output=True, text=True).stdout, end='')"_s);
        QCOMPARE(after.out, u"child ok\n"_s);
    }

    void allocateTenGigabytes()
    {
        const SandboxRun run = python(*m_box, u"block = bytearray(10 * 1024 ** 3)"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QCOMPARE(run.errorName(), u"MemoryError"_s);
        const SandboxRun numpy = python(*m_box, u"import numpy\nblock = numpy.ones(10 * 1024 ** 3 // 8)"_s);
        QCOMPARE(numpy.outcome.status, ExecutionStatus::Raised);
        QVERIFY2(numpy.errorName().contains(u"MemoryError"_s), qPrintable(numpy.errorName()));
        verifySessionKept();
    }

    void infiniteLoop()
    {
        const SandboxRun run = python(*m_box, u"n = 0\nwhile True:\n    n += 1\n"_s, 1500);
        QCOMPARE(run.outcome.status, ExecutionStatus::TimedOut);
        QVERIFY(!run.outcome.sessionLost);
        verifySessionKept();
    }

    void burnCpuPastTheBudget()
    {
        auto limits = SandboxLimits{};
        limits.cpuSeconds = 2;
        m_box = std::make_unique<LocalSandbox>(limits);
        python(*m_box, u"marker = 'before the attack'"_s);
        const QString burn = u"import time\nstart = time.process_time()\n"
                             "while time.process_time() - start < %1:\n    pass\nprint('done')"_s;
        // The budget is per run, not per kernel: two runs of 1.2 s each pass.
        QCOMPARE(python(*m_box, burn.arg(1.2), 60000).out, u"done\n"_s);
        QCOMPARE(python(*m_box, burn.arg(1.2), 60000).out, u"done\n"_s);
        const SandboxRun run = python(*m_box, burn.arg(30), 60000);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QCOMPARE(run.errorName(), u"CpuTimeLimitExceeded"_s);
        QVERIFY(!run.outcome.sessionLost);
        verifySessionKept();
    }

    void kernelDiesBetweenRuns()
    {
        // Nothing of a snippet runs between runs, so only something outside
        // can end the kernel then: here, a SIGKILL from the host to the
        // process that runs the snippets.
        const SandboxRun setup = python(*m_box, u"import os\nprint(os.getpid())"_s);
        QCOMPARE(setup.outcome.status, ExecutionStatus::Completed);
        const qint64 worker = kernelWorkerHostPid();
        QVERIFY(worker > 0);
        QCOMPARE(::kill(pid_t(worker), SIGKILL), 0);
        QTest::qWait(1000);
        const SandboxRun run = python(*m_box, u"print('fresh')"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(run.out, u"fresh\n"_s);
        QVERIFY(run.outcome.sessionLost);
        QVERIFY2(run.outcome.message.contains(u"had stopped"_s), qPrintable(run.outcome.message));
    }

    void printFiftyMegabytes()
    {
        QElapsedTimer clock;
        clock.start();
        const SandboxRun run = python(*m_box,
                                      u"import sys\nline = 'x' * 1023 + '\\n'\n"
                                      "for _ in range(50 * 1024):\n    sys.stdout.write(line)\n"
                                      "print('done', file=sys.stderr)\n"_s,
                                      60000);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        const qint64 cap = SandboxLimits{}.outputCapBytes;
        QVERIFY(run.out.size() <= cap + 200);
        QVERIFY(run.out.size() >= cap);
        QVERIFY2(run.out.endsWith(u"[output truncated after %1 bytes]\n"_s.arg(cap)), qPrintable(run.out.right(100)));
        QCOMPARE(run.err, u"done\n"_s);
        qInfo("50 MB printed in %lld ms", clock.elapsed());
        // The next run has its own, fresh cap.
        QCOMPARE(python(*m_box, u"print('small')"_s).out, u"small\n"_s);
        verifySessionKept();
    }

    void aChildFloodingStdoutDoesNotDelayTheInterrupt()
    {
        // `yes` writes as fast as the pipe takes it: the kernel's driver
        // still hears the time limit and interrupts the loop in time.
        QElapsedTimer clock;
        clock.start();
        const SandboxRun run = python(*m_box,
                                      u"import subprocess\nsubprocess.Popen(['yes'])\n"
                                      "while True:\n    pass\n"_s,
                                      1500);
        QCOMPARE(run.outcome.status, ExecutionStatus::TimedOut);
        QVERIFY2(!run.outcome.sessionLost, qPrintable(run.outcome.message));
        QVERIFY2(clock.elapsed() < 1500 + 1500, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(run.out.size() <= SandboxLimits{}.outputCapBytes + 200);
        verifySessionKept();
    }

    void killTheKernelsParent()
    {
        const SandboxRun run = python(*m_box, u"import os, signal\nparent = os.getppid()\n"
                                              "for pid in {parent, 1}:\n"
                                              "    try:\n        os.kill(pid, signal.SIGKILL)\n"
                                              "    except OSError as e:\n        print(type(e).__name__)\n"
                                              "import time\ntime.sleep(0.5)\nprint('alive', parent)"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed
                     || (run.outcome.sessionLost && !run.outcome.message.isEmpty()),
                 qPrintable(run.outcome.message));
        if (run.outcome.status == ExecutionStatus::Completed) {
            QVERIFY(run.out.contains(u"alive"_s));
            verifySessionKept();
        } else {
            QCOMPARE(python(*m_box, u"print('usable')"_s).out, u"usable\n"_s);
        }
    }

    void killTheKernelItself()
    {
        const SandboxRun run = python(*m_box, u"import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QCOMPARE(run.errorName(), u"KernelDied"_s);
        QVERIFY(run.outcome.sessionLost);
        QVERIFY2(run.outcome.message.contains(u"variables are gone"_s), qPrintable(run.outcome.message));
        const SandboxRun after = python(*m_box, u"print('usable')"_s);
        QCOMPARE(after.out, u"usable\n"_s);
        QVERIFY(!after.outcome.sessionLost);
    }

    void crashTheInterpreter()
    {
        const SandboxRun run = python(*m_box, u"import ctypes\nctypes.string_at(0)\n"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QCOMPARE(run.errorName(), u"KernelDied"_s);
        QVERIFY(run.outcome.sessionLost);
        QVERIFY2(run.outcome.message.contains(u"SIGSEGV"_s), qPrintable(run.outcome.message));
        QVERIFY2(run.outcome.error->traceback.contains(u"line 2"_s), qPrintable(run.outcome.error->traceback));
        QCOMPARE(python(*m_box, u"print('usable')"_s).out, u"usable\n"_s);
    }

    void exitTheInterpreter()
    {
        const SandboxRun run = python(*m_box, u"import os\nos._exit(3)"_s);
        QVERIFY(run.outcome.sessionLost);
        QVERIFY(run.outcome.message.contains(u"exited with code 3"_s));
        QCOMPARE(python(*m_box, u"print('usable')"_s).out, u"usable\n"_s);
        // sys.exit() is only an exception, as in Jupyter: the session stays.
        python(*m_box, u"marker = 'before the attack'"_s);
        QCOMPARE(python(*m_box, u"import sys\nsys.exit(1)"_s).errorName(), u"SystemExit"_s);
        verifySessionKept();
    }

    void writeAHugeFile()
    {
        auto limits = SandboxLimits{};
        limits.maxFileSizeMb = 8;
        m_box = std::make_unique<LocalSandbox>(limits);
        python(*m_box, u"marker = 'before the attack'"_s);
        const SandboxRun run = python(*m_box, u"with open('/work/big', 'wb') as f:\n"
                                              "    for _ in range(64):\n        f.write(b'x' * (1 << 20))\n"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Raised);
        QVERIFY2(run.errorName() == u"OSError"_s && run.outcome.error->value.contains(u"too large"_s),
                 qPrintable(run.errorName() + u": "_s + run.outcome.error->value));
        verifySessionKept();
    }

    void dataFolderIsReadOnly()
    {
        QTemporaryDir data;
        QFile file(data.filePath(u"sales.csv"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("region,amount\nnorth,3\n");
        file.close();
        QFile::setPermissions(data.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                               | QFileDevice::ReadOther | QFileDevice::ExeOther);
        auto limits = SandboxLimits{};
        limits.dataFolder = data.path();
        m_box = std::make_unique<LocalSandbox>(limits);
        const SandboxRun run = python(*m_box, u"print(open('/data/sales.csv').read().splitlines()[1])\n"
                                              "try:\n    open('/data/sales.csv', 'a').write('x')\n    print('wrote')\n"
                                              "except OSError as e:\n    print('refused', type(e).__name__)\n"_s);
        QVERIFY2(run.out == u"north,3\nrefused OSError\n"_s || run.out == u"north,3\nrefused PermissionError\n"_s,
                 qPrintable(run.out));
    }
};

QTEST_GUILESS_MAIN(TestSandboxAttacks)
#include "tst_sandboxattacks.moc"
