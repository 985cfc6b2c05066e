#include "TeamDatabase.h"

#include "budget/TeamLedger.h"
#include "budget/TeamSchema.h"

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

} // namespace safecell::test
