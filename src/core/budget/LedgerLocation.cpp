#include "LedgerLocation.h"

#include "common/DataPaths.h"

#include <QDir>

namespace safecell {

QString defaultLedgerPath()
{
    return QDir(appDataDir()).filePath(QStringLiteral("ledger.sqlite"));
}

} // namespace safecell
