#include "SandboxCgroup.h"

#include "common/Logging.h"
#include "sandbox/SandboxLeftovers.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <optional>
#include <unistd.h>

namespace safecell {

namespace {

// Below this share of the memory limit per process, the fallback would
// leave too little for Python with pandas and matplotlib (about 300 MB of
// address space).
constexpr qint64 kFallbackShareMb = 512;

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeValue(const QString &path, const QByteArray &value)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered))
        return false;
    return file.write(value) == value.size();
}

// The path of `cgroupPath` inside a mount whose root is `mountRoot` (not
// "/" where the hierarchy is bind-mounted from a container's part of it).
QString underMount(const QString &cgroupPath, const QString &mountRoot)
{
    if (mountRoot == QLatin1String("/") || !cgroupPath.startsWith(mountRoot))
        return cgroupPath;
    const QString rest = cgroupPath.mid(mountRoot.size());
    return rest.isEmpty() ? QStringLiteral("/") : rest;
}

QString join(const QString &mount, const QString &path)
{
    return QDir::cleanPath(mount + QLatin1Char('/') + path);
}

bool hasControllers(const QString &file, const QStringList &wanted)
{
    const QList<QByteArray> present = readAll(file).simplified().split(' ');
    return std::all_of(wanted.cbegin(), wanted.cend(),
                       [&present](const QString &c) { return present.contains(c.toLatin1()); });
}

std::optional<MemoryBoundPlan> planCgroupV2(const CgroupSystem &system)
{
    if (system.v2Mount.isEmpty())
        return std::nullopt;
    // Our own cgroup holds processes, so (the "no internal processes" rule)
    // its children could not have controllers: sandboxes go under the root.
    const QString parent = system.v2Mount;
    const QStringList wanted{QStringLiteral("memory"), QStringLiteral("pids")};
    if (!hasControllers(parent + QStringLiteral("/cgroup.controllers"), wanted))
        return std::nullopt;
    if (!hasControllers(parent + QStringLiteral("/cgroup.subtree_control"), wanted)
        && !writeValue(parent + QStringLiteral("/cgroup.subtree_control"), "+memory +pids"))
        return std::nullopt;
    if (!QFileInfo(parent).isWritable())
        return std::nullopt;
    return MemoryBoundPlan{MemoryBound::CgroupV2, parent, {}, QStringLiteral("cgroup v2 children of %1").arg(parent)};
}

std::optional<MemoryBoundPlan> planCgroupV1(const CgroupSystem &system)
{
    if (system.v1MemoryMount.isEmpty())
        return std::nullopt;
    const QString memory = join(system.v1MemoryMount, system.v1MemoryPath);
    if (!QFileInfo(memory + QStringLiteral("/memory.limit_in_bytes")).exists() || !QFileInfo(memory).isWritable())
        return std::nullopt;
    QString pids;
    if (!system.v1PidsMount.isEmpty()) {
        pids = join(system.v1PidsMount, system.v1PidsPath);
        if (!QFileInfo(pids).isWritable())
            pids.clear();
    }
    return MemoryBoundPlan{MemoryBound::CgroupV1, memory, pids,
                           QStringLiteral("cgroup v1 children of %1%2")
                               .arg(memory, pids.isEmpty() ? QString() : QStringLiteral(" and ") + pids)};
}

std::optional<MemoryBoundPlan> planSystemdScope(const CgroupSystem &system, const MemoryBoundProbe &probe)
{
    if (probe.systemdRun.isEmpty() || probe.nsenter.isEmpty() || probe.xdgRuntimeDir.isEmpty()
        || system.v2Mount.isEmpty())
        return std::nullopt;
    // A running user manager, with memory and pids delegated to it (the
    // Debian default for user@.service).
    if (!QFileInfo::exists(probe.xdgRuntimeDir + QStringLiteral("/systemd/private")))
        return std::nullopt;
    const QString manager = QStringLiteral("%1/user.slice/user-%2.slice/user@%2.service/cgroup.controllers")
                                .arg(system.v2Mount)
                                .arg(probe.uid);
    if (!hasControllers(manager, {QStringLiteral("memory"), QStringLiteral("pids")}))
        return std::nullopt;
    return MemoryBoundPlan{MemoryBound::SystemdScope, {}, {}, QStringLiteral("a systemd --user scope per sandbox")};
}

// A cgroup can only go once the killed processes in it are reaped, which
// takes a moment: retried from the event loop rather than making the
// sandbox's thread (a fresh kernel's start) wait. What is still busy after
// that is removed at the next start (removeSandboxLeftovers).
constexpr int kRemoveAttempts = 40;
constexpr int kRemoveIntervalMs = 50;

void removeWhenEmpty(QStringList folders, int attemptsLeft)
{
    folders.removeIf(
        [](const QString &folder) { return ::rmdir(QFile::encodeName(folder).constData()) == 0 || errno != EBUSY; });
    if (folders.isEmpty() || attemptsLeft <= 0 || !QCoreApplication::instance())
        return;
    QTimer::singleShot(kRemoveIntervalMs, QCoreApplication::instance(),
                       [folders, attemptsLeft] { removeWhenEmpty(folders, attemptsLeft - 1); });
}

} // namespace

