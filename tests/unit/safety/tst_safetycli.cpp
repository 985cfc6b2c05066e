// `safecell classify` and the safety side of `safecell run`, through the binary.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestSafetyCli : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    struct Result {
        int exitCode = -1;
        QString out;
        QString err;
    };

    Result cli(const QStringList &arguments)
    {
        QProcess process;
        process.start(qEnvironmentVariable("SAFECELL_BINARY"), arguments);
        if (!process.waitForFinished(60000))
            return {};
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
                QString::fromUtf8(process.readAllStandardError())};
    }

    QString file(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(content);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!qEnvironmentVariable("SAFECELL_BINARY").isEmpty());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(u"config"_s).toUtf8());
    }

    void classifyExitCodes()
    {
        QCOMPARE(cli({u"classify"_s, file(u"ok.py"_s, "import os\nprint(os.path.join('a','b'))\n")}).exitCode, 0);
        QCOMPARE(cli({u"classify"_s, file(u"bad.py"_s, "import os\n")}).exitCode, 3);
        QCOMPARE(cli({u"classify"_s, file(u"amb.py"_s, "while True:\n    pass\n")}).exitCode, 7);
        QCOMPARE(cli({u"classify"_s, file(u"q.sql"_s, "DELETE FROM t")}).exitCode, 3);
        // --language overrides the file name
        QCOMPARE(cli({u"classify"_s, file(u"q.txt"_s, "DROP TABLE t"), u"--language"_s, u"sql"_s}).exitCode, 3);
        QCOMPARE(cli({u"classify"_s, m_dir.filePath(u"missing.py"_s)}).exitCode, 2);
    }

    void classifyPrintsFindingsLikeACompiler()
    {
        const QString path = file(u"proc.py"_s, "import subprocess as sp\n\nsp.run(['ls'])\n");
        const auto r = cli({u"classify"_s, path});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.contains(path + u":1:8: PY-PROC: "_s), qPrintable(r.out));
        QVERIFY2(r.out.contains(path + u":3:1: PY-PROC: "_s), qPrintable(r.out));
    }

    void classifyJson()
    {
        const auto r = cli({u"classify"_s, file(u"j.py"_s, "eval('1')\n"), u"--json"_s});
        QCOMPARE(r.exitCode, 3);
        const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(json.value(u"label"_s).toString(), u"dangerous"_s);
        QVERIFY(json.value(u"confidence"_s).toDouble() >= 0.9);
        const QJsonObject f = json.value(u"findings"_s).toArray().first().toObject();
        QCOMPARE(f.value(u"rule"_s).toString(), u"PY-DYN"_s);
        QCOMPARE(f.value(u"line"_s).toInt(), 1);
        QCOMPARE(f.value(u"text"_s).toString(), u"eval('1')"_s);
    }

    void runBlocksDangerousAndPrintsFindings()
    {
        const QString path = file(u"rm.py"_s, "import shutil\nshutil.rmtree('data')\nprint('ran')\n");
        const auto r = cli({u"run"_s, path, u"--allow-ambiguous"_s});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(!r.out.contains(u"ran"_s));
        QVERIFY2(r.err.contains(path + u":2:1: PY-FS: "_s), qPrintable(r.err));
    }

    void runNeedsAllowAmbiguous()
    {
        const QString path = file(u"env.py"_s, "import os\nprint(os.getenv('NOPE_Y', 'fallback'))\n");
        const auto refused = cli({u"run"_s, path});
        QCOMPARE(refused.exitCode, 7);
        QVERIFY(refused.err.contains(path + u":2:7: PY-ENV: "_s));
        QVERIFY(!refused.out.contains(u"fallback"_s));
        const auto allowed = cli({u"run"_s, path, u"--allow-ambiguous"_s});
        QCOMPARE(allowed.exitCode, 0);
        QVERIFY(allowed.out.contains(u"fallback"_s));
    }

    void badPolicyFileIsReportedAndTheDefaultKeptInForce()
    {
        const QString policy = file(u"policy.json"_s, "{\n  \"rules\": [,]\n}\n");
        QDir().mkpath(m_dir.filePath(u"config/SafeCell"_s));
        QFile ini(m_dir.filePath(u"config/SafeCell/SafeCell.ini"_s));
        QVERIFY(ini.open(QIODevice::WriteOnly));
        ini.write("[safety]\npolicyFile=" + policy.toUtf8() + "\n");
        ini.close();
        const auto r = cli({u"classify"_s, file(u"x.py"_s, "import os\n")});
        ini.remove();
        QCOMPARE(r.exitCode, 3); // the default still judges
        QVERIFY2(r.err.contains(policy + u":2: policy rejected"_s), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestSafetyCli)
#include "tst_safetycli.moc"
