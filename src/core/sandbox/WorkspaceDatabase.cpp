#include "WorkspaceDatabase.h"
#include "common/DataPaths.h"

#include "common/Logging.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

namespace safecell {

namespace {

QString runScript(const QString &path, const QString &script)
{
    const QString connection = QStringLiteral("safecell-example-") + QUuid::createUuid().toString(QUuid::Id128);
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(path);
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            db.transaction();
            // The script is ours: every statement ends with ";" at a line end.
            const QStringList statements = script.split(QStringLiteral(";\n"), Qt::SkipEmptyParts);
            for (const QString &statement : statements) {
                if (statement.trimmed().isEmpty())
                    continue;
                if (!query.exec(statement)) {
                    error = query.lastError().text();
                    break;
                }
            }
            if (error.isEmpty())
                db.commit();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    return error;
}

} // namespace

Expected<QString, QString> materialiseExampleDatabase(const QString &path)
{
    if (QFileInfo(path).isFile())
        return path;
    QFile resource(dataFile(QStringLiteral("sandbox/example_workspace.sql")));
    if (!resource.open(QIODevice::ReadOnly))
        return unexpected(QStringLiteral("The example database's script is missing from this build."));
    const QString partial = path + QStringLiteral(".partial");
    QFile::remove(partial);
    const QString error = runScript(partial, QString::fromUtf8(resource.readAll()));
    if (!error.isEmpty() || !QFile::rename(partial, path)) {
        QFile::remove(partial);
        return unexpected(QStringLiteral("Could not build the example database: %1").arg(error));
    }
    qCInfo(lcSandbox) << "built the example workspace database";
    return path;
}

QStringList workspaceMountArguments(const QString &database, bool writable)
{
    const QString mount = writable ? QStringLiteral("--bind") : QStringLiteral("--ro-bind");
    const QString target = QString::fromLatin1(kSandboxDatabasePath);
    QStringList args{QStringLiteral("--tmpfs"), QStringLiteral("/workspace"), mount, database, target};
    for (const char *suffix : {"-wal", "-shm", "-journal"}) {
        const QString companion = database + QLatin1String(suffix);
        if (QFileInfo::exists(companion))
            args << mount << companion << target + QLatin1String(suffix);
    }
    return args;
}

} // namespace safecell
