#include "E2bWorkFiles.h"

#include "sandbox/PythonLiteral.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSaveFile>

#include <algorithm>

namespace safecell {

namespace {

// Run by isolatedPythonCell, like the variable listing (E2bVariables.cpp);
// it needs nothing of the session's namespace.
// A name that is not valid UTF-8 cannot travel as JSON text: it is left
// out, and the listing says it is incomplete.
constexpr char kListFiles[] = R"(
def _safecell_show_files(namespace):
    import os, stat
    from IPython.display import display
    root, files, visited, truncated = %1, [], 0, False
    folders = [('', 0)]
    while folders and not truncated:
        prefix, depth = folders.pop()
        try:
            entries = list(os.scandir(os.path.join(root, prefix)))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith('.'):
                continue
            visited += 1
            if visited > %2:
                truncated = True
                break
            try:
                entry.name.encode('utf-8')
                status = entry.stat(follow_symlinks=False)
            except (OSError, UnicodeEncodeError):
                truncated = True
                continue
            path = prefix + entry.name
            if stat.S_ISREG(status.st_mode):
                files.append((status.st_mtime_ns, path, status.st_size, status.st_ctime_ns))
            elif stat.S_ISDIR(status.st_mode):
                if depth + 1 < %3:
                    folders.append((path + '/', depth + 1))
                else:
                    truncated = True
    files.sort(reverse=True)
    truncated = truncated or len(files) > %4
    listed = [{'path': path, 'size': size, 'modifiedMs': modified // 1000000, 'changedMs': changed // 1000000}
              for modified, path, size, changed in files[:%4]]
    display({'application/json': {'%5': {'files': listed, 'truncated': truncated}}}, raw=True)
)";

bool isSafeRelativePath(const QString &path)
{
    // A lone surrogate has no bytes to name a file by (E2B's names are UTF-8).
    if (path.isEmpty() || path.size() > 4096 || path.startsWith(QLatin1Char('/')) || path.contains(QChar(0))
        || !path.isValidUtf16())
        return false;
    const QStringList parts = path.split(QLatin1Char('/'));
    if (parts.size() > workfiles::kMaxDepth)
        return false;
    return std::none_of(parts.cbegin(), parts.cend(),
                        [](const QString &part) { return part.isEmpty() || part.startsWith(QLatin1Char('.')); });
}

QDateTime timeOf(const QJsonValue &value)
{
    // Bounded before the conversion: a listing may send any number.
    return QDateTime::fromMSecsSinceEpoch(qint64(qBound(0.0, value.toDouble(), 1e14)));
}

} // namespace

QString e2bWorkFilesCode(const QString &root)
{
    const QString listing = QString::fromLatin1(kListFiles)
                                .arg(pythonStringLiteral(root), QString::number(workfiles::kMaxVisited),
                                     QString::number(workfiles::kMaxDepth), QString::number(workfiles::kMaxListed),
                                     QLatin1String(kSafecellWorkFilesKey));
    return isolatedPythonCell(listing, QStringLiteral("_safecell_show_files"));
}

RemoteWorkFiles parseRemoteWorkFiles(const QJsonObject &object)
{
    RemoteWorkFiles listing;
    listing.truncated = object.value(QStringLiteral("truncated")).toBool();
    QSet<QString> seen;
    for (const QJsonValue &value : object.value(QStringLiteral("files")).toArray()) {
        if (listing.files.size() == workfiles::kMaxListed) {
            listing.truncated = true;
            break;
        }
        const QJsonObject entry = value.toObject();
        WorkFile file;
        file.path = entry.value(QStringLiteral("path")).toString();
        const double size = entry.value(QStringLiteral("size")).toDouble(-1);
        if (!isSafeRelativePath(file.path) || seen.contains(file.path) || !(size >= 0 && size < 1e15)) {
            listing.truncated = true;
            continue;
        }
        seen.insert(file.path);
        file.size = qint64(size);
        file.modified = timeOf(entry.value(QStringLiteral("modifiedMs")));
        file.changed = timeOf(entry.value(QStringLiteral("changedMs")));
        listing.files << file;
    }
    return listing;
}

E2bWorkMirror::E2bWorkMirror()
{
    if (m_dir.isValid())
        QFile::setPermissions(m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

qint64 E2bWorkMirror::totalBytes() const
{
    qint64 total = 0;
    for (const Copy &copy : m_copies)
        total += copy.file.size;
    return total;
}

QList<WorkFile> E2bWorkMirror::update(const QString &sandboxId, const RemoteWorkFiles &listing)
{
    QSet<QString> listed;
    for (const WorkFile &file : listing.files)
        listed.insert(file.path);
    // A listing cut short says nothing of the files it did not reach.
    for (auto it = m_copies.begin(); it != m_copies.end();) {
        if (it->sandboxId == sandboxId && !listing.truncated && !listed.contains(it.key())) {
            QFile::remove(QDir(root()).filePath(it.key()));
            it = m_copies.erase(it);
        } else {
            ++it;
        }
    }
    m_truncated = listing.truncated;
    QList<WorkFile> wanted;
    qint64 budget = kMaxTotalBytes - totalBytes();
    for (const WorkFile &file : listing.files) {
        const auto copy = m_copies.constFind(file.path);
        if (copy != m_copies.cend() && copy->sandboxId == sandboxId && copy->file == file)
            continue; // unchanged since it was copied
        const qint64 replaced = copy != m_copies.cend() ? copy->file.size : 0;
        if (file.size > kMaxFileBytes || file.size - replaced > budget) {
            m_truncated = true;
            continue;
        }
        budget -= file.size - replaced;
        wanted << file;
    }
    return wanted;
}

bool E2bWorkMirror::store(const QString &sandboxId, const WorkFile &file, const QByteArray &bytes, QString *error)
{
    if (!isSafeRelativePath(file.path) || bytes.size() > kMaxFileBytes) {
        *error = QStringLiteral("refused");
        return false;
    }
    const QString target = QDir(root()).filePath(file.path);
    // A path once a file may now be a folder (or the reverse): the old copy goes.
    const QString parent = QFileInfo(target).path();
    for (QString at = parent; at.size() > root().size(); at = QFileInfo(at).path()) {
        if (QFileInfo(at).isFile()) {
            QFile::remove(at);
            m_copies.remove(at.mid(root().size() + 1));
        }
    }
    if (QFileInfo(target).isDir()) {
        QDir(target).removeRecursively();
        const QString inside = file.path + QLatin1Char('/');
        m_copies.removeIf([&inside](const auto &entry) { return entry.key().startsWith(inside); });
    }
    if (!QDir().mkpath(parent)) {
        *error = QStringLiteral("cannot make its folder");
        return false;
    }
    QSaveFile out(target);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        *error = out.errorString();
        return false;
    }
    WorkFile copied = file;
    copied.size = bytes.size();
    m_copies.insert(file.path, {sandboxId, copied});
    return true;
}

WorkFileListing E2bWorkMirror::listing() const
{
    WorkFileListing listing;
    listing.root = root();
    listing.truncated = m_truncated;
    listing.maxFileBytes = kMaxFileBytes;
    for (const Copy &copy : m_copies)
        listing.files << copy.file;
    std::sort(listing.files.begin(), listing.files.end(), [](const WorkFile &a, const WorkFile &b) {
        return a.modified != b.modified ? a.modified > b.modified : a.path < b.path;
    });
    if (listing.files.size() > workfiles::kMaxListed) {
        listing.files.resize(workfiles::kMaxListed);
        listing.truncated = true;
    }
    return listing;
}

} // namespace safecell
