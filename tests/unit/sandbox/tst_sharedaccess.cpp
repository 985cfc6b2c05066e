// What the sandbox user may reach of a share (SafeCell as root runs
// snippets as nobody, and bwrap looks a share's path up as nobody): a
// private folder on the way, or an unreadable file, is named, so sharing
// it is refused up front instead of failing every run.
#include "sandbox/SharedData.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using safecell::blockedForSandboxUser;

namespace {

bool setMode(const QString &path, QFile::Permissions permissions)
{
    return QFile::setPermissions(path, permissions);
}

const QFile::Permissions kPrivateFolder = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
const QFile::Permissions kOpenFolder = kPrivateFolder | QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther
                                       | QFile::ExeOther;
const QFile::Permissions kPrivateFile = QFile::ReadOwner | QFile::WriteOwner;
const QFile::Permissions kOpenFile = kPrivateFile | QFile::ReadGroup | QFile::ReadOther;

} // namespace

class TestSharedAccess : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void namesWhatTheSandboxUserCannotReach()
    {
        QTemporaryDir dir; // private (0700) as made
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(QStringLiteral("sales.csv"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("a,b\n1,2\n");
        out.close();

        QVERIFY(setMode(dir.path(), kPrivateFolder));
        QVERIFY(setMode(file, kOpenFile));
        QCOMPARE(blockedForSandboxUser(file, false), dir.path());

        QVERIFY(setMode(dir.path(), kOpenFolder));
        QVERIFY(setMode(file, kPrivateFile));
        QCOMPARE(blockedForSandboxUser(file, false), file);

        QVERIFY(setMode(file, kOpenFile));
        QCOMPARE(blockedForSandboxUser(file, false), QString());
    }

    void aSharedFolderMustBeListable()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(setMode(dir.path(), kOpenFolder));
        const QString folder = dir.filePath(QStringLiteral("reports"));
        QVERIFY(QDir().mkdir(folder));
        QVERIFY(setMode(folder, kPrivateFolder));
        QCOMPARE(blockedForSandboxUser(folder, true), folder);
        QVERIFY(setMode(folder, kOpenFolder));
        QCOMPARE(blockedForSandboxUser(folder, true), QString());
        // Readable but not passable: its files could not be opened.
        QVERIFY(setMode(folder, kPrivateFolder | QFile::ReadOther));
        QCOMPARE(blockedForSandboxUser(folder, true), folder);
    }
};

QTEST_GUILESS_MAIN(TestSharedAccess)
#include "tst_sharedaccess.moc"
