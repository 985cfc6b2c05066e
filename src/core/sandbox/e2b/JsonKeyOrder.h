#pragma once

#include <QByteArray>
#include <QStringList>

namespace safecell {

// The keys of the object held by `field` in a JSON object's text, in the
// order written. QJsonObject sorts keys, but a DataFrame's column order
// (E2B's `data`, a dict in column order) is meaning. Empty if not found.
QStringList jsonKeyOrder(const QByteArray &json, const QString &field);

} // namespace safecell
