#include "TeamDatabase.h"

#include "budget/TeamLedger.h"
#include "budget/TeamSchema.h"

#include <QSqlError>
#include <QSqlQuery>

namespace safecell::test {

Expected<Done, QString> createTeamDatabase(const PostgresServer &server, const QString &database,
                                           const QStringList &analysts, const QString &admin)
{
    if (auto created = server.exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE ") + database});
        !created)
        return created;
    auto superuser = TeamLedger::open(server.teamServer(database, QString::fromLatin1(PostgresServer::kSuperuser)));
    if (!superuser)
        return unexpected(superuser.error().message);
    const auto version = (*superuser)->migrate();
    if (!version)
        return unexpected(version.error().message);
    if (*version != latestTeamSchemaVersion())
        return unexpected(
            QStringLiteral("migrated to version %1, not %2").arg(*version).arg(latestTeamSchemaVersion()));
    for (const QString &analyst : analysts) {
        if (const auto granted = (*superuser)->grant(analyst, false); !granted)
            return unexpected(granted.error().message);
    }
    if (!admin.isEmpty()) {
        if (const auto granted = (*superuser)->grant(admin, true); !granted)
            return unexpected(granted.error().message);
    }
    return Done{};
}

qint64 superuserScalar(const PostgresServer &server, const QString &database, const QString &sql)
{
    const QString name = QStringLiteral("superuser-scalar");
    QSqlDatabase db = server.connect(name, database, QString::fromLatin1(PostgresServer::kSuperuser));
    qint64 value = -1;
    {
        QSqlQuery query(db);
        if (query.exec(sql) && query.next())
            value = query.value(0).toLongLong();
        else
            qWarning() << sql << query.lastError().text();
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(name);
    return value;
}

TeamHoldRequest holdRequest(const QString &key, Money amount, int ttlSeconds)
{
    TeamHoldRequest request;
    request.idempotencyKey = key;
    request.runId = QStringLiteral("run-") + key;
    request.step = QStringLiteral("chat");
    request.kind = ChargeKind::Llm;
    request.resource = QStringLiteral("command-r");
    request.amount = amount;
    request.ttlSeconds = ttlSeconds;
    return request;
}

const TeamScopeStatus *scopeOf(const TeamStatus &status, ScopeLevel level)
{
    for (const TeamScopeStatus &scope : status.scopes) {
        if (scope.level == level)
            return &scope;
    }
    return nullptr;
}

} // namespace safecell::test
