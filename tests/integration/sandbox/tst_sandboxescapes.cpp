// Escapes beyond tst_sandboxattacks: what a snippet could try to reach
// SafeCell itself, the host or another session. Each must be contained.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

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

// Python helpers: ptrace and friends through libc, errno as a name.
const QString kLibc = uR"(import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
def call(fn, *args):
    r = fn(*args)
    return 'ok' if r == 0 else errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))
PTRACE_ATTACH, PTRACE_SEIZE = 16, 0x4206
)"_s;

// The host pid of a process whose command line contains `marker`, or 0.
qint64 hostPidWithArgument(const QString &marker)
{
    const QStringList pids = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &pid : pids) {
        QFile cmdline(u"/proc/"_s + pid + u"/cmdline"_s);
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(marker.toUtf8()))
            return pid.toLongLong();
    }
    return 0;
}

} // namespace

class TestSandboxEscapes : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<LocalSandbox> m_box;
    QByteArray m_sentinel;

private Q_SLOTS:
    void initTestCase()
    {
        // Secrets in SafeCell's own environment, as a user's shell would have.
        m_sentinel = "SENTINEL-" + QUuid::createUuid().toByteArray(QUuid::Id128);
        qputenv("COHERE_API_KEY", m_sentinel + "-cohere");
        qputenv("E2B_API_KEY", m_sentinel + "-e2b");
        qputenv("SAFECELL_ESCAPE_SENTINEL", m_sentinel);
    }

    void init() { m_box = std::make_unique<LocalSandbox>(SandboxLimits{}); }
    void cleanup() { m_box.reset(); }

    void noPtraceOfAnyProcess()
    {
        // Another session's kernel, in the middle of a run, with a child we
        // can find on the host (a run's children end with the run).
        LocalSandbox other{SandboxLimits{}};
        const QString marker = u"%1"_s.arg(QCoreApplication::applicationPid() % 1000 + 7000.5);
        bool otherFinished = false;
        ExecutionOutcome otherOutcome;
        QObject context;
        connect(&other, &Sandbox::finished, &context, [&](const ExecutionOutcome &o) {
            otherOutcome = o;
            otherFinished = true;
        });
        other.execute({u"import subprocess, time\nchild = subprocess.Popen(['sleep', '%1'])\ntime.sleep(60)\n"
                       "print(child.poll())"_s.arg(marker),
                       Language::Python, 90000, false});
        qint64 otherPid = 0;
        for (int i = 0; i < 50 && otherPid == 0; ++i) {
            otherPid = hostPidWithArgument(marker);
            QTest::qWait(50);
        }
        QVERIFY(otherPid > 0);
        const qint64 ourPid = QCoreApplication::applicationPid();

        const SandboxRun run = python(*m_box, kLibc
                                                  + uR"(
import subprocess, sys
visible = set(os.listdir('/proc'))
for pid in (%1, %2):
    print('host', pid, str(pid) in visible, call(libc.ptrace, PTRACE_ATTACH, pid, 0, 0))
    try:
        os.kill(pid, 0)
        print('signal reached', pid)
    except OSError as e:
        print('signal', errno.errorcode[e.errno])
# Inside: bwrap's pid 1, our parent, and the kernel from a child process.
print('pid1', call(libc.ptrace, PTRACE_ATTACH, 1, 0, 0), call(libc.ptrace, PTRACE_SEIZE, 1, 0, 0))
print('parent', call(libc.ptrace, PTRACE_ATTACH, os.getppid(), 0, 0))
child = subprocess.run([sys.executable, '-c', '''import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
r = libc.ptrace(16, os.getppid(), 0, 0)
print('kernel', 'ok' if r == 0 else errno.errorcode[ctypes.get_errno()])
sleeper = __import__('subprocess').Popen(['sleep', '30'])
r = libc.ptrace(16, sleeper.pid, 0, 0)
print('sibling', 'ok' if r == 0 else errno.errorcode[ctypes.get_errno()])
sleeper.kill()'''], capture_output=True, text=True)
print(child.stdout, end='')
# Reading another process's memory without ptrace.
iov = (ctypes.c_char * 8)()
print('vm_readv', libc.process_vm_readv(1, None, 0, None, 0, 0), errno.errorcode.get(ctypes.get_errno()))
try:
    open('/proc/1/mem', 'rb').read(1)
    print('mem readable')
except OSError as e:
    print('mem', type(e).__name__)
)"_s.arg(ourPid)
                                                        .arg(otherPid));
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        // Invisible (no such process for a signal), and ptrace refused outright.
        QVERIFY2(run.out.contains(u"host %1 False EPERM\nsignal ESRCH\n"_s.arg(ourPid)), qPrintable(details(run)));
        QVERIFY2(run.out.contains(u"host %1 False EPERM\nsignal ESRCH\n"_s.arg(otherPid)), qPrintable(details(run)));
        QVERIFY2(run.out.contains(u"pid1 EPERM EPERM\n"_s), qPrintable(details(run)));
        QVERIFY2(run.out.contains(u"parent EPERM\n"_s), qPrintable(details(run)));
        QVERIFY2(run.out.contains(u"kernel EPERM\nsibling EPERM\n"_s), qPrintable(details(run)));
        QVERIFY2(run.out.contains(u"vm_readv -1 EPERM\n"_s), qPrintable(details(run)));
        QVERIFY2(!run.out.contains(u"mem readable"_s), qPrintable(details(run)));
        // The other session never noticed: its run and its child go on.
        QVERIFY(!otherFinished);
        QCOMPARE(hostPidWithArgument(marker), otherPid);
        other.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(otherFinished, 5000);
        QCOMPARE(otherOutcome.status, ExecutionStatus::Cancelled);
        QVERIFY(!otherOutcome.sessionLost);
    }

    void parentsProcAndEnvironmentAreInvisible()
    {
        const qint64 ourPid = QCoreApplication::applicationPid();
        const SandboxRun run = python(*m_box, uR"(import os
seen = []
print('env', sorted(os.environ))
print('ours visible', os.path.exists('/proc/%1'))
for pid in [p for p in os.listdir('/proc') if p.isdigit()] + ['self', 'thread-self']:
    for name in ('environ', 'cmdline'):
        try:
            seen.append(open('/proc/%s/%s' % (pid, name), 'rb').read().decode('utf-8', 'replace'))
        except OSError as e:
            seen.append('%s/%s: %s' % (pid, name, type(e).__name__))
    try:
        for fd in os.listdir('/proc/%s/fd' % pid):
            seen.append(os.readlink('/proc/%s/fd/%s' % (pid, fd)))
    except OSError:
        pass
for path in ('/proc/%1/environ', '/proc/%1/cmdline', '/proc/%1/fd'):
    try:
        open(path, 'rb').read()
        print('read', path)
    except OSError as e:
        print('refused', path, type(e).__name__)
print('\n'.join(seen))
)"_s.arg(ourPid));
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        QVERIFY2(!run.out.contains(QString::fromLatin1(m_sentinel)), qPrintable(details(run)));
        QVERIFY2(!run.out.contains(u"COHERE_API_KEY"_s) && !run.out.contains(u"E2B_API_KEY"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"ours visible False\n"_s), qPrintable(run.out));
        QVERIFY2(!run.out.contains(u"read /proc"_s), qPrintable(run.out));
        QCOMPARE(run.out.count(u"refused /proc/%1/"_s.arg(ourPid)), 3);
        // Nothing of SafeCell's own command line either.
        QVERIFY2(!run.out.contains(QCoreApplication::applicationFilePath()), qPrintable(run.out));
        // And a child started without a clean environment has none either.
        const SandboxRun child = python(*m_box,
                                        u"import subprocess\n"
                                        "print(subprocess.run(['env'], capture_output=True, text=True).stdout)"_s);
        QVERIFY2(!child.out.contains(QString::fromLatin1(m_sentinel)) && child.out.contains(u"HOME=/work"_s),
                 qPrintable(details(child)));
    }

    void noMountsNoNamespaces()
    {
        const SandboxRun run = python(*m_box, kLibc + uR"(
import subprocess
CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET, CLONE_NEWPID = 0x20000, 0x10000000, 0x40000000, 0x20000000
for name, flags in (('user', CLONE_NEWUSER), ('user+mount', CLONE_NEWUSER | CLONE_NEWNS),
                    ('mount', CLONE_NEWNS), ('net', CLONE_NEWNET), ('pid', CLONE_NEWPID)):
    print('unshare', name, call(libc.unshare, flags))
print('mount tmpfs', call(libc.mount, b'none', b'/usr', b'tmpfs', 0, None))
print('remount data', call(libc.mount, None, b'/', None, 32 | 0x20000 | 1 << 5, None))
print('umount', call(libc.umount2, b'/work', 2))
print('setns', call(libc.setns, os.open('/proc/self/ns/mnt', os.O_RDONLY), 0))
for command in (['unshare', '-Urm', 'sh', '-c', 'mount -t tmpfs x /usr && echo MOUNTED'],
                ['unshare', '-Ur', 'id'], ['mount', '-t', 'tmpfs', 'x', '/tmp'], ['umount', '/work']):
    r = subprocess.run(command, capture_output=True, text=True)
    print(command[0], 'exit', r.returncode, r.stdout.strip())
try:
    open('/usr/escape-test', 'w')
    print('usr writable')
except OSError as e:
    print('usr', type(e).__name__)
)"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        QVERIFY2(!run.out.contains(u" ok\n"_s), qPrintable(details(run)));
        QVERIFY2(!run.out.contains(u"MOUNTED"_s) && !run.out.contains(u"usr writable"_s), qPrintable(run.out));
        QVERIFY2(!run.out.contains(u"exit 0"_s), qPrintable(run.out));
        QCOMPARE(run.out.count(u"unshare "_s), 5 + 2); // five calls, two commands
        QVERIFY(run.out.contains(u"usr PermissionError"_s) || run.out.contains(u"usr OSError"_s));
        QCOMPARE(python(*m_box, u"print(open('/work/still', 'w').write('here'))"_s).out, u"4\n"_s);
    }

    void symlinksOutOfTheWorkFolderAreNeverFollowed()
    {
        // Host files a symlink in /work points at, by their host paths.
        QTemporaryDir outside;
        QVERIFY(QDir(outside.path()).mkpath(u"tree/deeper"_s));
        for (const QString &name : {u"secret.txt"_s, u"tree/a.txt"_s, u"tree/deeper/b.txt"_s}) {
            QFile file(outside.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("HOST-SECRET\n");
        }
        const SandboxRun run = python(*m_box, uR"(import os
os.makedirs('/work/sub/inner', exist_ok=True)
links = {'/work/to-dir': '%1', '/work/to-tree': '%1/tree', '/work/to-file': '%1/secret.txt',
         '/work/sub/inner/up': '%1', '/work/root': '/', '/work/usr': '/usr', '/work/sub/self': '/work'}
for link, target in links.items():
    os.symlink(target, link)
for link in links:
    try:
        print(link, 'read', os.listdir(link)[:2] if os.path.isdir(link) else open(link).read().strip())
    except OSError as e:
        print(link, type(e).__name__)
)"_s.arg(outside.path()));
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        QVERIFY2(!run.out.contains(u"HOST-SECRET"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"/work/to-file FileNotFoundError"_s), qPrintable(run.out));
        // The work folder is a tmpfs only the session's sandboxes see: its
        // host folder never holds the links.
        for (const QString &name : QDir(QDir::tempPath()).entryList({u"safecell-work-*"_s}, QDir::Dirs)) {
            QVERIFY2(!QFileInfo(QDir::tempPath() + u'/' + name + u"/to-dir"_s).isSymLink()
                         && !QFileInfo::exists(QDir::tempPath() + u'/' + name + u"/to-dir"_s),
                     qPrintable(name));
        }

        // A restart keeps /work, links included; then the session ends and
        // its work folder goes: as root, following a link would delete host
        // files.
        m_box->restartSession();
        QCOMPARE(python(*m_box, u"import os\nprint(os.readlink('/work/to-tree'))"_s).out,
                 outside.path() + u"/tree\n"_s);
        m_box.reset();
        QDirIterator it(outside.path(), QDir::Files, QDirIterator::Subdirectories);
        int files = 0;
        for (; it.hasNext(); ++files) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), QByteArray("HOST-SECRET\n"));
        }
        QCOMPARE(files, 3);
        QVERIFY(QFileInfo(u"/usr/bin/python3"_s).exists());
    }

    void dataFolderCannotBeChanged()
    {
        QTemporaryDir data;
        QVERIFY(QDir(data.path()).mkpath(u"sub"_s));
        QFile file(data.filePath(u"sales.csv"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("region,amount\nnorth,3\n");
        file.close();
        // Even world-writable host files stay read-only through /data.
        QFile::setPermissions(data.filePath(u"sales.csv"_s), QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                                                 | QFileDevice::ReadOther | QFileDevice::WriteOther);
        QFile::setPermissions(data.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                               | QFileDevice::ReadOther | QFileDevice::WriteOther
                                               | QFileDevice::ExeOther);
        auto limits = SandboxLimits{};
        limits.dataFolder = data.path();
        m_box = std::make_unique<LocalSandbox>(limits);
        const SandboxRun run = python(*m_box, uR"(import os, shutil
attempts = {
    'append': lambda: open('/data/sales.csv', 'a').write('x'),
    'truncate': lambda: open('/data/sales.csv', 'w'),
    'create': lambda: open('/data/new.csv', 'w'),
    'remove': lambda: os.remove('/data/sales.csv'),
    'rename': lambda: os.rename('/data/sales.csv', '/data/moved.csv'),
    'mkdir': lambda: os.mkdir('/data/dir'),
    'rmdir': lambda: os.rmdir('/data/sub'),
    'chmod': lambda: os.chmod('/data/sales.csv', 0o777),
    'symlink': lambda: os.symlink('/etc/passwd', '/data/link'),
    'utime': lambda: os.utime('/data/sales.csv', (0, 0)),
    'move-out': lambda: shutil.move('/data/sales.csv', '/work/sales.csv'),
}
for name, attempt in attempts.items():
    try:
        attempt()
        print('ALLOWED', name)
    except OSError as e:
        print('refused', name, type(e).__name__)
print(open('/data/sales.csv').read().splitlines()[1])
)"_s);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        QVERIFY2(!run.out.contains(u"ALLOWED"_s), qPrintable(run.out));
        QCOMPARE(run.out.count(u"refused"_s), 11);
        QVERIFY(run.out.endsWith(u"north,3\n"_s));
        QCOMPARE(QDir(data.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System),
                 (QStringList{u"sales.csv"_s, u"sub"_s}));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("region,amount\nnorth,3\n"));
    }

    void noSetuidBinaryGivesPrivileges()
    {
        const SandboxRun run = python(*m_box, uR"(import os, stat, subprocess
found, owners = [], set()
for root, dirs, files in os.walk('/usr'):
    for name in files:
        path = os.path.join(root, name)
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_mode & (stat.S_ISUID | stat.S_ISGID):
            found.append(path)
            owners.add(info.st_uid)
print('setuid binaries', len(found), 'owners', sorted(owners))
print('uid_map', open('/proc/self/uid_map').read().split())
print('no_new_privs', [l.split()[1] for l in open('/proc/self/status') if l.startswith('NoNewPrivs')][0])
print('caps', sorted({l.split()[1] for l in open('/proc/self/status') if l.startswith('Cap')}))
gained = []
for path in found:
    if os.path.basename(path) in ('su', 'sudo', 'newgrp', 'sg', 'pkexec'):
        command = [path, '-c', 'id -u'] if os.path.basename(path) == 'su' else [path, 'id', '-u']
        r = subprocess.run(command, capture_output=True, text=True, input='\n', timeout=20)
        if r.returncode == 0 and r.stdout.strip() == '0':
            gained.append(path)
print('gained root through', gained)
print('euid', os.geteuid(), 'uid', os.getuid())
)"_s,
                                      120000);
        QVERIFY2(run.outcome.status == ExecutionStatus::Completed, qPrintable(details(run)));
        QVERIFY2(run.out.contains(u"no_new_privs 1\n"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"caps ['0000000000000000']\n"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"euid 65534 uid 65534\n"_s), qPrintable(run.out));
        QVERIFY2(run.out.contains(u"gained root through []\n"_s), qPrintable(run.out));
        // Host root is not even mapped inside: setuid-root files belong to nobody there.
        QVERIFY2(QRegularExpression(u"uid_map \\['65534', '\\d+', '1'\\]\n"_s).match(run.out).hasMatch(),
                 qPrintable(run.out));
        QVERIFY2(!run.out.contains(u"owners [0"_s) && !run.out.contains(u", 0]"_s), qPrintable(run.out));
    }
};

QTEST_GUILESS_MAIN(TestSandboxEscapes)
#include "tst_sandboxescapes.moc"
