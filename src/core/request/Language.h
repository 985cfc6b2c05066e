#pragma once

#include <QString>

#include <optional>

namespace safecell {

enum class Language { Python, Sql };

QString languageName(Language language);
// Exact, lower-case names only: the recipe's contract is `python` or `sql`.
std::optional<Language> languageFromName(const QString &name);

} // namespace safecell
