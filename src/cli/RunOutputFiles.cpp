#include "RunOutputFiles.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryFile>

namespace safecell::cli {

namespace {

Expected<QString, QString> writeWhole(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return unexpected(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    if (file.write(bytes) != bytes.size() || !file.commit())
        return unexpected(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return path;
}

} // namespace

Expected<QString, QString> prepareFigureFolder(const QString &folder)
{
    if (folder.isEmpty())
        return unexpected(QStringLiteral("--save-figures: the folder name is empty"));
    const QString absolute = QFileInfo(folder).absoluteFilePath();
    if (QFileInfo(absolute).exists() && !QFileInfo(absolute).isDir())
        return unexpected(QStringLiteral("--save-figures: %1 is a file, not a folder").arg(folder));
    if (!QDir().mkpath(absolute))
        return unexpected(QStringLiteral("--save-figures: cannot create the folder %1").arg(folder));
    // Writable by a real write, not by permission bits (read-only mounts, ACLs).
    QTemporaryFile probe(absolute + QStringLiteral("/.safecell-XXXXXX"));
    if (!probe.open())
        return unexpected(
            QStringLiteral("--save-figures: cannot write in the folder %1: %2").arg(folder, probe.errorString()));
    return absolute;
}

Expected<QString, QString> prepareReportFile(const QString &path)
{
    if (path.isEmpty())
        return unexpected(QStringLiteral("--report: the file name is empty"));
    const QFileInfo file(path);
    if (file.isDir())
        return unexpected(QStringLiteral("--report: %1 is a folder, not a file").arg(path));
    if (!file.absoluteDir().exists())
        return unexpected(QStringLiteral("--report: the folder %1 does not exist").arg(file.absolutePath()));
    QTemporaryFile probe(file.absolutePath() + QStringLiteral("/.safecell-XXXXXX"));
    if (!probe.open())
        return unexpected(QStringLiteral("--report: cannot write in the folder %1: %2")
                              .arg(file.absolutePath(), probe.errorString()));
    return file.absoluteFilePath();
}

Expected<QString, QString> writeReport(const QString &path, const QString &html)
{
    return writeWhole(path, html.toUtf8());
}

Expected<QStringList, QString> saveFigures(const QList<RichResult> &results, const QString &folder, const QString &stem)
{
    QStringList written;
    int number = 0;
    for (const RichResult &result : results) {
        if (result.png.isEmpty() && result.svg.isEmpty())
            continue;
        const QString base = QDir(folder).filePath(QStringLiteral("%1-%2").arg(stem).arg(++number));
        for (const auto &[bytes, suffix] : {std::pair{result.png, ".png"}, std::pair{result.svg, ".svg"}}) {
            if (bytes.isEmpty())
                continue;
            const auto path = writeWhole(base + QLatin1String(suffix), bytes);
            if (!path)
                return unexpected(path.error());
            written << *path;
        }
    }
    return written;
}

} // namespace safecell::cli
