// Files out (issue 20 item 4): what a snippet writes in /work is listed
// after the run and copied out by SafeCell, on the real local sandbox; the
// attacker's tries (links to host files, a FIFO, "..", a flood of files)
// get nothing out.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"
#include "sandbox/WorkFiles.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace safecell::test;
using namespace Qt::StringLiterals;

namespace {

QStringList pathsOf(const WorkFileListing &listing)
{
    QStringList paths;
    for (const WorkFile &file : listing.files)
        paths << file.path;
    return paths;
}

QByteArray contentOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("(unreadable)");
}

} // namespace

class TestWorkFiles : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<LocalSandbox> m_box;
    QTemporaryDir m_out;

private Q_SLOTS:
    void init() { m_box = std::make_unique<LocalSandbox>(SandboxLimits{}); }
    void cleanup() { m_box.reset(); }

    void writtenFilesAreListedAndCopiedOut()
    {
        const SandboxRun run = python(*m_box, uR"(import os
open('/work/sales.csv', 'w').write('region,total\nnorth,10\n')
os.makedirs('/work/charts', exist_ok=True)
open('/work/charts/q1.png', 'wb').write(b'\x89PNG' + bytes(1000))
os.makedirs('/work/.cache', exist_ok=True)
open('/work/.cache/hidden', 'w').write('x')
)"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY(run.workFiles);
        const QStringList paths = pathsOf(*run.workFiles);
        QVERIFY2(paths.contains(u"sales.csv"_s) && paths.contains(u"charts/q1.png"_s), qPrintable(paths.join(u',')));
        QVERIFY2(!paths.join(u',').contains(u"hidden"_s), qPrintable(paths.join(u',')));
        const WorkFile png = run.workFiles->files.at(paths.indexOf(u"charts/q1.png"_s));
        QCOMPARE(png.size, 1004);
        QVERIFY(png.modified.isValid());

        const QString destination = m_out.filePath(u"sales.csv"_s);
        const auto copied = workfiles::copyOut(run.workFiles->root, u"sales.csv"_s, destination);
        QVERIFY2(copied, qPrintable(copied ? QString() : copied.error()));
        QCOMPARE(contentOf(destination), QByteArray("region,total\nnorth,10\n"));

        // The session keeps /work: a later run sees and lists the same files.
        const SandboxRun later = python(*m_box, u"print(open('/work/sales.csv').read().count(chr(10)))"_s);
        QCOMPARE(later.out, u"2\n"_s);
        QVERIFY(pathsOf(*later.workFiles).contains(u"sales.csv"_s));
    }

    // A snippet that leaves links to the host's files, a FIFO, or asks for
    // "..": nothing is listed, nothing copied, and no copy blocks.
    void linksFifosAndDotDotGetNothingOut()
    {
        const SandboxRun run = python(*m_box, uR"(import os
os.symlink('/etc/passwd', '/work/passwd')
os.symlink('/etc', '/work/etc')
os.mkfifo('/work/pipe')
open('/work/real.txt', 'w').write('mine')
)"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(pathsOf(*run.workFiles), QStringList{u"real.txt"_s});
        const QString root = run.workFiles->root;
        const QString destination = m_out.filePath(u"stolen"_s);
        for (const QString &path : {u"passwd"_s, u"etc/passwd"_s, u"../../../../etc/passwd"_s, u"./real.txt"_s}) {
            const auto copied = workfiles::copyOut(root, path, destination);
            QVERIFY2(!copied, qPrintable(path));
            QVERIFY2(copied.error().contains(u"link"_s) || copied.error().contains(u"not a path inside"_s),
                     qPrintable(copied.error()));
        }
        QDeadlineTimer quick(5000);
        const auto fifo = workfiles::copyOut(root, u"pipe"_s, destination);
        QVERIFY(!quick.hasExpired()); // O_NONBLOCK: no writer needed to fail
        QVERIFY(!fifo);
        QVERIFY2(fifo.error().contains(u"not a regular file"_s), qPrintable(fifo.error()));
        QVERIFY(!QFile::exists(destination)); // whole or nothing: no empty file left
    }

    // A seek past the end costs nothing in tmpfs, so a file can claim far
    // more than it holds. The sandbox's RLIMIT_FSIZE stops a 10 GB claim;
    // under it, a copy larger than the bound given is refused, so a copy
    // never writes more than /work could hold.
    void aSparseGiantIsNotCopiedOut()
    {
        const SandboxRun giant = python(*m_box,
                                        u"f = open('/work/giant.bin', 'wb')\nf.seek(10 * 2**30)\nf.write(b'x')"_s);
        QVERIFY(!giant.workFiles->files.isEmpty());
        for (const WorkFile &file : giant.workFiles->files)
            QVERIFY2(file.size <= SandboxLimits{}.maxFileSizeMb << 20, qPrintable(file.path));
        QCOMPARE(giant.workFiles->maxFileBytes, SandboxLimits{}.workSizeMb << 20);

        const SandboxRun run =
            python(*m_box, u"f = open('/work/huge.bin', 'wb')\nf.seek(200 * 2**20)\nf.write(b'x')\nf.close()"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        const auto huge = std::find_if(run.workFiles->files.cbegin(), run.workFiles->files.cend(),
                                       [](const WorkFile &file) { return file.path == u"huge.bin"_s; });
        QVERIFY(huge != run.workFiles->files.cend());
        QCOMPARE(huge->size, 200 * (qint64(1) << 20) + 1);
        const QString destination = m_out.filePath(u"huge.bin"_s);
        const auto copied = workfiles::copyOut(run.workFiles->root, u"huge.bin"_s, destination, 100 << 20);
        QVERIFY(!copied);
        QVERIFY2(copied.error().contains(u"sparse"_s), qPrintable(copied.error()));
        QVERIFY(!QFile::exists(destination));
    }

    // Listing runs after every run: a snippet that writes thousands of
    // files gets the newest 200, and the flag says there are more.
    void aFloodOfFilesIsBounded()
    {
        const SandboxRun run = python(*m_box, uR"(import os
for i in range(300):
    open(f'/work/f{i:03}.txt', 'w').write(str(i))
d = '/work'
for level in range(8):
    d += f'/d{level}'
    os.makedirs(d)
    open(d + '/deep.txt', 'w').write('x')
)"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QCOMPARE(run.workFiles->files.size(), workfiles::kMaxListed);
        QVERIFY(run.workFiles->truncated);
    }

    // Once the session's sandbox is gone, so is /work: the copy says so.
    void aCopyAfterTheSessionEndedSaysSo()
    {
        const SandboxRun run = python(*m_box, u"open('/work/a.txt', 'w').write('a')"_s);
        const QString root = run.workFiles->root;
        m_box.reset();
        const auto copied = workfiles::copyOut(root, u"a.txt"_s, m_out.filePath(u"a.txt"_s));
        QVERIFY(!copied);
        QVERIFY2(copied.error().contains(u"is gone"_s), qPrintable(copied.error()));
    }
};

QTEST_GUILESS_MAIN(TestWorkFiles)
#include "tst_workfiles.moc"
