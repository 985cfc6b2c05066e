// Issue 20: the analyst's shares as names under /data, and what a snippet's
// error says when it names a file nobody shared.
#include "sandbox/SharedData.h"
#include "sandbox/SharedDataHint.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

ExecutionError osError(const QString &name, const QString &value)
{
    return ExecutionError{name, value, QString()};
}

SharedPath share(const QString &hostPath, const QString &name)
{
    SharedPath path;
    path.hostPath = hostPath;
    path.name = name;
    return path;
}

} // namespace

class TestSharedDataHint : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theQuotedPathIsFound()
    {
        QCOMPARE(pathInOsError(u"[Errno 2] No such file or directory: '/home/me/sales.csv'"_s),
                 u"/home/me/sales.csv"_s);
        QCOMPARE(pathInOsError(u"[Errno 13] Permission denied: \"/home/me/o'neil.csv\""_s), u"/home/me/o'neil.csv"_s);
        QCOMPARE(pathInOsError(u"[Errno 2] No such file or directory"_s), QString());
    }

    void aSharedHostPathPointsToItsDataPath()
    {
        const QList<SharedPath> shares{share(u"/home/me/survey"_s, u"survey"_s),
                                       share(u"/home/me/sales.csv"_s, u"sales.csv"_s)};
        QString hint = sharedPathHint(osError(u"FileNotFoundError"_s,
                                              u"[Errno 2] No such file or directory: '/home/me/survey/a.tsv'"_s),
                                      shares);
        QVERIFY2(hint.contains(u"snippets see it at /data/survey/a.tsv"_s), qPrintable(hint));
        // The kernel's own hint may follow the value, on its next line.
        hint = sharedPathHint(osError(u"PermissionError"_s, u"[Errno 13] Permission denied: '/home/me/sales.csv'\n"
                                                            "SafeCell: /home/me/sales.csv is a path of ..."_s),
                              shares);
        QVERIFY2(hint.contains(u"/home/me/sales.csv is shared already"_s), qPrintable(hint));
        QVERIFY2(hint.contains(u"/data/sales.csv"_s), qPrintable(hint));
        // A relative name that is shared: where it is.
        hint = sharedPathHint(osError(u"FileNotFoundError"_s, u"[Errno 2] No such file or directory: 'sales.csv'"_s),
                              shares);
        QVERIFY2(hint.contains(u"the shared file of that name is at /data/sales.csv"_s), qPrintable(hint));
    }

    void otherErrorsAndOtherPathsGetNoHintHere()
    {
        const QList<SharedPath> shares{share(u"/home/me/sales.csv"_s, u"sales.csv"_s)};
        QVERIFY(sharedPathHint(osError(u"ValueError"_s, u"bad value: '/home/me/sales.csv'"_s), shares).isEmpty());
        // Not shared: the kernel's hint says how to share it.
        QVERIFY(sharedPathHint(osError(u"FileNotFoundError"_s,
                                       u"[Errno 2] No such file or directory: '/home/me/other.csv'"_s),
                               shares)
                    .isEmpty());
        QVERIFY(sharedPathHint(osError(u"FileNotFoundError"_s,
                                       u"[Errno 2] No such file or directory: '/data/sales.csv/x'"_s),
                               shares)
                    .isEmpty());
        QVERIFY(sharedPathHint(osError(u"FileNotFoundError"_s, u"[Errno 2] No such file or directory: 'missing.csv'"_s),
                               shares)
                    .isEmpty());
    }

    void sharesGetUniqueNamesAndTheirChangeIsDescribed()
    {
        QTemporaryDir one;
        QTemporaryDir two;
        for (QTemporaryDir *dir : {&one, &two}) {
            // As root (CI) snippets run as nobody, who must pass the folder
            // to a share (blockedForSandboxUser): open it as an analyst's is.
            QVERIFY(QFile::setPermissions(dir->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                                           | QFile::ReadOther | QFile::ExeOther));
            QFile file(dir->filePath(u"sales.csv"_s));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("a\n1\n");
        }
        SharedData shared;
        const auto first = shared.add(one.filePath(u"sales.csv"_s));
        const auto second = shared.add(two.filePath(u"sales.csv"_s));
        QVERIFY(first && second);
        QCOMPARE(first->name, u"sales.csv"_s);
        QCOMPARE(second->name, u"sales-2.csv"_s);
        QCOMPARE(first->kind, SharedKind::Csv);
        QCOMPARE(first->size, 4);
        QVERIFY(!shared.add(one.filePath(u"sales.csv"_s))); // shared already
        QVERIFY(!shared.add(one.filePath(u"missing.csv"_s)));
        // Never the whole home folder (keys, settings), nor a folder above it.
        QVERIFY(QDir().mkpath(QDir::homePath())); // the test's own HOME may not exist yet
        const auto home = shared.add(QDir::homePath());
        QVERIFY(!home);
        QVERIFY2(home.error().contains(u"whole home folder"_s), qPrintable(home.error()));
        QVERIFY(!shared.add(QFileInfo(QDir::homePath()).absolutePath()));
        const QList<SharedPath> before = shared.paths();
        QVERIFY(shared.remove(u"sales.csv"_s));
        QVERIFY(!shared.remove(u"sales.csv"_s));
        QCOMPARE(describeShareChange(before, shared.paths()), u"removed /data/sales.csv"_s);
        QCOMPARE(describeShareChange(shared.paths(), before), u"added /data/sales.csv"_s);
        QCOMPARE(describeShareChange(before, before), QString());
    }
};

QTEST_GUILESS_MAIN(TestSharedDataHint)
#include "tst_shareddatahint.moc"
