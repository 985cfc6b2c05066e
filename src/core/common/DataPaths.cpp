#include "DataPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace safecell {

QString installedDataDir()
{
    if (!QCoreApplication::instance())
        return {}; // no executable path to start from: only the compiled-in copy
#ifdef Q_OS_MACOS
    const QString fromExecutable = QStringLiteral("/../Resources"); // Foo.app/Contents/MacOS
#else
    const QString fromExecutable = QStringLiteral("/../share/safecell"); // <prefix>/bin
#endif
    return QDir::cleanPath(QCoreApplication::applicationDirPath() + fromExecutable);
}

QString dataFile(const QString &relative)
{
    return dataFile(relative, installedDataDir());
}

QString dataFile(const QString &relative, const QString &installedDir)
{
    const QString clean = QDir::cleanPath(relative);
    if (clean.isEmpty() || clean == QLatin1String(".") || QDir::isAbsolutePath(clean) || clean == QLatin1String("..")
        || clean.startsWith(QLatin1String("../"))) {
        return {};
    }
    if (!installedDir.isEmpty()) {
        const QString installed = QDir::cleanPath(installedDir + QLatin1Char('/') + clean);
        if (QFileInfo(installed).isFile())
            return installed;
    }
    return QStringLiteral(":/") + clean;
}

QString appDataDir()
{
    QString folder = qEnvironmentVariable("SAFECELL_DATA_DIR");
    if (folder.isEmpty())
        folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    return folder;
}

} // namespace safecell
