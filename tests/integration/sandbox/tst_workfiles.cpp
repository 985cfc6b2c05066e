// Files out (issue 20 item 4): what a snippet writes in /work is listed
// after the run and copied out by SafeCell, on the real local sandbox; the
// attacker's tries (links to host files, a FIFO, "..", a flood of files)
// get nothing out.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"
#include "sandbox/WorkFiles.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
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

    // Linux names are bytes: one that is not valid UTF-8 (Latin-1 "café")
    // is listed with its stray byte escaped, and copied out by that name.
    void aNameThatIsNotUtf8IsListedAndCopiedOut()
    {
        const SandboxRun run = python(*m_box, uR"(import os
os.makedirs(b'/work/d\xfc', exist_ok=True)
open(b'/work/d\xfc/caf\xe9.csv', 'wb').write(b'latin-1')
open('/work/caf\u00e9.csv', 'w').write('utf-8')
open(b'/work/\xef\xbb\xbfbom.csv', 'wb').write(b'with a mark')
open(b'/work/\xef\xbb\xbfd\xfc\xef\xbb\xbf.csv', 'wb').write(b'x')
open(b'/work/s\xed\xa0\x80\xc0\x80\xf4\x90\x80\x80.txt', 'wb').write(b'not UTF-8 at all')
)"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        QVERIFY(run.workFiles);
        const QStringList paths = pathsOf(*run.workFiles);
        const QString latin = u"d"_s + QChar(char16_t(0xDCFC)) + u"/caf"_s + QChar(char16_t(0xDCE9)) + u".csv"_s;
        QVERIFY2(paths.contains(latin), qPrintable(paths.join(u',')));
        QVERIFY2(paths.contains(u"caf\u00e9.csv"_s), qPrintable(paths.join(u',')));
        QCOMPARE(workfiles::nameBytes(latin), QByteArray("d\xfc/caf\xe9.csv"));
        // A character beyond the BMP whose low surrogate falls in the escape
        // range (U+1F480: D83D DC80) is the character, not an escaped byte.
        QCOMPARE(workfiles::nameBytes(u"caf\u00e9 \U0001F480.csv"_s), QByteArray("caf\xc3\xa9 \xf0\x9f\x92\x80.csv"));

        const auto latinCopy = workfiles::copyOut(run.workFiles->root, latin, m_out.filePath(u"latin.csv"_s));
        QVERIFY2(latinCopy, qPrintable(latinCopy ? QString() : latinCopy.error()));
        QCOMPARE(contentOf(m_out.filePath(u"latin.csv"_s)), QByteArray("latin-1"));
        // A leading byte order mark is part of the name (QString::fromUtf8
        // drops it: the listing would name bom.csv, another file or none).
        QVERIFY2(paths.contains(u"\uFEFFbom.csv"_s), qPrintable(paths.join(u',')));
        QVERIFY2(paths.contains(u"\uFEFFd"_s + QChar(char16_t(0xDCFC)) + u"\uFEFF.csv"_s),
                 qPrintable(paths.join(u',')));
        const auto bomCopy = workfiles::copyOut(run.workFiles->root, u"\uFEFFbom.csv"_s, m_out.filePath(u"b.csv"_s));
        QVERIFY(bomCopy);
        QCOMPARE(contentOf(m_out.filePath(u"b.csv"_s)), QByteArray("with a mark"));
        // A surrogate, an overlong NUL, a code point past U+10FFFF: each byte escaped.
        QString odd = u"s"_s;
        for (const char16_t byte : {0xED, 0xA0, 0x80, 0xC0, 0x80, 0xF4, 0x90, 0x80, 0x80})
            odd += QChar(char16_t(0xDC00 + byte));
        odd += u".txt"_s;
        QVERIFY2(paths.contains(odd), qPrintable(paths.join(u',')));
        QVERIFY(workfiles::copyOut(run.workFiles->root, odd, m_out.filePath(u"odd.txt"_s)));
        QCOMPARE(contentOf(m_out.filePath(u"odd.txt"_s)), QByteArray("not UTF-8 at all"));
        const auto utf8Copy = workfiles::copyOut(run.workFiles->root, u"caf\u00e9.csv"_s, m_out.filePath(u"u.csv"_s));
        QVERIFY(utf8Copy);
        QCOMPARE(contentOf(m_out.filePath(u"u.csv"_s)), QByteArray("utf-8"));
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
    // more than it holds: 200 files of 200 MB of holes would put 40 GB of
    // zeros on the analyst's disk. A mostly-holes file is not copied (with
    // the real bound, /work's size); a dense one of the same size is.
    // RLIMIT_FSIZE keeps a 10 GB claim from being made at all.
    void aSparseGiantIsNotCopiedOut()
    {
        const SandboxRun giant = python(*m_box,
                                        u"f = open('/work/giant.bin', 'wb')\nf.seek(10 * 2**30)\nf.write(b'x')"_s);
        QVERIFY(!giant.workFiles->files.isEmpty());
        for (const WorkFile &file : giant.workFiles->files)
            QVERIFY2(file.size <= SandboxLimits{}.maxFileSizeMb << 20, qPrintable(file.path));

        const SandboxRun run = python(*m_box, u"f = open('/work/holes.bin', 'wb')\nf.seek(200 * 2**20)\n"
                                              "f.write(b'x')\nf.close()\n"
                                              "open('/work/dense.bin', 'wb').write(b'y' * (8 * 2**20))"_s);
        QCOMPARE(run.outcome.status, ExecutionStatus::Completed);
        const qint64 bound = run.workFiles->maxFileBytes;
        QCOMPARE(bound, SandboxLimits{}.workSizeMb << 20);
        const QString destination = m_out.filePath(u"holes.bin"_s);
        const auto refused = workfiles::copyOut(run.workFiles->root, u"holes.bin"_s, destination, bound);
        QVERIFY(!refused);
        QVERIFY2(refused.error().contains(u"sparse"_s), qPrintable(refused.error()));
        QVERIFY(!QFile::exists(destination));
        const auto dense = workfiles::copyOut(run.workFiles->root, u"dense.bin"_s, m_out.filePath(u"dense.bin"_s),
                                              bound);
        QVERIFY2(dense, qPrintable(dense ? QString() : dense.error()));
        QCOMPARE(QFileInfo(m_out.filePath(u"dense.bin"_s)).size(), 8 << 20);
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