CgroupSystem CgroupSystem::parse(const QByteArray &procSelfCgroup, const QByteArray &mountinfo)
{
    CgroupSystem system;
    QString v2Root;
    QString memoryRoot;
    QString pidsRoot;
    for (const QByteArray &line : mountinfo.split('\n')) {
        const QList<QByteArray> fields = line.split(' ');
        const qsizetype dash = fields.indexOf("-");
        if (dash < 5 || fields.size() < dash + 4)
            continue;
        const QString root = QString::fromUtf8(fields.at(3));
        const QString mountPoint = QString::fromUtf8(fields.at(4));
        const QByteArray type = fields.at(dash + 1);
        const QList<QByteArray> options = fields.at(dash + 3).split(',');
        if (type == "cgroup2" && system.v2Mount.isEmpty()) {
            system.v2Mount = mountPoint;
            v2Root = root;
        } else if (type == "cgroup" && options.contains("memory")) {
            system.v1MemoryMount = mountPoint;
            memoryRoot = root;
        } else if (type == "cgroup" && options.contains("pids")) {
            system.v1PidsMount = mountPoint;
            pidsRoot = root;
        }
    }
    for (const QByteArray &line : procSelfCgroup.split('\n')) {
        const QList<QByteArray> parts = line.split(':');
        if (parts.size() < 3)
            continue;
        const QString path = QString::fromUtf8(parts.mid(2).join(':'));
        const QList<QByteArray> controllers = parts.at(1).split(',');
        if (parts.at(0) == "0" && parts.at(1).isEmpty())
            system.v2Path = underMount(path, v2Root);
        else if (controllers.contains("memory"))
            system.v1MemoryPath = underMount(path, memoryRoot);
        else if (controllers.contains("pids"))
            system.v1PidsPath = underMount(path, pidsRoot);
    }
    if (system.v1MemoryPath.isEmpty())
        system.v1MemoryMount.clear();
    if (system.v1PidsPath.isEmpty())
        system.v1PidsMount.clear();
    return system;
}

CgroupSystem CgroupSystem::ofThisProcess()
{
    return parse(readAll(QStringLiteral("/proc/self/cgroup")), readAll(QStringLiteral("/proc/self/mountinfo")));
}

MemoryBoundPlan planMemoryBound(const CgroupSystem &system, const MemoryBoundProbe &probe)
{
    if (probe.root) {
        if (auto plan = planCgroupV2(system))
            return *plan;
        if (auto plan = planCgroupV1(system))
            return *plan;
    } else if (auto plan = planSystemdScope(system, probe)) {
        return *plan;
    }
    return {MemoryBound::ProcessLimits,
            {},
            {},
            probe.root ? QStringLiteral("no cgroup with the memory controller can be created here")
                       : QStringLiteral("no systemd user manager with the memory controller delegated")};
}

const MemoryBoundPlan &memoryBoundPlan()
{
    static const MemoryBoundPlan plan = [] {
        MemoryBoundProbe probe;
        probe.root = geteuid() == 0;
        probe.uid = getuid();
        probe.xdgRuntimeDir = qEnvironmentVariable("XDG_RUNTIME_DIR");
        probe.systemdRun = QStandardPaths::findExecutable(QStringLiteral("systemd-run"));
        probe.nsenter = QStandardPaths::findExecutable(QStringLiteral("nsenter"));
        MemoryBoundPlan made = planMemoryBound(CgroupSystem::ofThisProcess(), probe);
        qCInfo(lcSandbox) << "sandbox memory bound:" << memoryBoundName(made.bound) << "-" << made.why;
        return made;
    }();
    return plan;
}

MemoryBound memoryBoundFor(const SandboxLimits &limits)
{
    return limits.allowCgroup ? memoryBoundPlan().bound : MemoryBound::ProcessLimits;
}

QString memoryBoundName(MemoryBound bound)
{
    switch (bound) {
    case MemoryBound::CgroupV2:
        return QStringLiteral("cgroup v2");
    case MemoryBound::CgroupV1:
        return QStringLiteral("cgroup v1");
    case MemoryBound::SystemdScope:
        return QStringLiteral("systemd scope");
    case MemoryBound::ProcessLimits:
        return QStringLiteral("process limits");
    }
    Q_UNREACHABLE();
}

QString memoryBoundDescription(MemoryBound bound, const SandboxLimits &limits)
{
    if (bound == MemoryBound::ProcessLimits) {
        const ProcessLimitsFallback fallback = processLimitsFallback(limits);
        return QStringLiteral("No cgroup can be had here, so the sandbox's memory is bounded by its process count: "
                              "at most %1 processes of %2 MB of address space each (%3 MB in all).")
            .arg(fallback.processes)
            .arg(fallback.addressSpaceMb)
            .arg(fallback.processes * fallback.addressSpaceMb);
    }
    return QStringLiteral("Each sandbox has its own %1: at most %2 MB of memory and %3 processes for all of "
                          "a snippet's processes together.")
        .arg(memoryBoundName(bound))
        .arg(limits.memoryLimitMb)
        .arg(limits.maxProcesses);
}

