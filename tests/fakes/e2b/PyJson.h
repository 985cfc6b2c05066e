#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

namespace safecell::fake {

// JSON as Python's default json.dumps writes it: ", " and ": " separators,
// non-ASCII escaped as \uXXXX, keys in the given order (pydantic field
// order) for the top level. E2B's code interpreter writes its NDJSON so.
using PyFields = QList<QPair<QString, QJsonValue>>;

QByteArray pyJson(const QJsonValue &value);
QByteArray pyJsonObject(const PyFields &fields);

} // namespace safecell::fake
