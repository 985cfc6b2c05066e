// The local sandbox as analysts run it: SafeCell as an ordinary user, not
// root as in CI. Without root there is no cgroup to make here (and no
// systemd user manager on a CI machine), so this is the path where the
// memory bound falls back to process limits, and where /work lives in a
// user namespace of SafeCell's own. When the suite runs as root, `safecell
// run` is started as nobody (65534) through setpriv.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;

class TestSandboxAsUser : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_root;
    QStringList m_asUser; // the command prefix that drops root

    QByteArray runSafecell(const QString &code, int *exitCode)
    {
        const QString file = m_root.filePath(u"snippet.py"_s);
        QFile snippet(file);
        if (!snippet.open(QIODevice::WriteOnly))
            return "cannot write the snippet";
        snippet.write(code.toUtf8());
        snippet.close();
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *name : {"E2B_API_KEY", "COHERE_API_KEY", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS"})
            env.remove(QString::fromLatin1(name));
        env.insert(u"HOME"_s, m_root.path());
        env.insert(u"XDG_CONFIG_HOME"_s, m_root.filePath(u"config"_s));
        env.insert(u"SAFECELL_DATA_DIR"_s, m_root.filePath(u"data"_s));
        env.insert(u"TMPDIR"_s, m_root.filePath(u"tmp"_s));
        process.setProcessEnvironment(env);
        const QStringList command = m_asUser
                                    + QStringList{qEnvironmentVariable("SAFECELL_BINARY"), u"run"_s, file,
                                                  u"--allow-ambiguous"_s};
        process.start(command.first(), command.mid(1));
        if (!process.waitForFinished(120000))
            return "did not finish";
        *exitCode = process.exitCode();
        return process.readAllStandardOutput() + "\n--stderr--\n" + process.readAllStandardError();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!qEnvironmentVariableIsEmpty("SAFECELL_BINARY"));
        for (const char *folder : {"config/SafeCell", "data", "tmp"})
            QVERIFY(QDir(m_root.path()).mkpath(QString::fromLatin1(folder)));
        QFile ini(m_root.filePath(u"config/SafeCell/SafeCell.ini"_s));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[sandbox]\nworkSizeMb=16\ntmpSizeMb=16\nmemoryLimitMb=2048\n");
        ini.close();
        if (geteuid() == 0) {
            const QString setpriv = QStandardPaths::findExecutable(u"setpriv"_s);
            QVERIFY2(!setpriv.isEmpty(), "setpriv (util-linux) is needed to run SafeCell as a user");
            m_asUser = {setpriv, u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s, u"--"_s};
            QProcess chown;
            chown.start(u"chown"_s, {u"-R"_s, u"65534:65534"_s, m_root.path()});
            QVERIFY(chown.waitForFinished(10000) && chown.exitCode() == 0);
        }
    }

    void limitsHoldWithoutRoot()
    {
        int exitCode = -1;
        const QByteArray output = runSafecell(uR"(import errno, resource
print('address space', resource.getrlimit(resource.RLIMIT_AS)[0] >> 20, 'MB')
for path in ('/work/fill', '/tmp/fill'):
    written = 0
    try:
        with open(path, 'wb') as f:
            for _ in range(64):
                f.write(b'x' * (1 << 20))
                f.flush()
                written += 1
    except OSError as e:
        print(path, errno.errorcode[e.errno], written)
try:
    block = b'x' * (1100 << 20)
    print('got 1.1 GB')
except MemoryError:
    print('1.1 GB refused')
)"_s,
                                              &exitCode);
        QVERIFY2(exitCode == 0, output.constData());
        // No cgroup here: the fallback's share of the memory limit.
        QVERIFY2(output.contains("address space 512 MB"), output.constData());
        QVERIFY2(output.contains("/work/fill ENOSPC 16") || output.contains("/work/fill ENOSPC 15"),
                 output.constData());
        QVERIFY2(output.contains("/tmp/fill ENOSPC 16") || output.contains("/tmp/fill ENOSPC 15"), output.constData());
        QVERIFY2(output.contains("1.1 GB refused"), output.constData());
        // The work folder never touched the disk, and went with the session.
        QCOMPARE(QDir(m_root.filePath(u"tmp"_s)).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList());
    }
};

QTEST_GUILESS_MAIN(TestSandboxAsUser)
#include "tst_sandboxasuser.moc"
