#include "sandbox/Bubblewrap.h"

#include <QDir>
#include <QTest>

using namespace safecell;

namespace {

// True when `args` holds the flag followed by the given values.
bool hasSequence(const QStringList &args, const QStringList &sequence)
{
    for (qsizetype i = 0; i + sequence.size() <= args.size(); ++i) {
        if (args.mid(i, sequence.size()) == sequence)
            return true;
    }
    return false;
}

} // namespace

class TestBubblewrap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void isolatesByDefault()
    {
        SandboxLimits limits;
        const auto command = bubblewrapCommand({QStringLiteral("/usr/bin/bwrap"),
                                                QStringLiteral("/tmp/w"),
                                                {},
                                                MemoryBound::CgroupV1},
                                               limits, {QStringLiteral("/usr/bin/python3"), QStringLiteral("-")});
        QCOMPARE(command.program, QStringLiteral("/usr/bin/bwrap"));
        const QStringList &a = command.arguments;
        QVERIFY(a.contains(QStringLiteral("--as-pid-1")));
        QVERIFY(hasSequence(a, {QStringLiteral("--size"), QString::number(512 << 20), QStringLiteral("--tmpfs"),
                                QStringLiteral("/tmp")}));
        QVERIFY(hasSequence(a, {QStringLiteral("--size"), QString::number(256 << 20), QStringLiteral("--tmpfs"),
                                QStringLiteral("/dev/shm")}));
        // /dev/shm goes over the one --dev makes, so after it.
        QVERIFY(a.indexOf(QStringLiteral("/dev/shm")) > a.indexOf(QStringLiteral("--dev")));
        QVERIFY(a.contains(QStringLiteral("--unshare-all")));
        QVERIFY(a.contains(QStringLiteral("--die-with-parent")));
        QVERIFY(a.contains(QStringLiteral("--new-session")));
        QVERIFY(a.contains(QStringLiteral("--clearenv")));
        QVERIFY(a.contains(QStringLiteral("--disable-userns")));
        QVERIFY(a.contains(QStringLiteral("--seccomp")));
        QVERIFY(hasSequence(a, {QStringLiteral("--ro-bind"), QStringLiteral("/usr"), QStringLiteral("/usr")}));
        QVERIFY(hasSequence(a, {QStringLiteral("--bind"), QStringLiteral("/tmp/w"), QStringLiteral("/work")}));
        QVERIFY(hasSequence(a, {QStringLiteral("--uid"), QStringLiteral("65534")}));
        QVERIFY(hasSequence(a, {QStringLiteral("--nproc=64:64")}));
        QVERIFY(hasSequence(a, {QStringLiteral("--remount-ro"), QStringLiteral("/")}));
        QVERIFY(!a.contains(QStringLiteral("/home")));
        QVERIFY(!a.contains(QStringLiteral("/etc/shadow")));
        QVERIFY(!a.contains(QStringLiteral("/data")));
        QCOMPARE(a.last(), QStringLiteral("-"));
    }

    void withoutACgroupFewerProcessesBoundTheMemory()
    {
        SandboxLimits limits;
        limits.memoryLimitMb = 2048;
        const auto command = bubblewrapCommand({QStringLiteral("bwrap"), QStringLiteral("/tmp/w")}, limits,
                                               {QStringLiteral("python3")});
        const ProcessLimitsFallback fallback = processLimitsFallback(limits);
        QVERIFY(fallback.processes * fallback.addressSpaceMb <= limits.memoryLimitMb);
        QVERIFY(hasSequence(command.arguments, {QStringLiteral("--nproc=%1:%1").arg(fallback.processes)}));
    }

    void runsUnderItsPrefix()
    {
        const QStringList prefix{QStringLiteral("/usr/bin/systemd-run"), QStringLiteral("--user"), QStringLiteral("--"),
                                 QStringLiteral("/usr/bin/nsenter"), QStringLiteral("--")};
        const auto command = bubblewrapCommand({QStringLiteral("/usr/bin/bwrap"), QStringLiteral("/tmp/w"), prefix,
                                                MemoryBound::SystemdScope},
                                               SandboxLimits{}, {QStringLiteral("python3")});
        QCOMPARE(command.program, QStringLiteral("/usr/bin/systemd-run"));
        QCOMPARE(command.arguments.mid(0, 4), prefix.mid(1));
        QCOMPARE(command.arguments.at(4), QStringLiteral("/usr/bin/bwrap"));
    }

    void mountsTheDataFolderReadOnly()
    {
        SandboxLimits limits;
        limits.dataFolder = QDir::tempPath();
        const auto command = bubblewrapCommand({QStringLiteral("bwrap"), QStringLiteral("/tmp/w")}, limits,
                                               {QStringLiteral("python3")});
        QVERIFY(
            hasSequence(command.arguments, {QStringLiteral("--ro-bind"), QDir::tempPath(), QStringLiteral("/data")}));
    }

    void explainsMissingUserNamespaces()
    {
        QVERIFY(explainBubblewrapFailure(QStringLiteral("bwrap: No permissions to creating new namespace"))
                    .contains(QStringLiteral("unprivileged_userns_clone")));
        QVERIFY(explainBubblewrapFailure(QStringLiteral("bwrap: Can't find source path /x")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestBubblewrap)
#include "tst_bubblewrap.moc"
