// Issue 20 item 4 on E2B: after a window's run, the files the snippet left
// in the sandbox's home folder are listed in its context and copied to
// this machine (E2bWorkFiles.h), so the Files pane saves and opens them as
// it does the local sandbox's, and they outlive the sandbox. The listing
// comes from the snippet's own process: it may name anything.
#include "FakeE2bSession.h"
#include "sandbox/SandboxLimits.h"
#include "sandbox/e2b/E2bSandbox.h"
#include "sandbox/e2b/E2bWorkFiles.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace safecell;
using namespace safecell::fake;
using namespace safecell::test;
using namespace Qt::StringLiterals;

namespace {

const QString kFilesCell = u"_safecell_scope['_safecell_show_files']"_s;

QJsonObject listed(const QString &path, qint64 size, qint64 changedMs = 1000)
{
    return {{u"path"_s, path}, {u"size"_s, size}, {u"modifiedMs"_s, 1000}, {u"changedMs"_s, changedMs}};
}

FakeStep filesStep(const QJsonArray &files)
{
    return FakeStep::result({{u"json"_s, QJsonObject{{QLatin1String(kSafecellWorkFilesKey),
                                                      QJsonObject{{u"files"_s, files}, {u"truncated"_s, false}}}}}},
                            false);
}

QByteArray contentOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<missing>");
}

} // namespace

class TestE2bWorkFiles : public QObject {
    Q_OBJECT
private:
    FakeE2bSession m_e2b;
    std::unique_ptr<FakeE2b> &m_fake = m_e2b.fake;
    std::unique_ptr<E2bSandbox> &m_sandbox = m_e2b.sandbox;
    bool m_window = true; // ExecutionRequest::listVariables: the window's runs

    void start(bool window = true)
    {
        m_window = window;
        m_e2b.start(60000);
    }

    // Runs `x = 1`; the listings it sent, if any.
    QList<WorkFileListing> run()
    {
        QList<WorkFileListing> listings;
        QObject context;
        connect(m_sandbox.get(), &Sandbox::workFilesListed, &context,
                [&](const WorkFileListing &listing) { listings << listing; });
        QSignalSpy finished(m_sandbox.get(), &Sandbox::finished);
        m_sandbox->execute({u"x = 1"_s, Language::Python, 20000, false, true, m_window});
        if (!finished.wait(20000))
            qWarning("the run did not finish");
        else if (finished.first().first().value<ExecutionOutcome>().status != ExecutionStatus::Completed)
            qWarning("the run did not complete");
        return listings;
    }

    int downloads() const { return m_fake->count("GET", "/files"); }

private Q_SLOTS:
    void init() { QVERIFY(m_e2b.listen()); }
    void cleanup() { QVERIFY(m_e2b.close()); }

    void filesAWindowsRunWroteAreCopiedHereAndKeptInStep()
    {
        start();
        QVERIFY(run().isEmpty()); // unscripted, the fake's listing fails: nothing is said
        const QString id = m_sandbox->sandboxId();
        m_fake->putFile(id, u"/home/user/out/report.csv"_s, "region,amount\nNorth,5\n");
        m_fake->putFile(id, u"/home/user/chart.png"_s, QByteArray("\x89PNG\r\n", 6));
        m_fake->setScriptContaining(kFilesCell,
                                    {filesStep({listed(u"out/report.csv"_s, 22), listed(u"chart.png"_s, 6)})});
        QList<WorkFileListing> listings = run();
        QCOMPARE(listings.size(), 1);
        WorkFileListing listing = listings.first();
        QCOMPARE(listing.files.size(), 2);
        QVERIFY(!listing.root.isEmpty());
        QCOMPARE(QFileInfo(listing.root).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());
        QCOMPARE(contentOf(listing.root + u"/out/report.csv"_s), QByteArray("region,amount\nNorth,5\n"));
        QCOMPARE(downloads(), 2);
        // Listed in the same cell as the variables: one request more a run, not two.
        QVERIFY(m_fake->executedCode().last().contains(kFilesCell));
        QVERIFY(m_fake->executedCode().last().contains(u"_safecell_scope['_safecell_show']"_s));

        // Saved out as the local sandbox's files are.
        QTemporaryDir out;
        const auto copied = workfiles::copyOut(listing.root, u"out/report.csv"_s, out.filePath(u"r.csv"_s),
                                               listing.maxFileBytes);
        QVERIFY2(copied, qPrintable(copied ? QString() : copied.error()));
        QCOMPARE(contentOf(out.filePath(u"r.csv"_s)), QByteArray("region,amount\nNorth,5\n"));

        // Unchanged: not fetched again. Changed (a new change time): fetched.
        QCOMPARE(run().size(), 1);
        QCOMPARE(downloads(), 2);
        m_fake->putFile(id, u"/home/user/chart.png"_s, QByteArray("\x89PNG\r\n\x1a", 7));
        m_fake->setScriptContaining(kFilesCell,
                                    {filesStep({listed(u"out/report.csv"_s, 22), listed(u"chart.png"_s, 7, 2000)})});
        listing = run().first();
        QCOMPARE(downloads(), 3);
        QCOMPARE(contentOf(listing.root + u"/chart.png"_s).size(), 7);

        // Removed by a snippet: its copy goes too.
        m_fake->setScriptContaining(kFilesCell, {filesStep({listed(u"chart.png"_s, 7, 2000)})});
        listing = run().first();
        QCOMPARE(listing.files.size(), 1);
        QVERIFY(!QFile::exists(listing.root + u"/out/report.csv"_s));

        // The sandbox ends (Restart Session, an idle timeout): the copies stay.
        m_sandbox->restartSession();
        QTRY_COMPARE_WITH_TIMEOUT(m_fake->liveSandboxes(), 0, 5000);
        QCOMPARE(contentOf(listing.root + u"/chart.png"_s).size(), 7);
    }

