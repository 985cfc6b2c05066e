#include "SharedData.h"

#include "Bubblewrap.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <sys/stat.h>
#include <unistd.h>

namespace safecell {

QString sharedKindName(SharedKind kind)
{
    switch (kind) {
    case SharedKind::Csv:
        return QStringLiteral("CSV");
    case SharedKind::Tsv:
        return QStringLiteral("TSV");
    case SharedKind::Excel:
        return QStringLiteral("Excel");
    case SharedKind::Sqlite:
        return QStringLiteral("SQLite");
    case SharedKind::Folder:
        return QStringLiteral("folder");
    case SharedKind::Other:
        break;
    }
    return QStringLiteral("other");
}

SharedKind sharedKindOf(const QString &hostPath, bool isFolder)
{
    if (isFolder)
        return SharedKind::Folder;
    const QString suffix = QFileInfo(hostPath).suffix().toLower();
    if (suffix == QLatin1String("csv"))
        return SharedKind::Csv;
    if (suffix == QLatin1String("tsv") || suffix == QLatin1String("tab"))
        return SharedKind::Tsv;
    if (suffix == QLatin1String("xlsx") || suffix == QLatin1String("xlsm"))
        return SharedKind::Excel;
    if (suffix == QLatin1String("sqlite") || suffix == QLatin1String("sqlite3") || suffix == QLatin1String("db"))
        return SharedKind::Sqlite;
    return SharedKind::Other;
}

QString sanitizedShareName(const QString &fileName)
{
    QString name;
    for (const QChar c : fileName) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\') || c.category() == QChar::Other_Control)
            name += QLatin1Char('_');
        else
            name += c;
    }
    name = name.trimmed();
    while (name.startsWith(QLatin1Char('.'))) // no hidden name, no "." or ".."
        name.remove(0, 1);
    if (name.isEmpty())
        name = QStringLiteral("data");
    return name.left(200);
}

namespace {

QSet<QString> dataFolderEntries(const QString &dataFolder)
{
    if (dataFolder.isEmpty() || !QFileInfo(dataFolder).isDir())
        return {};
    const QStringList entries = QDir(dataFolder)
                                    .entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
    return {entries.cbegin(), entries.cend()};
}

QString uniqueName(const QString &wanted, const QSet<QString> &taken)
{
    if (!taken.contains(wanted))
        return wanted;
    const QFileInfo info(wanted);
    const QString base = info.completeBaseName().isEmpty() ? wanted : info.completeBaseName();
    const QString suffix = info.suffix().isEmpty() || info.completeBaseName().isEmpty()
                               ? QString()
                               : QLatin1Char('.') + info.suffix();
    for (int n = 2;; ++n) {
        const QString candidate = QStringLiteral("%1-%2%3").arg(base).arg(n).arg(suffix);
        if (!taken.contains(candidate))
            return candidate;
    }
}

} // namespace

Expected<SharedPath, QString> SharedData::add(const QString &hostPath, const QString &dataFolder)
{
    const QFileInfo given(hostPath);
    if (!given.exists()) {
        return unexpected(QStringLiteral("%1 cannot be shared: it does not exist%2.")
                              .arg(hostPath, given.isSymLink() ? QStringLiteral(" (a link to nothing)") : QString()));
    }
    const QString canonical = given.canonicalFilePath();
    const QFileInfo info(canonical);
    if (!info.isFile() && !info.isDir()) {
        return unexpected(QStringLiteral("%1 cannot be shared: only files and folders can be (not a device, "
                                         "pipe or socket).")
                              .arg(hostPath));
    }
    if (!info.isReadable() || (info.isDir() && !info.isExecutable()))
        return unexpected(QStringLiteral("%1 cannot be shared: SafeCell may not read it.").arg(hostPath));
    if (canonical == QLatin1String("/")) {
        return unexpected(QStringLiteral("The whole file system cannot be shared: pick the folder or the files "
                                         "the snippet needs."));
    }
    // The home folder holds keys, tokens and settings (~/.ssh, ~/.config):
    // never all of it at once.
    if (const QString home = QFileInfo(QDir::homePath()).canonicalFilePath();
        !home.isEmpty() && home != QLatin1String("/")
        && (canonical == home || home.startsWith(canonical + QLatin1Char('/')))) {
        return unexpected(QStringLiteral("%1 cannot be shared: it holds your whole home folder, with its keys and "
                                         "settings. Pick the folder or the files the snippet needs.")
                              .arg(hostPath));
    }
    // After the refusals of policy: a folder never allowed gets that answer,
    // not a permission hint that would lead to sharing it anyway.
    if (geteuid() == 0) {
        if (const QString blocked = blockedForSandboxUser(canonical, info.isDir()); !blocked.isEmpty())
            return unexpected(QStringLiteral("%1 cannot be shared: SafeCell runs as root, so snippets run as the "
                                             "unprivileged user nobody, who may not read %2. Make it readable by "
                                             "others (chmod o+x on its folders, o+r on the file), or run SafeCell "
                                             "as yourself.")
                                  .arg(hostPath, blocked));
    }
    QSet<QString> taken;
    for (const SharedPath &share : std::as_const(m_paths)) {
        if (share.hostPath == canonical)
            return unexpected(QStringLiteral("%1 is shared already, at %2.").arg(hostPath, share.sandboxPath()));
        taken.insert(share.name);
    }
    const QString wanted = sanitizedShareName(info.fileName());
    if (dataFolderEntries(dataFolder).contains(wanted)) {
        return unexpected(QStringLiteral("%1 cannot be shared as /data/%2: the data folder set in the settings "
                                         "(%3) has an entry of that name. Rename the file, or remove the entry "
                                         "from that folder.")
                              .arg(hostPath, wanted, dataFolder));
    }
    SharedPath share;
    share.hostPath = canonical;
    share.name = uniqueName(wanted, taken);
    share.kind = sharedKindOf(canonical, info.isDir());
    share.size = info.isDir() ? 0 : info.size();
    m_paths.append(share);
    return share;
}

