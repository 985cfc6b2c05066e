#include "SandboxLeftovers.h"

#include "common/Logging.h"
#include "sandbox/SandboxCgroup.h"

#include <QDir>
#include <QFile>
#include <QMutex>
#include <QRegularExpression>
#include <QSet>

#include <unistd.h>

namespace safecell {

namespace {

QString startTimeOf(const QString &pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    // Field 22, counted after the command name, which may hold spaces.
    const QList<QByteArray> fields = stat.readAll().split(')').value(1).simplified().split(' ');
    return QString::fromLatin1(fields.value(19));
}

// "safecell-work-<pid>-<start>-XXXXXX" and friends: the owner tag, or empty.
QString ownerOf(const QString &name, const QString &prefix)
{
    static const QRegularExpression tag(QStringLiteral("^(\\d+-\\d+)-"));
    const auto match = tag.match(name.mid(prefix.size()));
    return match.hasMatch() ? match.captured(1) : QString();
}

void removeFolders(const QString &tempDir)
{
    const QDir dir(tempDir);
    for (const QString &prefix : {QStringLiteral("safecell-work-"), QStringLiteral("safecell-workspace-")}) {
        const QStringList names = dir.entryList({prefix + QLatin1Char('*')},
                                                QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
        for (const QString &name : names) {
            const QString owner = ownerOf(name, prefix);
            if (owner.isEmpty() || sandboxOwnerAlive(owner))
                continue;
            // Never follows a link out of the folder: removeRecursively
            // removes links, not what they point at.
            if (QDir(dir.filePath(name)).removeRecursively())
                qCInfo(lcSandbox) << "removed" << name << "left by a SafeCell that is gone";
        }
    }
}

void removeCgroups()
{
    const MemoryBoundPlan &plan = memoryBoundPlan();
    for (const QString &parent : {plan.memoryParent, plan.pidsParent}) {
        if (parent.isEmpty())
            continue;
        const QStringList names = QDir(parent).entryList({QStringLiteral("safecell-*")},
                                                         QDir::Dirs | QDir::NoDotAndDotDot);
        for (const QString &name : names) {
            const QString owner = ownerOf(name, QStringLiteral("safecell-"));
            // Only empty cgroups can go; a busy one stays for the next time.
            if (!owner.isEmpty() && !sandboxOwnerAlive(owner))
                ::rmdir(QFile::encodeName(parent + QLatin1Char('/') + name).constData());
        }
    }
}

} // namespace

QString sandboxOwnerTag()
{
    static const QString tag = QStringLiteral("%1-%2").arg(getpid()).arg(startTimeOf(QStringLiteral("self")));
    return tag;
}

bool sandboxOwnerAlive(const QString &tag)
{
    const qsizetype dash = tag.indexOf(QLatin1Char('-'));
    if (dash <= 0)
        return false;
    const QString start = startTimeOf(tag.left(dash));
    return !start.isEmpty() && start == tag.mid(dash + 1);
}

void removeSandboxLeftovers(const QString &tempDir)
{
    static QMutex mutex;
    static QSet<QString> done;
    const QMutexLocker lock(&mutex);
    const QString key = QDir(tempDir).canonicalPath();
    if (done.contains(key))
        return;
    if (done.isEmpty())
        removeCgroups();
    done.insert(key);
    removeFolders(tempDir);
}

} // namespace safecell
