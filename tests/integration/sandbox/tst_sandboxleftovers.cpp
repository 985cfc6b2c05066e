// Nothing of a snippet outlives what it belongs to (issue 17, item 6): its
// processes end with its run (the kernel and its variables stay), and its
// threads do not run between runs.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace safecell;
using namespace safecell::test;
using namespace Qt::StringLiterals;

namespace {

QString details(const SandboxRun &run)
{
    return run.out + u"\n--stderr--\n"_s + run.err + u"\n"_s + run.errorName() + u" "_s + run.outcome.message
           + (run.outcome.error ? u" "_s + run.outcome.error->value + u"\n"_s + run.outcome.error->traceback : QString());
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

} // namespace

class TestSandboxLeftovers : public QObject {
    Q_OBJECT
private Q_SLOTS:
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
};

QTEST_GUILESS_MAIN(TestSandboxLeftovers)
#include "tst_sandboxleftovers.moc"
