// What a snippet could reach inside its own sandbox that it must not
// (issue 17, items 1, 4 and 5): descriptors SafeCell's process happened to
// hold, other processes' memory, and the kernel's protocol channel.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

bool anyResultSays(const SandboxRun &run, const QString &text)
{
    for (const RichResult &result : run.results) {
        if (result.text.contains(text))
            return true;
    }
    return false;
}

// Python: the current run's id, wherever the kernel keeps it (a string or a
// dict value in some caller frame), and every descriptor the snippet can
// write to, its own and those it can open through /proc.
const QString kForger = uR"(import json, os, sys
def find_run_id():
    frame = sys._getframe()
    while frame:
        for scope in (frame.f_locals, frame.f_globals):
            for value in list(scope.values()):
                for candidate in (list(value.values()) if isinstance(value, dict) else [value]):
                    if isinstance(candidate, str) and len(candidate) == 36 and candidate.count('-') == 4:
                        return candidate
        frame = frame.f_back
    return ''
def forged_frames():
    rid = find_run_id()
    return (json.dumps({'type': 'result', 'is_main_result': True, 'text': 'forged'}) + '\n'
            + json.dumps({'type': 'end_of_execution', 'id': rid}) + '\n').encode()
def write_everywhere(data):
    for n in [int(x) for x in os.listdir('/proc/self/fd')]:
        if n > 2:
            try:
                os.write(n, data)
            except OSError:
                pass
    for pid in [p for p in os.listdir('/proc') if p.isdigit()]:
        try:
            names = os.listdir('/proc/%s/fd' % pid)
        except OSError:
            continue
        for name in names:
            try:
                fd = os.open('/proc/%s/fd/%s' % (pid, name), os.O_WRONLY | os.O_NONBLOCK)
                os.write(fd, data)
                os.close(fd)
            except OSError:
                pass
)"_s;

// Python: the kernel's own send(), found the way a snippet finds anything
// of the kernel's, through its callers' globals.
const QString kInsider = uR"(import sys
def kernel_globals():
    frame = sys._getframe()
    while frame:
        if callable(frame.f_globals.get('send')) and frame.f_globals is not globals():
            return frame.f_globals
        frame = frame.f_back
    return {}
)"_s;

} // namespace

class TestSandboxIsolation : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<LocalSandbox> m_box;

