#pragma once

#include "request/Language.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace safecell {

struct E2bConfig;

// A local file that a run would send to E2B's cloud.
struct E2bUpload {
    QString path;     // on this machine
    qint64 bytes = 0; // its size now
    QString purpose;  // why it goes, for the analyst: "the workspace database"
};

// What a run in `language` needs in the sandbox that only this machine
// has: the workspace database for SQL; nothing for Python (the data folder
// is never uploaded). The window lists it before asking, the CLI and the
// API say what they skipped.
QList<E2bUpload> e2bUploadsFor(Language language, const E2bConfig &config);

// "workspace.db (12.0 KB), the workspace database": one line per upload.
QString describeUpload(const E2bUpload &upload);
QStringList uploadPaths(const QList<E2bUpload> &uploads);

} // namespace safecell
