#pragma once

#include "budget/LedgerSchema.h"

#include <QSqlQuery>
#include <QString>

// Makes the open database behind `query` a ledger as an older SafeCell left
// it: the migrations up to `version` only, and user_version set to it.
// Returns the statement that failed, or an empty string.
inline QString makeLedgerAtVersion(QSqlQuery &query, int version)
{
    for (const safecell::LedgerMigration &migration : safecell::ledgerMigrations()) {
        if (migration.version > version)
            break;
        for (const QString &statement : migration.statements) {
            if (!query.exec(statement))
                return statement;
        }
    }
    const QString pragma = QStringLiteral("PRAGMA user_version=%1").arg(version);
    return query.exec(pragma) ? QString() : pragma;
}
