#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace safecell {

// The team ledger's schema on PostgreSQL (issue 21), as numbered
// migrations: `safecell team init` applies the ones a database lacks, each
// in one transaction with its number recorded in safecell.migrations.
// Version 1 creates the roles safecell_analyst and safecell_admin, the
// tables, and the SECURITY DEFINER functions that are the only way an
// analyst writes: reserve, settle, release, status.
struct TeamMigration {
    int version = 0;
    QString summary;
    QStringList statements;
};

QList<TeamMigration> teamMigrations();
int latestTeamSchemaVersion();

} // namespace safecell
