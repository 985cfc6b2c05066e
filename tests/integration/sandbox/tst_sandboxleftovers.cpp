// Nothing of a snippet outlives what it belongs to (issue 17, item 6): its
// processes end with its run (the kernel and its variables stay), its
// threads do not run between runs, and its files go with its session, even
// when SafeCell itself is killed.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>

using namespace safecell;
using namespace safecell::test;
using namespace Qt::StringLiterals;

namespace {

QString details(const SandboxRun &run)
{
    return run.out + u"\n--stderr--\n"_s + run.err + u"\n"_s + run.errorName() + u" "_s + run.outcome.message
           + (run.outcome.error ? u" "_s + run.outcome.error->value + u"\n"_s + run.outcome.error->traceback
                                : QString());
}

// Host pids of processes whose command line contains `marker`.
QList<qint64> hostPidsWithArgument(const QString &marker)
{
    QList<qint64> found;
    const QStringList pids = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        QFile cmdline(u"/proc/"_s + pid + u"/cmdline"_s);
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(marker.toUtf8()))
            found << pid.toLongLong();
    }
    return found;
}

QStringList filesUnder(const QString &folder)
{
    QStringList files;
    QDirIterator it(folder, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    return files;
}

} // namespace

class TestSandboxLeftovers : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_root;

    // `safecell run FILE` with its own config, data and TMPDIR (so its work
    // folders are ours to inspect, and other SafeCells' never in the way).
    QProcess *startSafecell(const QString &code, QObject *parent)
    {
        const QString file = m_root.filePath(QUuid::createUuid().toString(QUuid::Id128) + u".py"_s);
        QFile snippet(file);
        if (!snippet.open(QIODevice::WriteOnly))
            return nullptr;
        snippet.write(code.toUtf8());
        snippet.close();
        auto *process = new QProcess(parent);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, m_root.filePath(u"config"_s));
        env.insert(u"SAFECELL_DATA_DIR"_s, m_root.filePath(u"data"_s));
        env.insert(u"TMPDIR"_s, m_root.filePath(u"tmp"_s));
        env.remove(u"E2B_API_KEY"_s);
        env.remove(u"COHERE_API_KEY"_s);
        process->setProcessEnvironment(env);
        process->start(qEnvironmentVariable("SAFECELL_BINARY"), {u"run"_s, file, u"--allow-ambiguous"_s});
        return process;
    }

    static bool waitForOutput(QProcess *process, const QByteArray &text, QByteArray *seen)
    {
        QElapsedTimer clock;
        clock.start();
        while (!seen->contains(text) && clock.elapsed() < 60000 && process->state() != QProcess::NotRunning) {
            process->waitForReadyRead(1000);
            *seen += process->readAllStandardOutput();
        }
        *seen += process->readAllStandardOutput();
        return seen->contains(text);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!qEnvironmentVariableIsEmpty("SAFECELL_BINARY"));
        QVERIFY(QDir(m_root.path()).mkpath(u"tmp"_s));
        // As root the sandbox runs as nobody, who must reach its work folder in tmp/.
        for (const QString &path : {m_root.path(), m_root.filePath(u"tmp"_s)}) {
            QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                    | QFileDevice::ExeGroup | QFileDevice::ExeOther));
        }
    }

    void straysEndWithTheirRunAndTheKernelStays()
    {
        LocalSandbox box{SandboxLimits{}};
        QCOMPARE(python(box, u"kept = 'yes'"_s).outcome.status, ExecutionStatus::Completed);
        // Three ways to outlive a run: a child left running, a daemon
        // (double fork, own session), and a child that ignores SIGTERM.
        const QString marker = u"7777.%1"_s.arg(QRandomGenerator::global()->bounded(100000, 999999));
        const SandboxRun run = python(box, uR"(import os, subprocess
subprocess.Popen(['sleep', '%1'])
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp('sleep', ['sleep', '%1'])
    os._exit(0)
subprocess.Popen(['sh', '-c', 'trap "" TERM HUP INT; exec sleep %1'])
print('started')
)"_s.arg(marker));
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        QTRY_VERIFY_WITH_TIMEOUT(hostPidsWithArgument(marker).isEmpty(), 3000);
        QCOMPARE(python(box, u"print(kept)"_s).out, u"yes\n"_s);
    }

    void threadsOfASnippetPauseBetweenRuns()
    {
        // A thread that keeps ticking: between runs the snippet's process
        // is stopped, so a second without a run adds (almost) no ticks.
        LocalSandbox box{SandboxLimits{}};
        const SandboxRun first = python(box, uR"(import threading, time
ticks = [0]
def tick():
    while True:
        ticks[0] += 1
        time.sleep(0.01)
threading.Thread(target=tick, daemon=True).start()
time.sleep(0.3)
print(ticks[0])
)"_s);
        QVERIFY2(first.outcome.status == ExecutionStatus::Completed, qPrintable(details(first)));
        QTest::qWait(1500);
        const SandboxRun second = python(box, u"print(ticks[0])"_s);
        const int before = first.out.trimmed().toInt();
        const int after = second.out.trimmed().toInt();
        QVERIFY2(before > 5 && after - before < 30, qPrintable(u"%1 ticks, then %2"_s.arg(before).arg(after)));
    }

    void aKilledSafeCellLeavesNoFilesAndAnotherSafeCellKeepsItsOwn()
    {
        const QString tmp = m_root.filePath(u"tmp"_s);
        const QString name = u"leftover-%1.txt"_s.arg(QUuid::createUuid().toString(QUuid::Id128));
        QObject owner;
        // A SafeCell that gets killed mid-run, with the snippet's file in its
        // work folder (the snippet's working directory, /work).
        QProcess *killed = startSafecell(u"open('%1', 'w').write('snippet data')\nprint('written', flush=True)\n"
                                         "import time\ntime.sleep(120)\n"_s.arg(name),
                                         &owner);
        QVERIFY(killed);
        QByteArray seen;
        QVERIFY2(waitForOutput(killed, "written", &seen),
                 QByteArray(seen + killed->readAllStandardError()).constData());
        // Another SafeCell, alive all along: its work folder must survive.
        QProcess *alive = startSafecell(u"open('mine.txt', 'w').write('still mine')\nprint('written', flush=True)\n"
                                        "import time\ntime.sleep(8)\nprint(open('mine.txt').read())\n"_s,
                                        &owner);
        QVERIFY(alive);
        QByteArray aliveSeen;
        QVERIFY2(waitForOutput(alive, "written", &aliveSeen),
                 QByteArray(aliveSeen + alive->readAllStandardError()).constData());

        ::kill(static_cast<pid_t>(killed->processId()), SIGKILL);
        QVERIFY(killed->waitForFinished(10000));

        // The next SafeCell to start a sandbox cleans up after the dead one.
        const QByteArray oldTmp = qgetenv("TMPDIR");
        qputenv("TMPDIR", QFile::encodeName(tmp));
        const auto restore = qScopeGuard([&] { qputenv("TMPDIR", oldTmp); });
        {
            LocalSandbox box{SandboxLimits{}};
            QCOMPARE(python(box, u"print(1)"_s).out, u"1\n"_s);
            for (const QString &file : filesUnder(tmp))
                QVERIFY2(!file.endsWith(name), qPrintable(file));
        }
        // The live one's session never noticed.
        QVERIFY(alive->waitForFinished(60000));
        aliveSeen += alive->readAllStandardOutput();
        QVERIFY2(aliveSeen.contains("still mine"), aliveSeen.constData());
        QCOMPARE(alive->exitCode(), 0);
        // Once the others are gone, only the running sandbox's folder is left.
        LocalSandbox last{SandboxLimits{}};
        QCOMPARE(python(last, u"print(2)"_s).out, u"2\n"_s);
        const QStringList left = QDir(tmp).entryList({u"safecell-*"_s}, QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY2(left.size() == 1, qPrintable(left.join(u", "_s))); // `last`'s own work folder
    }
};

QTEST_GUILESS_MAIN(TestSandboxLeftovers)
#include "tst_sandboxleftovers.moc"
