#include "ScratchDatabase.h"

#include "common/Logging.h"
#include "sandbox/Bubblewrap.h"
#include "sandbox/SandboxLeftovers.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <unistd.h>

namespace safecell {

ScratchFolder::ScratchFolder(const QString &pattern)
    : m_dir(pattern)
{
}

Expected<std::unique_ptr<ScratchFolder>, QString> ScratchFolder::create(const QString &parent)
{
    // "safecell-workspace-<owner>-": the leftover sweep knows the prefix.
    std::unique_ptr<ScratchFolder> folder(
        new ScratchFolder(parent + QStringLiteral("/safecell-workspace-%1-scratch-XXXXXX").arg(sandboxOwnerTag())));
    if (!folder->m_dir.isValid())
        return unexpected(
            QStringLiteral("Could not create the scratch database's folder: %1").arg(folder->m_dir.errorString()));
    // As root, sandboxed code runs as an unprivileged uid: it must own the
    // folder to create the database and its journal there.
    if (geteuid() == 0 && chown(QFile::encodeName(folder->path()).constData(), kSandboxUid, kSandboxGid) != 0)
        return unexpected(QStringLiteral("Could not hand the scratch database's folder to the sandbox user."));
    return folder;
}

bool ScratchFolder::hasDatabase() const
{
    return QFileInfo(databasePath()).isFile();
}

QStringList scratchMountArguments(const QString &folder, bool writable)
{
    return {writable ? QStringLiteral("--bind") : QStringLiteral("--ro-bind"), folder,
            QString::fromLatin1(kSandboxScratchFolder)};
}

Expected<QString, QString> saveDatabaseCopy(const QString &source, const QString &destination)
{
    if (!QFileInfo(source).isFile())
        return unexpected(QStringLiteral("There is no scratch database yet: it is created by the session's first "
                                         "confirmed write (CREATE TABLE, INSERT…)."));
    const QString target = QFileInfo(destination).absoluteFilePath();
    // VACUUM INTO writes only into a new file: a partial name beside the
    // target, renamed over it once complete.
    const QString partial = target + QStringLiteral(".partial-") + QUuid::createUuid().toString(QUuid::Id128);
    const QString connection = QStringLiteral("safecell-save-") + QUuid::createUuid().toString(QUuid::Id128);
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(source);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            QString literal = partial;
            literal.replace(QLatin1Char('\''), QStringLiteral("''"));
            if (!query.exec(QStringLiteral("VACUUM INTO '%1'").arg(literal)))
                error = query.lastError().text();
            query.finish();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    if (error.isEmpty() && QFileInfo::exists(target) && !QFile::remove(target))
        error = QStringLiteral("%1 could not be replaced").arg(target);
    if (error.isEmpty() && !QFile::rename(partial, target))
        error = QStringLiteral("the copy could not be renamed to %1").arg(target);
    if (!error.isEmpty()) {
        QFile::remove(partial);
        return unexpected(QStringLiteral("Could not save the scratch database: %1").arg(error));
    }
    qCInfo(lcSandbox) << "saved the scratch database";
    return target;
}

} // namespace safecell
