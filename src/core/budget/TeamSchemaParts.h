#pragma once

#include <QString>
#include <QStringList>

#include <cstddef>

// The team schema's migrations (TeamSchema.h) kept in more than one file.
namespace safecell {

template <std::size_t N>
QStringList statements(const char *const (&sql)[N])
{
    QStringList list;
    for (const char *statement : sql)
        list.append(QString::fromUtf8(statement));
    return list;
}

// Version 4: the team audit log (TeamSchemaAudit.cpp).
QStringList teamSchemaVersion4();
// Version 6: the team's thresholds, breaches and alerts (TeamSchemaGuards.cpp).
QStringList teamSchemaVersion6();
// The CREATE OR REPLACE text of settle as version 5 left it, for later
// versions to derive theirs from.
QString teamSettleAsOfVersion5();

} // namespace safecell
