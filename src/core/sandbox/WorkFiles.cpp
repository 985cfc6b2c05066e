#include "sandbox/WorkFiles.h"

#include <QFile>
#include <QSaveFile>
#include <QStringDecoder>

#include <algorithm>
#include <utility>

#include <cerrno>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace safecell::workfiles {

namespace {

// What a file may claim beyond the blocks it has before it counts as sparse.
constexpr qint64 kSparseSlack = 1 << 20;

// A descriptor closed when it goes out of scope.
class Fd {
public:
    explicit Fd(int fd = -1)
        : m_fd(fd)
    {
    }
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }
    void reset(int fd)
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }

private:
    int m_fd;
};

// A file name's bytes as text that maps back to the same bytes, as
// Python's "surrogateescape" does: each byte that is not part of valid
// UTF-8 becomes a lone surrogate U+DC80..U+DCFF. QFile::decodeName would
// turn it into U+FFFD, and the file could not be opened by its listed name.
QString utf8Text(QByteArrayView bytes)
{
    // QString::fromUtf8 drops a byte order mark at the start: a name that
    // begins with one is another file than the name without it.
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::ConvertInitialBom | QStringDecoder::Flag::Stateless);
    return decoder.decode(bytes);
}

QString nameOf(QByteArrayView bytes)
{
    if (QUtf8StringView(bytes).isValidUtf8())
        return utf8Text(bytes);
    QString name;
    qsizetype at = 0;
    while (at < bytes.size()) {
        const auto lead = static_cast<unsigned char>(bytes[at]);
        const qsizetype length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0;
        const QByteArrayView sequence = bytes.sliced(at, qMin(qMax<qsizetype>(length, 1), bytes.size() - at));
        if (length > 0 && sequence.size() == length && QUtf8StringView(sequence).isValidUtf8()) {
            name += utf8Text(sequence);
            at += length;
        } else {
            name += QChar(char16_t(0xDC00 + lead));
            ++at;
        }
    }
    return name;
}

} // namespace

QByteArray nameBytes(const QString &name)
{
    QByteArray bytes;
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        const bool escaped = c >= 0xDC80 && c <= 0xDCFF && !(i > 0 && name.at(i - 1).isHighSurrogate());
        if (!escaped)
            continue;
        bytes += QStringView(name).sliced(runStart, i - runStart).toUtf8();
        bytes += char(c - 0xDC00);
        runStart = i + 1;
    }
    bytes += QStringView(name).sliced(runStart).toUtf8();
    return bytes;
}

namespace {

QDateTime timeOf(const struct timespec &at)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(at.tv_sec) * 1000 + at.tv_nsec / 1000000);
}

struct Walk {
    WorkFileListing listing;
    int visited = 0;
};

