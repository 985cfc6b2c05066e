#pragma once

#include "PostgresServer.h"

#include <QStringList>

namespace safecell::test {

// Creates `database` on `server`, migrated to the latest team schema by the
// superuser, with each of `analysts` granted the analyst role and `admin`
// (when given) the admin role. The roles must exist; the first error.
Expected<Done, QString> createTeamDatabase(const PostgresServer &server, const QString &database,
                                           const QStringList &analysts, const QString &admin);

} // namespace safecell::test
