#include "LedgerLocation.h"

#include <QDir>
#include <QStandardPaths>

namespace safecell {

QString defaultLedgerPath()
{
    QString folder = qEnvironmentVariable("SAFECELL_DATA_DIR");
    if (folder.isEmpty())
        folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(folder);
    return QDir(folder).filePath(QStringLiteral("ledger.sqlite"));
}

} // namespace safecell
