#pragma once

#include "PostgresServer.h"

#include "budget/Ledger.h"

#include <QStringList>

// What the team ledger's tests share: a migrated database of their own,
// amounts in cents, hold requests, and the superuser's view of the tables.
namespace safecell::test {

// Creates `database` on `server`, migrated to the latest team schema by the
// superuser, with each of `analysts` granted the analyst role and `admin`
// (when given) the admin role. The roles must exist; the first error.
Expected<Done, QString> createTeamDatabase(const PostgresServer &server, const QString &database,
                                           const QStringList &analysts, const QString &admin);

// The first column of the first row `sql` gives the superuser in
// `database`; -1 (and a warning) when it fails.
qint64 superuserScalar(const PostgresServer &server, const QString &database, const QString &sql);

inline Money cents(qint64 n)
{
    return Money::fromNanos(n * 10'000'000LL);
}

// A model call's hold of `amount` under `key` (its run "run-<key>").
TeamHoldRequest holdRequest(const QString &key, Money amount, int ttlSeconds = 60);

// One scope of a status; nullptr when it has none.
const TeamScopeStatus *scopeOf(const TeamStatus &status, ScopeLevel level);

} // namespace safecell::test