ProcessLimitsFallback processLimitsFallback(const SandboxLimits &limits)
{
    // Two at least: the kernel's driver and the process that runs the snippet.
    const qint64 processes = std::clamp(limits.memoryLimitMb / kFallbackShareMb, qint64(2),
                                        std::max(qint64(2), limits.maxProcesses));
    return {processes, limits.memoryLimitMb / processes};
}

QStringList systemdScopePrefix(const QString &systemdRun, const SandboxLimits &limits)
{
    return {systemdRun,
            QStringLiteral("--user"),
            QStringLiteral("--scope"),
            QStringLiteral("--quiet"),
            QStringLiteral("--collect"),
            QStringLiteral("--property=MemoryMax=%1").arg(limits.memoryLimitMb << 20),
            QStringLiteral("--property=MemorySwapMax=0"),
            QStringLiteral("--property=TasksMax=%1").arg(limits.maxProcesses + kCgroupPidsSlack),
            QStringLiteral("--")};
}

QString sandboxCgroupPrefix()
{
    static const QString prefix = QStringLiteral("safecell-%1-").arg(sandboxOwnerTag());
    return prefix;
}

Expected<std::unique_ptr<SandboxCgroup>, QString> SandboxCgroup::create(const MemoryBoundPlan &plan,
                                                                        const SandboxLimits &limits)
{
    static std::atomic<int> counter{0};
    const QString name = sandboxCgroupPrefix() + QString::number(++counter);
    std::unique_ptr<SandboxCgroup> cgroup(new SandboxCgroup);
    cgroup->m_v2 = plan.bound == MemoryBound::CgroupV2;
    const QByteArray memory = QByteArray::number(limits.memoryLimitMb << 20);
    const QByteArray pids = QByteArray::number(limits.maxProcesses + kCgroupPidsSlack);

    struct Setting {
        const char *file;
        QByteArray value;
        bool required;
    };
    const auto make = [&cgroup, &name](const QString &parent, std::initializer_list<Setting> settings) -> QString {
        const QString folder = parent + QLatin1Char('/') + name;
        if (!QDir().mkdir(folder))
            return QStringLiteral("cannot create the cgroup %1").arg(folder);
        cgroup->m_folders << folder;
        for (const Setting &s : settings) {
            const QString file = folder + QLatin1Char('/') + QString::fromLatin1(s.file);
            if (!writeValue(file, s.value) && (s.required || QFileInfo::exists(file)))
                return QStringLiteral("cannot set %1").arg(file);
        }
        // (cgroupfs makes the file with the folder; O_CREAT only matters to
        // a stand-in hierarchy in a test.)
        const int fd = ::open(QFile::encodeName(folder + QStringLiteral("/cgroup.procs")).constData(),
                              O_WRONLY | O_CLOEXEC | O_CREAT, 0600);
        if (fd < 0)
            return QStringLiteral("cannot open %1/cgroup.procs").arg(folder);
        cgroup->m_joinFds << fd;
        return {};
    };

    QString error;
    if (plan.bound == MemoryBound::CgroupV2) {
        error = make(plan.memoryParent,
                     {{"memory.max", memory, true}, {"memory.swap.max", "0", false}, {"pids.max", pids, true}});
    } else if (plan.bound == MemoryBound::CgroupV1) {
        // memsw (memory + swap) may only be set once the memory limit is.
        error = make(plan.memoryParent,
                     {{"memory.limit_in_bytes", memory, true}, {"memory.memsw.limit_in_bytes", memory, false}});
        if (error.isEmpty() && !plan.pidsParent.isEmpty())
            error = make(plan.pidsParent, {{"pids.max", pids, true}});
    } else {
        return unexpected(QStringLiteral("%1 needs no cgroup of SafeCell's").arg(memoryBoundName(plan.bound)));
    }
    if (!error.isEmpty())
        return unexpected(error);
    return cgroup;
}

void SandboxCgroup::killAll() const
{
    for (const QString &folder : m_folders) {
        if (m_v2 && writeValue(folder + QStringLiteral("/cgroup.kill"), "1"))
            continue;
        // Without cgroup.kill (v1, or kernels before 5.14): a few passes, for
        // what forks while we kill.
        for (int pass = 0; pass < 5; ++pass) {
            const QList<QByteArray> pids = readAll(folder + QStringLiteral("/cgroup.procs")).split('\n');
            bool any = false;
            for (const QByteArray &pid : pids) {
                if (const int n = pid.toInt(); n > 0) {
                    ::kill(n, SIGKILL);
                    any = true;
                }
            }
            if (!any)
                break;
        }
    }
}

SandboxCgroup::~SandboxCgroup()
{
    for (int fd : std::as_const(m_joinFds))
        ::close(fd);
    killAll();
    removeWhenEmpty(m_folders, kRemoveAttempts);
}

} // namespace safecell
