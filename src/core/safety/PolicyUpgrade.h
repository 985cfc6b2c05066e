#pragma once

#include <QJsonObject>
#include <QStringList>

namespace safecell::safety {

// A user's policy written for an older built-in policy (its "version" is
// lower) would name none of the rules added since, and be refused whole, so
// the user's own choices would silently give way to the default. Instead it
// takes from `builtIn` only what it lacks: the rules it does not define,
// with their uses, imports and statements, and the sections it does not have.
// Everything the user wrote wins. A policy of the current version (or of no
// version) is returned as it is and stays strictly checked, so a typo in a
// current policy is still reported. `taken` lists what was added.
QJsonObject upgradePolicy(const QJsonObject &user, const QJsonObject &builtIn, QStringList *taken);

} // namespace safecell::safety
