#include "E2bVariables.h"

#include "sandbox/PythonLiteral.h"

#include <QFile>

namespace safecell {

QString e2bVariablesCode()
{
    QFile file(QStringLiteral(":/kernel/variables.py"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString listing = QString::fromUtf8(file.readAll())
                            + QStringLiteral("\n\ndef _safecell_show(namespace):\n"
                                             "    from IPython.display import display\n"
                                             "    display({'application/json': {'%1': "
                                             "_safecell_list_variables(namespace)}}, raw=True)\n")
                                  .arg(QLatin1String(kSafecellVariablesKey));
    return isolatedPythonCell(listing, QStringLiteral("_safecell_show"));
}

} // namespace safecell
