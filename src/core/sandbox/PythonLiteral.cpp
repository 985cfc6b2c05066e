#include "sandbox/PythonLiteral.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace safecell {

QString pythonStringLiteral(const QString &text)
{
    const QByteArray json = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2)); // drop [ and ]
}

} // namespace safecell
