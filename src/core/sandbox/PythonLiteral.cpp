#include "sandbox/PythonLiteral.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace safecell {

QString pythonStringLiteral(const QString &text)
{
    const QByteArray json = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2)); // drop [ and ]
}

QString isolatedPythonCell(const QString &definitions, const QString &entry,
                           const QList<std::pair<QString, QString>> &values)
{
    QString scope = QStringLiteral("{'__builtins__': _safecell_builtins");
    for (const auto &[name, literal] : values)
        scope += QStringLiteral(", '%1': %2").arg(name, literal);
    scope += QLatin1Char('}');
    return QStringLiteral("import builtins as _safecell_builtins\n"
                          "_safecell_scope = %1\n"
                          "try:\n"
                          "    _safecell_builtins.exec(%2, _safecell_scope)\n"
                          "    _safecell_scope['%3'](_safecell_builtins.globals())\n"
                          "finally:\n"
                          "    del _safecell_scope, _safecell_builtins\n")
        .arg(scope, pythonStringLiteral(definitions), entry);
}

} // namespace safecell
