#include "OpenApiDocument.h"

#include <QFile>

namespace safecell::api {

QByteArray openApiDocument()
{
    QFile file(QStringLiteral(":/docs/openapi.json"));
    // A resource of this binary: it opens unless the build is broken.
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("{}");
}

} // namespace safecell::api
