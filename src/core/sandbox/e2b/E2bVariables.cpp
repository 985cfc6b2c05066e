#include "E2bVariables.h"

#include "sandbox/PythonLiteral.h"

#include <QFile>

namespace safecell {

QString e2bVariablesCode()
{
    QFile file(QStringLiteral(":/kernel/variables.py"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // The listing runs in a namespace of its own, so a snippet's names
    // (`type = df["type"]`) cannot shadow the builtins it uses; it gets the
    // snippet's globals to read. The cell ends with a statement, so it has
    // no value for IPython to show as a result or keep in `_`, and it
    // leaves no name behind, whatever happens.
    const QString listing = QString::fromUtf8(file.readAll())
                            + QStringLiteral("\n\ndef _safecell_show(namespace):\n"
                                             "    from IPython.display import display\n"
                                             "    display({'application/json': {'%1': "
                                             "_safecell_list_variables(namespace)}}, raw=True)\n")
                                  .arg(QLatin1String(kSafecellVariablesKey));
    return QStringLiteral("import builtins as _safecell_builtins\n"
                          "_safecell_scope = {'__builtins__': _safecell_builtins}\n"
                          "try:\n"
                          "    _safecell_builtins.exec(%1, _safecell_scope)\n"
                          "    _safecell_scope['_safecell_show'](_safecell_builtins.globals())\n"
                          "finally:\n"
                          "    del _safecell_scope, _safecell_builtins\n")
        .arg(pythonStringLiteral(listing));
}

} // namespace safecell
