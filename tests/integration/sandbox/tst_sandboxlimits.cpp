// Every limit holds for the sandbox as a whole (issue 17, items 2 and 3):
// memory and processes across all of a snippet's processes, and the sizes
// of /tmp, /dev/shm and /work, without touching the host.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

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

// Five children of 1.1 GB each, all holding their memory (written, not just
// reserved) for six seconds; each says whether it got it and kept it.
const QString kFiveBigChildren = uR"(import subprocess, sys
child = '''import sys, time
try:
    block = b'\x01' * (1100 << 20)
    print('got', flush=True)
except MemoryError:
    print('refused', flush=True)
    sys.exit(0)
time.sleep(6)
print('kept', flush=True)
'''
children = []
for _ in range(5):
    try:
        children.append(subprocess.Popen([sys.executable, '-c', child], stdout=subprocess.PIPE, text=True))
    except OSError as e:
        print('not started', type(e).__name__)
results = [c.communicate()[0].split() + ['exit %d' % c.returncode] for c in children]
print(results)
print('kept', sum('kept' in r for r in results))
)"_s;

// The sandbox cgroups of this process (see SandboxCgroup.h for the names):
// their peak memory, in bytes, from whichever hierarchy holds them.
QList<qint64> sandboxCgroupPeaks()
{
    QList<qint64> peaks;
    const QString name = u"safecell-%1-"_s.arg(QCoreApplication::applicationPid());
    for (const QString &root : {u"/sys/fs/cgroup"_s}) {
        QDirIterator it(root, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString dir = it.next();
            if (!QFileInfo(dir).fileName().startsWith(name))
                continue;
            for (const QString &file : {u"memory.peak"_s, u"memory.max_usage_in_bytes"_s}) {
                QFile peak(dir + u'/' + file);
                if (peak.open(QIODevice::ReadOnly))
                    peaks << peak.readAll().trimmed().toLongLong();
            }
        }
    }
    return peaks;
}

int keptCount(const QString &out)
{
    const auto match = QRegularExpression(u"\nkept (\\d+)\n"_s).match(out);
    return match.hasMatch() ? match.captured(1).toInt() : -1;
}

} // namespace

