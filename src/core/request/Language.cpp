#include "Language.h"

namespace safecell {

QString languageName(Language language)
{
    switch (language) {
    case Language::Python:
        return QStringLiteral("python");
    case Language::Sql:
        return QStringLiteral("sql");
    }
    return {};
}

std::optional<Language> languageFromName(const QString &name)
{
    if (name == QLatin1String("python"))
        return Language::Python;
    if (name == QLatin1String("sql"))
        return Language::Sql;
    return std::nullopt;
}

} // namespace safecell
