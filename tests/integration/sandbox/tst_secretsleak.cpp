// Keys in SafeCell's environment must end up nowhere else: not in any file
// SafeCell writes (config, data folder, ledger), not in its output or logs,
// and not in anything a sandboxed snippet can see. The services point at a
// closed port, so nothing leaves this machine.
#include "integration/SentinelScan.h"
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

// Looks for the sentinel everywhere a snippet can read. The snippet names it
// in two halves: the run history keeps the code, and must not count as a hit.
const char kSnippet[] = R"(import os
S = 'SENTINEL_HEAD' + 'SENTINEL_TAIL'
hits = [k for k, v in os.environ.items() if S in v or S in k]
for pid in os.listdir('/proc'):
    for name in ('environ', 'cmdline'):
        try:
            if S.encode() in open('/proc/%s/%s' % (pid, name), 'rb').read():
                hits.append('/proc/%s/%s' % (pid, name))
        except OSError:
            pass
files = 0
for top in ('/work', '/tmp', '/data', '/workspace', '/etc'):
    for root, dirs, names in os.walk(top):
        for name in names:
            files += 1
            try:
                with open(os.path.join(root, name), 'rb') as f:
                    if S.encode() in f.read(1 << 20):
                        hits.append(os.path.join(root, name))
            except OSError:
                pass
print('scanned', files, 'files; hits', hits)
)";

} // namespace

class TestSecretsLeak : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_root;
    QByteArray m_sentinel;
    QByteArray m_output; // every front end's stdout and stderr

    // With an E2B key the snippet would run on E2B (a closed port here), so
    // the runs that hunt in the local sandbox leave it out; the E2B key's own
    // runs fail as unavailable, and are scanned like every other.
    enum class E2bKey { Set, Unset };
    QByteArray runSafecell(const QStringList &arguments, int *exitCode = nullptr, E2bKey e2b = E2bKey::Set)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, m_root.filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_root.filePath(u"share"_s));
        env.insert(u"XDG_CACHE_HOME"_s, m_root.filePath(u"cache"_s));
        env.insert(u"SAFECELL_DATA_DIR"_s, m_root.filePath(u"data"_s));
        env.insert(u"HOME"_s, m_root.filePath(u"home"_s));
        env.insert(u"TMPDIR"_s, m_root.filePath(u"tmp"_s)); // the sandbox's work folders live here
        env.insert(u"COHERE_API_KEY"_s, QString::fromLatin1(m_sentinel + "-cohere-0123456789abcdef"));
        if (e2b == E2bKey::Set)
            env.insert(u"E2B_API_KEY"_s, QString::fromLatin1("e2b_" + m_sentinel + "0123456789abcdef"));
        else
            env.remove(u"E2B_API_KEY"_s);
        env.insert(u"SAFECELL_COHERE_URL"_s, u"http://127.0.0.1:1"_s);
        env.insert(u"SAFECELL_E2B_API_URL"_s, u"http://127.0.0.1:1"_s);
        env.insert(u"SAFECELL_E2B_SANDBOX_URL"_s, u"http://127.0.0.1:1"_s);
        env.insert(u"QT_LOGGING_RULES"_s, u"safecell.*=true"_s); // every log line, to be scanned
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(m_root.path());
        process.start(qEnvironmentVariable("SAFECELL_BINARY"), arguments);
        if (!process.waitForFinished(120000))
            return "did not finish";
        const QByteArray out = process.readAllStandardOutput();
        m_output += out + process.readAllStandardError();
        if (exitCode)
            *exitCode = process.exitCode();
        return out;
    }

    QString writeFile(const QString &name, const QByteArray &content)
    {
        QFile file(m_root.filePath(name));
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(content);
        return file.fileName();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!qEnvironmentVariable("SAFECELL_BINARY").isEmpty());
        m_sentinel = "SENTINEL" + QUuid::createUuid().toByteArray(QUuid::Id128).left(12);
        for (const char *folder : {"config", "share", "cache", "data", "home", "tmp"})
            QVERIFY(QDir(m_root.path()).mkpath(QString::fromLatin1(folder)));
        // As root the sandbox runs as nobody, who must reach its work folder in tmp/.
        for (const QString &path : {m_root.path(), m_root.filePath(u"tmp"_s)}) {
            QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                            | QFileDevice::ReadOther | QFileDevice::ExeOther);
        }
    }

    void frontEndsLeakNoKey()
    {
        const QString snippet = writeFile(u"hunt.py"_s, QByteArray(kSnippet)
                                                            .replace("SENTINEL_HEAD", m_sentinel.left(6))
                                                            .replace("SENTINEL_TAIL", m_sentinel.mid(6)));
        int code = -1;
        const QByteArray hunt = runSafecell({u"run"_s, u"--allow-ambiguous"_s, snippet}, &code, E2bKey::Unset);
        QVERIFY2(code == 0 && hunt.contains("; hits []"), m_output.constData());
        QVERIFY2(hunt.startsWith("scanned ") && !hunt.startsWith("scanned 0 "), hunt.constData());
        const QString hi = writeFile(u"hi.py"_s, "print('hi')\n");
        QVERIFY(runSafecell({u"run"_s, u"--json"_s, hi}, nullptr, E2bKey::Unset).contains("hi\\n"));
        QVERIFY(runSafecell({u"run"_s, writeFile(u"q.sql"_s, "SELECT name FROM regions LIMIT 1;\n")}, nullptr,
                            E2bKey::Unset)
                    .contains("name"));
        runSafecell({u"run"_s, u"--json"_s, hi}, &code); // E2B, unreachable
        QCOMPARE(code, 6);
        runSafecell({u"run"_s, writeFile(u"bad.py"_s, "import os\nos.system('rm -rf /')\n")});
        runSafecell({u"classify"_s, snippet});
        runSafecell({u"classify"_s, u"--json"_s, snippet});
        runSafecell({u"budget"_s});
        const QByteArray budget = runSafecell({u"budget"_s, u"--json"_s}, &code);
        QVERIFY2(code == 0 && budget.trimmed().startsWith('{'), budget.constData());

        QVERIFY(!m_output.isEmpty());
        QVERIFY2(!m_output.contains(m_sentinel), m_output.constData());

        // Every file SafeCell left behind: config, data folder and ledger,
        // caches, and whatever remains of the sandbox's folders.
        const SentinelScan scan = scanFilesFor(m_root.path(), m_sentinel);
        const int files = scan.files;
        const QStringList &hits = scan.hits;
        qInfo("scanned %d files SafeCell left, %lld bytes of output", files, qlonglong(m_output.size()));
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u", "_s)));
        QVERIFY2(files >= 1, "the budget command leaves a ledger in the data folder");
    }
};

QTEST_GUILESS_MAIN(TestSecretsLeak)
#include "tst_secretsleak.moc"