class TestSandboxLimits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void memoryHoldsForTheSandboxAsAWhole()
    {
        SandboxLimits limits;
        limits.memoryLimitMb = 2048;
        LocalSandbox box(limits);
        QList<qint64> peaks;
        QObject context;
        // Read the peak while the sandbox (and its cgroup) still exists.
        connect(&box, &Sandbox::finished, &context, [&peaks] { peaks = sandboxCgroupPeaks(); });
        const SandboxRun run = python(box, kFiveBigChildren, 90000);
        QVERIFY2(run.finished, qPrintable(details(run)));
        // Two children holding 1.1 GB at once would be 2.2 GB: at most one
        // may keep its memory, whatever happened to the others.
        const int kept = keptCount(run.out);
        QVERIFY2(kept >= 0 ? kept <= 1 : run.outcome.status == ExecutionStatus::Raised, qPrintable(details(run)));
        for (qint64 peak : std::as_const(peaks))
            QVERIFY2(peak <= (limits.memoryLimitMb << 20), qPrintable(QString::number(peak)));
        qInfo("kept %d; cgroup peaks %s", kept, qPrintable(QString::number(peaks.value(0, -1))));
    }

    void memoryFallbackStillBoundsTheTotal()
    {
        // Where no cgroup can be had: few enough processes, each with its
        // share of the memory limit as its address-space limit.
        SandboxLimits limits;
        limits.memoryLimitMb = 2048;
        limits.allowCgroup = false;
        LocalSandbox box(limits);
        const SandboxRun run = python(box, kFiveBigChildren, 90000);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        QVERIFY2(keptCount(run.out) <= 1 && keptCount(run.out) >= 0, qPrintable(details(run)));
        // Ordinary work still runs under the fallback.
        QCOMPARE(python(box, u"import subprocess\nprint(subprocess.check_output(['echo', 'sub'], text=True), end='')"_s)
                     .out,
                 u"sub\n"_s);
    }

    void processCountHoldsForTheSandboxAsAWhole()
    {
        SandboxLimits limits;
        limits.maxProcesses = 12;
        LocalSandbox box(limits);
        const SandboxRun run = python(box, uR"(import subprocess
started = []
for _ in range(40):
    try:
        started.append(subprocess.Popen(['sleep', '30']))
    except OSError:
        pass
print('started', len(started))
)"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        const auto match = QRegularExpression(u"started (\\d+)"_s).match(run.out);
        QVERIFY(match.hasMatch());
        QVERIFY2(match.captured(1).toInt() < 12, qPrintable(run.out));
        QVERIFY(match.captured(1).toInt() > 0);
    }

    void tmpShmAndWorkAreSizeLimited()
    {
        QTemporaryDir tmp; // the host folder SafeCell makes its work folders in
        // As root the sandbox runs as nobody, who must reach its work folder.
        QVERIFY(QFile::setPermissions(tmp.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                      | QFileDevice::ExeOwner | QFileDevice::ExeOther));
        const QByteArray oldTmp = qgetenv("TMPDIR");
        qputenv("TMPDIR", QFile::encodeName(tmp.path()));
        const auto restore = qScopeGuard([&] { qputenv("TMPDIR", oldTmp); });
        SandboxLimits limits;
        limits.tmpSizeMb = 16;
        limits.shmSizeMb = 16;
        limits.workSizeMb = 16;
        LocalSandbox box(limits);
        const SandboxRun run = python(box, uR"(import errno, os
for path in ('/tmp/fill', '/dev/shm/fill', '/work/fill'):
    written = 0
    try:
        with open(path, 'wb') as f:
            for _ in range(64):
                f.write(b'x' * (1 << 20))
                f.flush()
                written += 1
        print(path, 'wrote', written)
    except OSError as e:
        print(path, errno.errorcode[e.errno], written)
    if path != '/work/fill':
        os.remove(path)
)"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        for (const QString &path : {u"/tmp/fill"_s, u"/dev/shm/fill"_s, u"/work/fill"_s}) {
            const auto match = QRegularExpression(QRegularExpression::escape(path) + u" ENOSPC (\\d+)\n"_s)
                                   .match(run.out);
            QVERIFY2(match.hasMatch(), qPrintable(run.out));
            QVERIFY2(match.captured(1).toInt() <= 16, qPrintable(run.out));
        }
        // Nothing of it on the host's disk.
        QDirIterator it(tmp.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        QVERIFY2(!it.hasNext(), qPrintable(it.hasNext() ? it.next() : QString()));
        // The work folder is still the session's: the full file is there
        // after a restart, and deleting it gives the space back.
        box.restartSession();
        const SandboxRun after = python(box,
                                        u"import os\nprint(os.path.getsize('/work/fill') <= 16 << 20)\n"
                                        "os.remove('/work/fill')\nopen('/work/small', 'wb').write(b'x' * (8 << 20))\n"
                                        "print('ok')"_s);
        QCOMPARE(after.out, u"True\nok\n"_s);
    }

    void sizesStayUsableForOrdinaryWork()
    {
        // Python's multiprocessing needs /dev/shm; matplotlib caches in /tmp.
        LocalSandbox box{SandboxLimits{}};
        const SandboxRun run = python(box, uR"(import multiprocessing, os
lock = multiprocessing.Lock()
with lock:
    pass
for path in ('/tmp', '/dev/shm', '/work'):
    st = os.statvfs(path)
    print(path, st.f_blocks * st.f_frsize // (1 << 20))
)"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        const SandboxLimits defaults;
        QVERIFY2(run.out.contains(u"/tmp %1\n"_s.arg(defaults.tmpSizeMb)), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"/dev/shm %1\n"_s.arg(defaults.shmSizeMb)), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"/work %1\n"_s.arg(defaults.workSizeMb)), qPrintable(run.out));
    }
};

QTEST_GUILESS_MAIN(TestSandboxLimits)
#include "tst_sandboxlimits.moc"
