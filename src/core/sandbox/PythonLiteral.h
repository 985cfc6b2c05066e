#pragma once

#include <QList>
#include <QString>

#include <utility>

namespace safecell {

// A string as a Python literal (JSON's string syntax is valid Python), for
// code SafeCell writes around a value: a path, a sheet's name, a query.
QString pythonStringLiteral(const QString &text);

// A cell SafeCell runs in a session's context (E2B's): `definitions` run in
// a scope of their own, so a snippet's names (`type = df["type"]`) cannot
// shadow the builtins they use, with `values` (name, Python literal) in
// that scope; then `entry` is called there with the session's globals. The
// cell ends with a statement, so IPython shows no value of its own and
// keeps nothing in `_`, and it leaves no name behind, whatever happens.
QString isolatedPythonCell(const QString &definitions, const QString &entry,
                           const QList<std::pair<QString, QString>> &values = {});

} // namespace safecell