void walk(int folderFd, const QString &prefix, int depth, Walk &state)
{
    // fdopendir takes the descriptor: give it a copy, ours stays for fstatat.
    DIR *dir = ::fdopendir(::dup(folderFd));
    if (!dir)
        return;
    while (const dirent *entry = ::readdir(dir)) {
        if (entry->d_name[0] == '.')
            continue; // ".", ".." and hidden names
        if (++state.visited > kMaxVisited) {
            state.listing.truncated = true;
            break;
        }
        struct stat status {};
        if (::fstatat(folderFd, entry->d_name, &status, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        const QString path = prefix + nameOf(QByteArrayView(entry->d_name));
        if (S_ISREG(status.st_mode)) {
            state.listing.files.append({path, qint64(status.st_size), timeOf(status.st_mtim), timeOf(status.st_ctim)});
        } else if (S_ISDIR(status.st_mode)) {
            if (depth + 1 >= kMaxDepth) {
                state.listing.truncated = true;
                continue;
            }
            const Fd child(::openat(folderFd, entry->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (child.get() >= 0)
                walk(child.get(), path + QLatin1Char('/'), depth + 1, state);
        }
    }
    ::closedir(dir);
}

// Opens `path` under the folder `rootFd` one component at a time, none of
// them a link (O_NOFOLLOW), none of them "." or "..".
Expected<int, QString> openBeneath(int rootFd, const QString &path)
{
    const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return unexpected(QStringLiteral("no file named"));
    Fd folder(::dup(rootFd));
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString &part = parts.at(i);
        if (part == QLatin1String(".") || part == QLatin1String(".."))
            return unexpected(QStringLiteral("/work/%1 is not a path inside /work").arg(path));
        const bool last = i + 1 == parts.size();
        const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY);
        Fd next(::openat(folder.get(), nameBytes(part).constData(), flags));
        if (next.get() < 0) {
            const int error = errno;
            return unexpected(
                error == ELOOP || error == ENOTDIR
                    ? QStringLiteral("/work/%1 is a link, or inside one: only the files a snippet "
                                     "wrote can be saved, not what a link points at")
                          .arg(path)
                    : QStringLiteral("cannot open /work/%1: %2").arg(path, QString::fromLocal8Bit(::strerror(error))));
        }
        folder.reset(next.release());
    }
    struct stat status {};
    if (::fstat(folder.get(), &status) != 0 || !S_ISREG(status.st_mode))
        return unexpected(QStringLiteral("/work/%1 is not a regular file").arg(path));
    return folder.release();
}

} // namespace

Expected<WorkFileListing, QString> list(const QString &root)
{
    const Fd rootFd(::open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (rootFd.get() < 0)
        return unexpected(QStringLiteral("cannot read the session's /work (%1): %2")
                              .arg(root, QString::fromLocal8Bit(::strerror(errno))));
    Walk state;
    state.listing.root = root;
    walk(rootFd.get(), QString(), 0, state);
    auto &files = state.listing.files;
    std::sort(files.begin(), files.end(), [](const WorkFile &a, const WorkFile &b) {
        return a.modified != b.modified ? a.modified > b.modified : a.path < b.path;
    });
    if (files.size() > kMaxListed) {
        files.resize(kMaxListed);
        state.listing.truncated = true;
    }
    return state.listing;
}

Expected<std::monostate, QString> copyOut(const QString &root, const QString &path, const QString &destination,
                                          qint64 maxBytes)
{
    const Fd rootFd(::open(QFile::encodeName(root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (rootFd.get() < 0)
        return unexpected(QStringLiteral("the session's /work is gone (the session ended or was restarted): "
                                         "/work/%1 can no longer be saved")
                              .arg(path));
    auto opened = openBeneath(rootFd.get(), path);
    if (!opened)
        return unexpected(opened.error());
    struct stat status {};
    if (::fstat(*opened, &status) != 0) {
        ::close(*opened);
        return unexpected(QStringLiteral("cannot read /work/%1").arg(path));
    }
    // Holes cost nothing in tmpfs: a file whose size is mostly holes would
    // put gigabytes of zeros on the analyst's disk for a few bytes of /work.
    const qint64 stored = qint64(status.st_blocks) * 512;
    if (status.st_size > maxBytes || status.st_size > stored + kSparseSlack) {
        ::close(*opened);
        return unexpected(QStringLiteral("/work/%1 claims %2 bytes but holds %3: it is sparse, and a copy would fill "
                                         "the disk with zeros, so it is not copied")
                              .arg(path)
                              .arg(qint64(status.st_size))
                              .arg(stored));
    }
    QFile source;
    if (!source.open(*opened, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(*opened);
        return unexpected(QStringLiteral("cannot read /work/%1: %2").arg(path, source.errorString()));
    }
    // Whole or not at all: an interrupted copy leaves the destination as it was.
    QSaveFile target(destination);
    if (!target.open(QIODevice::WriteOnly))
        return unexpected(QStringLiteral("cannot write %1: %2").arg(destination, target.errorString()));
    constexpr qint64 kChunk = 1 << 20;
    // No more than the size checked: a snippet's process left running may
    // grow the file meanwhile.
    qint64 left = status.st_size;
    while (left > 0 && !source.atEnd()) {
        const QByteArray chunk = source.read(std::min(kChunk, left));
        left -= chunk.size();
        if (chunk.isEmpty() && source.error() != QFileDevice::NoError) {
            target.cancelWriting();
            return unexpected(QStringLiteral("cannot read /work/%1: %2").arg(path, source.errorString()));
        }
        if (target.write(chunk) != chunk.size()) {
            target.cancelWriting();
            return unexpected(QStringLiteral("cannot write %1: %2").arg(destination, target.errorString()));
        }
        if (chunk.isEmpty())
            break;
    }
    if (!target.commit())
        return unexpected(QStringLiteral("cannot write %1: %2").arg(destination, target.errorString()));
    return std::monostate{};
}

} // namespace safecell::workfiles
