#include "common/DataPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;

namespace {

// The test's own resource (tests/unit/datapaths/), compiled in as
// ":/datapaths-test/greeting.txt".
const QString kRelative = QStringLiteral("datapaths-test/greeting.txt");

bool writeFile(const QString &path, const QByteArray &content)
{
    if (!QDir().mkpath(QFileInfo(path).path()))
        return false;
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

} // namespace

class TestDataPaths : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void installedDirIsShareBesideTheExecutablesFolder()
    {
        const QString expected = QDir::cleanPath(QCoreApplication::applicationDirPath()
                                                 + QStringLiteral("/../share/safecell"));
        QCOMPARE(installedDataDir(), expected);
        QVERIFY(!installedDataDir().contains(QLatin1String("..")));
    }

    void fallsBackToTheCompiledInResource()
    {
        QTemporaryDir installed;
        QVERIFY(installed.isValid());
        const QString path = dataFile(kRelative, installed.path());
        QCOMPARE(path, QStringLiteral(":/") + kRelative);
        QCOMPARE(readFile(path), QByteArray("compiled in\n"));
    }

    void fallsBackWhenThereIsNoInstalledFolder()
    {
        QCOMPARE(dataFile(kRelative, QString()), QStringLiteral(":/") + kRelative);
        QCOMPARE(dataFile(kRelative, QStringLiteral("/nonexistent/share/safecell")), QStringLiteral(":/") + kRelative);
    }

    void anInstalledCopyWins()
    {
        QTemporaryDir installed;
        QVERIFY(installed.isValid());
        QVERIFY(writeFile(installed.filePath(kRelative), "installed\n"));
        const QString path = dataFile(kRelative, installed.path());
        QCOMPARE(path, QDir::cleanPath(installed.filePath(kRelative)));
        QCOMPARE(readFile(path), QByteArray("installed\n"));
    }

    void aFolderOfTheSameNameIsNotAnInstalledCopy()
    {
        QTemporaryDir installed;
        QVERIFY(installed.isValid());
        QVERIFY(QDir().mkpath(installed.filePath(kRelative)));
        QCOMPARE(dataFile(kRelative, installed.path()), QStringLiteral(":/") + kRelative);
    }

    void normalisesTheRelativePath()
    {
        QTemporaryDir installed;
        QVERIFY(installed.isValid());
        QVERIFY(writeFile(installed.filePath(QStringLiteral("policy/rules.json")), "{}"));
        QCOMPARE(dataFile(QStringLiteral("policy/./rules.json"), installed.path()),
                 QDir::cleanPath(installed.filePath(QStringLiteral("policy/rules.json"))));
        QCOMPARE(dataFile(QStringLiteral("kernel/../policy/rules.json"), installed.path()),
                 QDir::cleanPath(installed.filePath(QStringLiteral("policy/rules.json"))));
    }

    void refusesPathsOutsideTheDataFolder_data()
    {
        QTest::addColumn<QString>("relative");
        QTest::newRow("empty") << QString();
        QTest::newRow("dot") << QStringLiteral(".");
        QTest::newRow("parent") << QStringLiteral("..");
        QTest::newRow("climbs out") << QStringLiteral("../secret.txt");
        QTest::newRow("climbs out after a folder") << QStringLiteral("policy/../../secret.txt");
        QTest::newRow("absolute") << QStringLiteral("/etc/passwd");
        QTest::newRow("resource path") << QStringLiteral(":/policy/rules.json");
    }

    void refusesPathsOutsideTheDataFolder()
    {
        QFETCH(QString, relative);
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const QString installed = root.filePath(QStringLiteral("share/safecell"));
        QVERIFY(QDir().mkpath(installed));
        QVERIFY(writeFile(root.filePath(QStringLiteral("share/secret.txt")), "secret"));
        QCOMPARE(dataFile(relative, installed), QString());
    }

    void findsTheInstalledFolderBesideTheRunningExecutable()
    {
        // Lays out <exe dir>/../share/safecell as an install would, checks
        // the one-argument form finds it, and removes it again.
        const QString shareDir = installedDataDir();
        QVERIFY2(!QFileInfo::exists(shareDir), qPrintable(shareDir + QStringLiteral(" exists already")));
        const QString shareParent = QFileInfo(shareDir).path(); // <exe dir>/../share
        const bool parentExisted = QFileInfo::exists(shareParent);
        const auto cleanUp = qScopeGuard([&] { QDir(parentExisted ? shareDir : shareParent).removeRecursively(); });
        QCOMPARE(dataFile(kRelative), QStringLiteral(":/") + kRelative);
        QVERIFY(writeFile(shareDir + QLatin1Char('/') + kRelative, "beside the executable\n"));
        QCOMPARE(dataFile(kRelative), shareDir + QLatin1Char('/') + kRelative);
        QCOMPARE(readFile(dataFile(kRelative)), QByteArray("beside the executable\n"));
    }
};

QTEST_GUILESS_MAIN(TestDataPaths)
#include "tst_datapaths.moc"
