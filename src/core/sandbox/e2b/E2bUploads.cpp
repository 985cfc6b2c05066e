#include "E2bUploads.h"

#include "sandbox/e2b/E2bConfig.h"

#include <QFileInfo>
#include <QLocale>

namespace safecell {

QList<E2bUpload> e2bUploadsFor(Language language, const E2bConfig &config)
{
    if (language != Language::Sql || config.workspaceDatabase.isEmpty())
        return {};
    const QFileInfo info(config.workspaceDatabase);
    return {E2bUpload{info.absoluteFilePath(), info.size(), QStringLiteral("the workspace database")}};
}

QString describeUpload(const E2bUpload &upload)
{
    return QStringLiteral("%1 (%2), %3")
        .arg(upload.path, QLocale::c().formattedDataSize(upload.bytes, 1), upload.purpose);
}

QStringList uploadPaths(const QList<E2bUpload> &uploads)
{
    QStringList paths;
    for (const E2bUpload &upload : uploads)
        paths << upload.path;
    return paths;
}

} // namespace safecell