    void aListingCannotReachOutsideTheCopiesFolder()
    {
        start();
        QVERIFY(run().isEmpty());
        const QString id = m_sandbox->sandboxId();
        QTemporaryDir outside;
        const QStringList hostile{u"../escaped"_s, u"/etc/passwd"_s, u"a/../../escaped"_s, u".bashrc"_s,
                                  u"a//b"_s,       u"./x"_s,         u"a/b/c/d/e"_s};
        QJsonArray files;
        for (const QString &path : hostile) {
            m_fake->putFile(id, u"/home/user/"_s + path, "x");
            files << listed(path, 1);
        }
        files << listed(u"fine.txt"_s, 4) << listed(u"fine.txt"_s, 4); // twice: once
        m_fake->putFile(id, u"/home/user/fine.txt"_s, "fine");
        m_fake->setScriptContaining(kFilesCell, {filesStep(files)});
        const QList<WorkFileListing> listings = run();
        QCOMPARE(listings.size(), 1);
        QCOMPARE(listings.first().files.size(), 1);
        QCOMPARE(listings.first().files.first().path, u"fine.txt"_s);
        QVERIFY(listings.first().truncated); // what was left out is said
        QCOMPARE(downloads(), 1);
        const QDir parent = QFileInfo(listings.first().root).dir();
        QVERIFY(!parent.exists(u"escaped"_s));
    }

    void aFileServedOtherThanListedIsNotKept()
    {
        start();
        QVERIFY(run().isEmpty());
        const QString id = m_sandbox->sandboxId();
        m_fake->putFile(id, u"/home/user/big.bin"_s, QByteArray(100000, 'x'));
        m_fake->putFile(id, u"/home/user/gone.txt"_s, "x");
        m_fake->removeFile(id, u"/home/user/gone.txt"_s);
        m_fake->setScriptContaining(kFilesCell, {filesStep({listed(u"big.bin"_s, 10), listed(u"gone.txt"_s, 1)})});
        const QList<WorkFileListing> listings = run();
        QCOMPARE(listings.size(), 1);
        QVERIFY(listings.first().files.isEmpty());
        QVERIFY(!QFile::exists(listings.first().root + u"/big.bin"_s));
    }

    void scriptsDoNotPayForIt()
    {
        start(false); // the CLI's and the API's runs
        QVERIFY(run().isEmpty());
        m_fake->putFile(m_sandbox->sandboxId(), u"/home/user/a.txt"_s, "a");
        m_fake->setScriptContaining(kFilesCell, {filesStep({listed(u"a.txt"_s, 1)})});
        QVERIFY(run().isEmpty());
        QCOMPARE(downloads(), 0);
    }

    // The listing cell in a real Python, on a folder like a sandbox's home:
    // regular files only, no hidden names, links not followed, bounded depth.
    void theListingCellWalksLikeTheLocalOne()
    {
        QTemporaryDir home;
        QDir(home.path()).mkpath(u"a/b/c/d"_s);
        QDir(home.path()).mkpath(u".cache"_s);
        for (const QString &path : {u"top.txt"_s, u"a/one.csv"_s, u"a/b/c/three.txt"_s, u"a/b/c/d/four.txt"_s,
                                    u".cache/hidden"_s, u".hidden"_s}) {
            QFile file(home.filePath(path));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("12345");
        }
        QVERIFY(QFile::link(u"/etc/passwd"_s, home.filePath(u"link"_s)));
        QCOMPARE(::mkfifo(QFile::encodeName(home.filePath(u"fifo"_s)).constData(), 0600), 0);
        const QString harness = withIPythonStub(uR"(exec(sys.argv[1], session)
print(json.dumps(sorted(name for name in session if 'safecell' in name.lower())))
)"_s);
        QProcess python;
        python.start(SandboxLimits{}.python, {u"-c"_s, harness, e2bWorkFilesCode(home.path())});
        QVERIFY(python.waitForFinished(30000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        const QList<QByteArray> lines = python.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const RemoteWorkFiles files = parseRemoteWorkFiles(QJsonDocument::fromJson(lines.at(0))
                                                               .object()
                                                               .value(u"application/json"_s)
                                                               .toObject()
                                                               .value(QLatin1String(kSafecellWorkFilesKey))
                                                               .toObject());
        QStringList paths;
        for (const WorkFile &file : files.files) {
            paths << file.path;
            QCOMPARE(file.size, 5);
            QVERIFY(file.modified.isValid() && file.changed.isValid());
        }
        paths.sort();
        QCOMPARE(paths, (QStringList{u"a/b/c/three.txt"_s, u"a/one.csv"_s, u"top.txt"_s}));
        QVERIFY(files.truncated); // a/b/c/d was too deep
        QCOMPARE(lines.at(1), QByteArray("[]"));
    }
};

QTEST_GUILESS_MAIN(TestE2bWorkFiles)
#include "tst_e2bworkfiles.moc"