namespace {

// Whether the sandbox user has `bits` (as the owner's, group's or others'
// r/w/x of a mode) on what `status` describes.
bool sandboxUserMay(const struct stat &status, mode_t ownerBit, mode_t groupBit, mode_t otherBit)
{
    if (status.st_uid == kSandboxUid)
        return status.st_mode & ownerBit;
    if (status.st_gid == kSandboxGid)
        return status.st_mode & groupBit;
    return status.st_mode & otherBit;
}

} // namespace

QString blockedForSandboxUser(const QString &canonicalPath, bool isFolder)
{
    const QStringList parts = canonicalPath.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString path;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const bool folder = i + 1 < parts.size() || isFolder;
        const QString parent = path.isEmpty() ? QStringLiteral("/") : path;
        struct stat status {};
        if (::stat(QFile::encodeName(parent).constData(), &status) != 0
            || !sandboxUserMay(status, S_IXUSR, S_IXGRP, S_IXOTH))
            return parent;
        path += QLatin1Char('/') + parts.at(i);
        if (i + 1 < parts.size())
            continue;
        if (::stat(QFile::encodeName(path).constData(), &status) != 0
            || !sandboxUserMay(status, S_IRUSR, S_IRGRP, S_IROTH)
            || (folder && !sandboxUserMay(status, S_IXUSR, S_IXGRP, S_IXOTH)))
            return path;
    }
    return {};
}

bool SharedData::remove(const QString &name)
{
    return m_paths.removeIf([&name](const SharedPath &share) { return share.name == name; }) > 0;
}

QStringList dataMountArguments(const QString &dataFolder, const QList<SharedPath> &shares)
{
    const bool folder = !dataFolder.isEmpty() && QFileInfo(dataFolder).isDir();
    const QString ro = QStringLiteral("--ro-bind");
    if (shares.isEmpty())
        return folder ? QStringList{ro, dataFolder, QStringLiteral("/data")} : QStringList{};
    // /data is a folder of the root, which is remounted read-only after the
    // binds: a snippet can neither add to it nor write through it.
    QStringList args{QStringLiteral("--dir"), QStringLiteral("/data")};
    QSet<QString> names;
    for (const SharedPath &share : shares) {
        const QString target = QFileInfo(share.hostPath).canonicalFilePath();
        if (target.isEmpty() || share.name.isEmpty() || share.name.contains(QLatin1Char('/')))
            continue;
        names.insert(share.name);
        args << ro << target << share.sandboxPath();
    }
    if (folder) {
        const QDir dir(dataFolder);
        for (const QString &entry :
             dir.entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name)) {
            if (names.contains(entry))
                continue; // refused when the share was added; the share wins if the folder changed since
            const QString source = dir.filePath(entry);
            const QString target = QStringLiteral("/data/") + entry;
            if (QFileInfo(source).isSymLink()) {
                // As when the whole folder is bound: the link is read inside
                // the sandbox, never followed on the host.
                const QByteArray native = QFile::encodeName(source);
                char link[4096];
                const ssize_t length = ::readlink(native.constData(), link, sizeof link);
                if (length > 0 && length < ssize_t(sizeof link))
                    args << QStringLiteral("--symlink") << QFile::decodeName(QByteArray(link, length)) << target;
                continue;
            }
            args << ro << source << target;
        }
    }
    return args;
}

QString describeShareChange(const QList<SharedPath> &before, const QList<SharedPath> &after)
{
    QStringList added;
    QStringList removed;
    for (const SharedPath &share : after) {
        if (!before.contains(share))
            added << share.sandboxPath();
    }
    for (const SharedPath &share : before) {
        if (!after.contains(share))
            removed << share.sandboxPath();
    }
    QStringList parts;
    if (!added.isEmpty())
        parts << QStringLiteral("added %1").arg(added.join(QStringLiteral(", ")));
    if (!removed.isEmpty())
        parts << QStringLiteral("removed %1").arg(removed.join(QStringLiteral(", ")));
    return parts.join(QStringLiteral("; "));
}

} // namespace safecell
