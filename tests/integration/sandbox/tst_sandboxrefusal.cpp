// Without bubblewrap, or where user namespaces are not allowed, the local
// sandbox refuses with what to install or change; it never runs code bare.
#include "SandboxRun.h"

#include "sandbox/LocalSandbox.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace safecell::test;
using namespace Qt::StringLiterals;

class TestSandboxRefusal : public QObject {
    Q_OBJECT
private:
    QByteArray m_path;
    QTemporaryDir m_bin;

    void usePath(const QString &path) { qputenv("PATH", QFile::encodeName(path)); }

    QString proofFile() const { return m_bin.filePath(u"ran-unsandboxed"_s); }
    QString code() const { return u"open('%1', 'w').write('ran')\nprint('ran')"_s.arg(proofFile()); }

private Q_SLOTS:
    void initTestCase()
    {
        m_path = qgetenv("PATH");
        QFile::setPermissions(m_bin.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                                                | QFileDevice::ReadOther | QFileDevice::ExeOther);
    }
    void cleanup() { qputenv("PATH", m_path); }

    void refusesWithoutBubblewrap_data()
    {
        QTest::addColumn<int>("language");
        QTest::newRow("python") << int(Language::Python);
        QTest::newRow("sql") << int(Language::Sql);
    }

    void refusesWithoutBubblewrap()
    {
        QFETCH(int, language);
        usePath(m_bin.path()); // python3 is still at /usr/bin, bwrap nowhere on PATH
        LocalSandbox box(SandboxLimits{});
        const SandboxRun run = runIn(box, {code(), Language(language), 10000, false});
        QCOMPARE(run.outcome.status, ExecutionStatus::SandboxFailed);
        QVERIFY2(run.outcome.message.contains(u"apt-get install bubblewrap"_s), qPrintable(run.outcome.message));
        QVERIFY(run.out.isEmpty());
        QVERIFY(!QFile::exists(proofFile()));
    }

    void refusesWhereUserNamespacesAreNotAllowed()
    {
        // A bwrap that fails the way it does when the kernel forbids
        // unprivileged user namespaces.
        QFile fake(m_bin.filePath(u"bwrap"_s));
        QVERIFY(fake.open(QIODevice::WriteOnly));
        fake.write("#!/bin/sh\necho 'bwrap: No permissions to creating new namespace, likely because the kernel "
                   "does not allow non-privileged user namespaces.' >&2\nexit 1\n");
        fake.close();
        fake.setPermissions(QFileDevice::ReadOwner | QFileDevice::ExeOwner | QFileDevice::ReadOther
                            | QFileDevice::ExeOther);
        usePath(m_bin.path());
        LocalSandbox box(SandboxLimits{});
        const SandboxRun run = python(box, code());
        QCOMPARE(run.outcome.status, ExecutionStatus::SandboxFailed);
        QVERIFY2(run.outcome.message.contains(u"kernel.unprivileged_userns_clone"_s), qPrintable(run.outcome.message));
        QVERIFY(!run.outcome.sessionLost);
        QVERIFY(!QFile::exists(proofFile()));
        // And again on the next run: no fallback appears later either.
        QCOMPARE(python(box, code()).outcome.status, ExecutionStatus::SandboxFailed);
        QVERIFY(!QFile::exists(proofFile()));
    }
};

QTEST_GUILESS_MAIN(TestSandboxRefusal)
#include "tst_sandboxrefusal.moc"
