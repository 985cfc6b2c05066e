#include "sandbox/SharedDatabases.h"

#include <QFileInfo>
#include <QSet>

namespace safecell {

namespace {

QString identifierOf(const QString &name)
{
    QString id;
    for (const QChar c : QFileInfo(name).completeBaseName()) {
        const bool plain = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
                           || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
                           || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
        id += plain ? c.toLower() : QLatin1Char('_');
    }
    if (id.isEmpty() || id.front().isDigit())
        id.prepend(QLatin1String("db_"));
    return id;
}

} // namespace

QList<SharedDatabase> sharedDatabases(const QList<SharedPath> &shares, int *left)
{
    // The schemas every SQL run has already: SQLite's own and the workspace's.
    QSet<QString> taken{QStringLiteral("main"), QStringLiteral("temp"), QStringLiteral("workspace")};
    QList<SharedDatabase> databases;
    int skipped = 0;
    for (const SharedPath &share : shares) {
        if (share.kind != SharedKind::Sqlite)
            continue;
        if (databases.size() == kMaxSharedDatabases) {
            ++skipped;
            continue;
        }
        const QString base = identifierOf(share.name);
        QString schema = base;
        for (int n = 2; taken.contains(schema); ++n)
            schema = QStringLiteral("%1_%2").arg(base).arg(n);
        taken.insert(schema);
        databases.append({schema, share.sandboxPath(), share.hostPath});
    }
    if (left)
        *left = skipped;
    return databases;
}

} // namespace safecell
