#include "E2bVariables.h"

#include <QFile>

namespace safecell {

QString e2bVariablesCode()
{
    QFile file(QStringLiteral(":/kernel/variables.py"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QString show =
        QStringLiteral("\nfrom IPython.display import display as _safecell_display\n"
                       "_safecell_display({'application/json': {'%1': _safecell_list_variables(globals())}}, "
                       "raw=True)\n"
                       "for _safecell_name in [_n for _n in list(globals()) if _n.lower().startswith('_safecell')]:\n"
                       "    globals().pop(_safecell_name, None)\n"
                       "globals().pop('_safecell_name', None)\n")
            .arg(QLatin1String(kSafecellVariablesKey));
    return QString::fromUtf8(file.readAll()) + show; // not through arg(): the listing has its own % signs
}

} // namespace safecell