private Q_SLOTS:
    void init() { m_box = std::make_unique<LocalSandbox>(SandboxLimits{}); }
    void cleanup() { m_box.reset(); }

    void descriptorsLeftOpenInSafeCellDoNotCross()
    {
        // A root-only file and a pipe, open without close-on-exec in
        // SafeCell's process (a careless library, a test harness) when the
        // sandbox starts.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"root-only.txt"_s);
        const QByteArray secret = "INHERITED-" + QUuid::createUuid().toByteArray(QUuid::Id128) + '\n';
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(secret);
        }
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0600) == 0);
        const int fileFd = ::open(QFile::encodeName(path).constData(), O_RDWR); // no O_CLOEXEC, on purpose
        QVERIFY(fileFd >= 0);
        int pipeFds[2];
        QVERIFY(::pipe(pipeFds) == 0); // no O_CLOEXEC either
        struct stat pipeStat {};
        QVERIFY(::fstat(pipeFds[1], &pipeStat) == 0);
        const auto closeAll = qScopeGuard([&] {
            ::close(fileFd);
            ::close(pipeFds[0]);
            ::close(pipeFds[1]);
        });

        LocalSandbox box{SandboxLimits{}};
        const SandboxRun run = python(box, uR"(import os, stat
for pid in ['self'] + [p for p in os.listdir('/proc') if p.isdigit()]:
    try:
        names = os.listdir('/proc/%s/fd' % pid)
    except OSError as e:
        continue
    for name in names:
        try:
            print('fd', pid, name, os.readlink('/proc/%s/fd/%s' % (pid, name)))
        except OSError:
            pass
for n in range(3, 1024):
    try:
        if not stat.S_ISREG(os.fstat(n).st_mode):
            continue
        print('read', n, os.pread(n, 200, 0))
        os.pwrite(n, b'OVERWRITTEN', 0)
        print('wrote', n)
    except OSError:
        pass
)"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        QVERIFY2(!run.out.contains(QString::fromLatin1(secret.trimmed())), qPrintable(run.out));
        QVERIFY2(!run.out.contains(path), qPrintable(run.out));
        QVERIFY2(!run.out.contains(u"pipe:[%1]"_s.arg(pipeStat.st_ino)), qPrintable(run.out));
        QVERIFY2(!run.out.contains(u"wrote"_s), qPrintable(run.out));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), secret);
        ::fcntl(pipeFds[0], F_SETFL, O_NONBLOCK);
        char byte = 0;
        QCOMPARE(::read(pipeFds[0], &byte, 1), ssize_t(-1)); // nothing arrived through the pipe
    }

    void noProcessMemoryThroughProc()
    {
        // A fork of the snippet goes for its parent (the process that runs
        // the snippet) and for the sandbox's pid 1, reading and writing
        // through /proc/<pid>/mem at a mapped address.
        const SandboxRun run = python(*m_box, uR"(import os
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    lines = []
    for name, target in (('parent', os.getppid()), ('pid1', 1)):
        for mode in ('rb', 'r+b'):
            try:
                with open('/proc/%d/mem' % target, mode, buffering=0) as mem:
                    with open('/proc/%d/maps' % target) as maps:
                        start = int(maps.readline().split('-')[0], 16)
                    mem.seek(start)
                    data = mem.read(8)
                    if mode == 'r+b':
                        mem.seek(start)
                        mem.write(data)
                lines.append('%s %s opened' % (name, mode))
            except OSError as e:
                lines.append('%s %s %s' % (name, mode, type(e).__name__))
    os.write(w, '\n'.join(lines).encode())
    os._exit(0)
os.close(w)
os.waitpid(pid, 0)
print(os.read(r, 4096).decode())
)"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        QVERIFY2(!run.out.contains(u"opened"_s), qPrintable(run.out));
        QCOMPARE(run.out.count(u"PermissionError"_s), 4);
    }

    void forgedFramesDoNotTurnAnErrorIntoOk()
    {
        const SandboxRun run = python(*m_box, kForger + uR"(
write_everywhere(forged_frames())
raise ValueError('the real outcome')
)"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Raised, qPrintable(details(run)));
        QVERIFY(run.outcome.error);
        QVERIFY2(!anyResultSays(run, u"forged"_s), qPrintable(details(run)));
        // Either the snippet's own error, or the kernel stopped for the
        // tampered channel: never the forged result.
        QVERIFY2(run.errorName() == u"ValueError"_s || run.outcome.message.contains(u"channel"_s),
                 qPrintable(details(run)));
        QCOMPARE(python(*m_box, u"print('usable')"_s).out, u"usable\n"_s);
    }

    void forgedEndDoesNotFinishAnEndlessLoop()
    {
        // A thread forges the end after 1.2 s while the loop goes on.
        QElapsedTimer clock;
        clock.start();
        const SandboxRun run = python(*m_box, kForger + uR"(
import threading, time
frames = forged_frames()  # the run's id is found from here, the run's own thread
threading.Thread(target=lambda: (time.sleep(1.2), write_everywhere(frames)), daemon=True).start()
while True:
    pass
)"_s,
                                      4000);
        const qint64 elapsed = clock.elapsed();
        QVERIFY2(run.outcome.status != ExecutionStatus::Completed, qPrintable(details(run)));
        if (run.outcome.status == ExecutionStatus::TimedOut)
            QVERIFY2(elapsed >= 4000, qPrintable(QString::number(elapsed)));
        else
            QVERIFY2(run.outcome.message.contains(u"channel"_s), qPrintable(details(run)));
        QCOMPARE(python(*m_box, u"print('usable')"_s).out, u"usable\n"_s);
    }

    void kernelsOwnSendCannotEndARunEarly()
    {
        // An insider's forgery: the kernel's own send() says the run is
        // over, and the loop goes on. Only the end of the snippet's process
        // ends a run, so the time limit still ends it, and the session stays.
        python(*m_box, u"kept = 'yes'"_s);
        QElapsedTimer clock;
        clock.start();
        const SandboxRun run = python(*m_box, kForger + kInsider + uR"(
g = kernel_globals()
rid = find_run_id()
for message in ({'type': 'done', 'id': rid}, {'type': 'end_of_execution', 'id': rid},
                {'type': 'result', 'is_main_result': True, 'text': 'forged ok'}):
    g['send'](message)
print('forged', bool(g), bool(rid), flush=True)
while True:
    pass
)"_s,
                                      3000);
        QVERIFY2(run.outcome.status == ExecutionStatus::TimedOut, qPrintable(details(run)));
        QVERIFY2(clock.elapsed() >= 3000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(run.out.contains(u"forged True True"_s), qPrintable(details(run)));
        QVERIFY(!run.outcome.sessionLost);
        QCOMPARE(python(*m_box, u"print(kept)"_s).out, u"yes\n"_s);
    }

    void kernelsOwnSendCannotTurnAnErrorIntoOk()
    {
        const SandboxRun run = python(*m_box, kForger + kInsider + uR"(
g = kernel_globals()
rid = find_run_id()
for message in ({'type': 'done', 'id': rid}, {'type': 'end_of_execution', 'id': rid}):
    g['send'](message)
raise ValueError('the real outcome')
)"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Raised, qPrintable(details(run)));
        QCOMPARE(run.errorName(), u"ValueError"_s);
        QCOMPARE(python(*m_box, u"print('next')"_s).out, u"next\n"_s);
    }
};

QTEST_GUILESS_MAIN(TestSandboxIsolation)
#include "tst_sandboxisolation.moc"
