#pragma once

#include <QString>

namespace safecell {

// A string as a Python literal (JSON's string syntax is valid Python), for
// code SafeCell writes around a value: a path, a sheet's name, a query.
QString pythonStringLiteral(const QString &text);

} // namespace safecell
