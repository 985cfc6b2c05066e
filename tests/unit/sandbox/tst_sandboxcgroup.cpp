// How SafeCell picks what bounds a sandbox's memory, on machines this one
// is not: pure cgroup v2 as root, a desktop's systemd user manager, none.
// The cgroup files are stand-ins in a temporary folder; what the kernel
// does with them is tested against the real hierarchy in tst_sandboxlimits.
#include "sandbox/SandboxCgroup.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {

bool write(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

QByteArray read(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray("(missing)");
}

// What this machine has: v1 controllers and an unused v2 hierarchy.
const QByteArray kHybridMountinfo = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
                                    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
                                    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
                                    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
                                    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
const QByteArray kHybridCgroup = "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/abc\n0::/\n";

// A Debian 12 desktop: pure v2.
const QByteArray kPureMountinfo =
    "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
const QByteArray kPureCgroup = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-safecell.scope\n";

} // namespace

class TestSandboxCgroup : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesAHybridHierarchy()
    {
        const CgroupSystem system = CgroupSystem::parse(kHybridCgroup, kHybridMountinfo);
        QCOMPARE(system.v1MemoryMount, u"/sys/fs/cgroup/memory"_s);
        QCOMPARE(system.v1MemoryPath, u"/process_api/abc"_s);
        QCOMPARE(system.v1PidsMount, u"/sys/fs/cgroup/pids"_s);
        QCOMPARE(system.v1PidsPath, u"/"_s);
        QCOMPARE(system.v2Mount, u"/sys/fs/cgroup/unified"_s);
        QCOMPARE(system.v2Path, u"/"_s);
    }

    void parsesAPureV2Hierarchy()
    {
        const CgroupSystem system = CgroupSystem::parse(kPureCgroup, kPureMountinfo);
        QCOMPARE(system.v2Mount, u"/sys/fs/cgroup"_s);
        QCOMPARE(system.v2Path, u"/user.slice/user-1000.slice/user@1000.service/app.slice/app-safecell.scope"_s);
        QVERIFY(system.v1MemoryMount.isEmpty());
    }

    void aContainersBindMountedHierarchyIsRelativeToItsRoot()
    {
        const CgroupSystem system = CgroupSystem::parse(
            "4:memory:/docker/abc\n", "35 31 0:32 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        QCOMPARE(system.v1MemoryPath, u"/"_s);
    }

    void rootOnPureV2MakesCgroupsUnderTheRoot()
    {
        QTemporaryDir fs;
        QVERIFY(write(fs.filePath(u"cgroup.controllers"_s), "cpuset cpu io memory hugetlb pids rdma misc"));
        QVERIFY(write(fs.filePath(u"cgroup.subtree_control"_s), "cpu memory pids"));
        CgroupSystem system;
        system.v2Mount = fs.path();
        system.v2Path = u"/system.slice/x.service"_s;
        const MemoryBoundPlan plan = planMemoryBound(system, {true, 0, {}, {}, {}});
        QCOMPARE(plan.bound, MemoryBound::CgroupV2);
        QCOMPARE(plan.memoryParent, fs.path());

        // What a sandbox's cgroup gets: its limits, written before anything joins.
        SandboxLimits limits;
        limits.memoryLimitMb = 300;
        limits.maxProcesses = 20;
        const auto cgroup = SandboxCgroup::create(plan, limits);
        QVERIFY2(cgroup, qPrintable(cgroup ? QString() : cgroup.error()));
        const QString folder = (*cgroup)->folders().constFirst();
        QVERIFY(QFileInfo(folder).fileName().startsWith(sandboxCgroupPrefix()));
        QCOMPARE(read(folder + u"/memory.max"_s), QByteArray::number(300 << 20));
        QCOMPARE(read(folder + u"/pids.max"_s), QByteArray::number(20 + kCgroupPidsSlack));
        QCOMPARE((*cgroup)->joinDescriptors().size(), 1);
    }

    void v2WithoutTheMemoryControllerFallsToV1()
    {
        // This machine: the unified hierarchy has only hugetlb.
        QTemporaryDir fs;
        QVERIFY(write(fs.filePath(u"unified/cgroup.controllers"_s), "hugetlb"));
        QVERIFY(write(fs.filePath(u"memory/process_api/abc/memory.limit_in_bytes"_s), "9223372036854771712"));
        QVERIFY(QDir(fs.path()).mkpath(u"pids"_s));
        CgroupSystem system;
        system.v2Mount = fs.filePath(u"unified"_s);
        system.v1MemoryMount = fs.filePath(u"memory"_s);
        system.v1MemoryPath = u"/process_api/abc"_s;
        system.v1PidsMount = fs.filePath(u"pids"_s);
        system.v1PidsPath = u"/"_s;
        const MemoryBoundPlan plan = planMemoryBound(system, {true, 0, {}, {}, {}});
        QCOMPARE(plan.bound, MemoryBound::CgroupV1);
        QCOMPARE(plan.memoryParent, fs.filePath(u"memory/process_api/abc"_s));
        QCOMPARE(plan.pidsParent, fs.filePath(u"pids"_s));

        SandboxLimits limits;
        limits.memoryLimitMb = 100;
        const auto cgroup = SandboxCgroup::create(plan, limits);
        QVERIFY2(cgroup, qPrintable(cgroup ? QString() : cgroup.error()));
        QCOMPARE((*cgroup)->folders().size(), 2);
        QCOMPARE(read((*cgroup)->folders().at(0) + u"/memory.limit_in_bytes"_s), QByteArray::number(100 << 20));
        QCOMPARE(read((*cgroup)->folders().at(1) + u"/pids.max"_s), QByteArray::number(64 + kCgroupPidsSlack));
        QCOMPARE((*cgroup)->joinDescriptors().size(), 2);
    }

    void aDesktopUsesItsUserManagersScope()
    {
        QTemporaryDir fs;
        QVERIFY(write(fs.filePath(u"cgroup/user.slice/user-1000.slice/user@1000.service/cgroup.controllers"_s),
                      "cpu memory pids"));
        QVERIFY(write(fs.filePath(u"run/systemd/private"_s), ""));
        CgroupSystem system;
        system.v2Mount = fs.filePath(u"cgroup"_s);
        const MemoryBoundProbe desktop{false, 1000, fs.filePath(u"run"_s), u"/usr/bin/systemd-run"_s,
                                       u"/usr/bin/nsenter"_s};
        QCOMPARE(planMemoryBound(system, desktop).bound, MemoryBound::SystemdScope);

        SandboxLimits limits;
        limits.memoryLimitMb = 2048;
        limits.maxProcesses = 64;
        const QStringList prefix = systemdScopePrefix(u"/usr/bin/systemd-run"_s, limits);
        QVERIFY(prefix.contains(u"--user"_s) && prefix.contains(u"--scope"_s));
        QVERIFY(prefix.contains(u"--property=MemoryMax=%1"_s.arg(qint64(2048) << 20)));
        QVERIFY(prefix.contains(u"--property=MemorySwapMax=0"_s));
        QVERIFY(prefix.contains(u"--property=TasksMax=%1"_s.arg(64 + kCgroupPidsSlack)));
        QCOMPARE(prefix.last(), u"--"_s);

        // No user manager running, or memory not delegated to it: the fallback.
        const MemoryBoundProbe noManager{false, 1000, fs.filePath(u"elsewhere"_s), u"/usr/bin/systemd-run"_s,
                                         u"/usr/bin/nsenter"_s};
        QCOMPARE(planMemoryBound(system, noManager).bound, MemoryBound::ProcessLimits);
        QVERIFY(write(fs.filePath(u"cgroup/user.slice/user-1000.slice/user@1000.service/cgroup.controllers"_s), "cpu"));
        QCOMPARE(planMemoryBound(system, desktop).bound, MemoryBound::ProcessLimits);
    }

    void theFallbackBoundsTheTotal_data()
    {
        QTest::addColumn<qint64>("memoryMb");
        QTest::addColumn<qint64>("maxProcesses");
        QTest::newRow("defaults") << qint64(2048) << qint64(64);
        QTest::newRow("small") << qint64(256) << qint64(64);
        QTest::newRow("large") << qint64(65536) << qint64(64);
        QTest::newRow("few processes") << qint64(8192) << qint64(3);
    }

    void theFallbackBoundsTheTotal()
    {
        QFETCH(qint64, memoryMb);
        QFETCH(qint64, maxProcesses);
        SandboxLimits limits;
        limits.memoryLimitMb = memoryMb;
        limits.maxProcesses = maxProcesses;
        const ProcessLimitsFallback fallback = processLimitsFallback(limits);
        QVERIFY(fallback.processes >= 2);
        QVERIFY(fallback.processes <= std::max<qint64>(2, maxProcesses));
        QVERIFY(fallback.processes * fallback.addressSpaceMb <= memoryMb);
        QVERIFY(
            memoryBoundDescription(MemoryBound::ProcessLimits, limits).contains(QString::number(fallback.processes)));
    }

    void aSandboxAskingForNoCgroupGetsTheFallback()
    {
        SandboxLimits limits;
        limits.allowCgroup = false;
        QCOMPARE(memoryBoundFor(limits), MemoryBound::ProcessLimits);
    }
};

QTEST_GUILESS_MAIN(TestSandboxCgroup)
#include "tst_sandboxcgroup.moc"
