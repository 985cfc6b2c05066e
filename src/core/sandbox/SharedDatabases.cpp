#include "sandbox/SharedDatabases.h"

#include <QFileInfo>
#include <QSet>
#include <QStringList>

namespace safecell {

namespace {

// SQLite's keywords (sqlite.org/lang_keywords.html): a schema named one
// would need quoting in every query (`order.sqlite` -> order."t" fails).
bool isSqlKeyword(const QString &word)
{
    static const QSet<QString> keywords = [] {
        const char *const list =
            "abort action add after all alter always analyze and as asc attach autoincrement before begin between by "
            "cascade case cast check collate column commit conflict constraint create cross current current_date "
            "current_time current_timestamp database default deferrable deferred delete desc detach distinct do drop "
            "each else end escape except exclude exclusive exists explain fail filter first following for foreign "
            "from full generated glob group groups having if ignore immediate in index indexed initially inner insert "
            "instead intersect into is isnull join key last left like limit match materialized natural no not nothing "
            "notnull null nulls of offset on or order others outer over partition plan pragma preceding primary query "
            "raise range recursive references regexp reindex release rename replace restrict returning right rollback "
            "row rows savepoint select set table temp temporary then ties to transaction trigger unbounded union "
            "unique update using vacuum values view virtual when where window with without";
        const QStringList words = QString::fromLatin1(list).split(QLatin1Char(' '));
        return QSet<QString>(words.cbegin(), words.cend());
    }();
    return keywords.contains(word);
}

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
    if (isSqlKeyword(id))
        id.append(QLatin1String("_db"));
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

QStringList sqliteLogMountArguments(const QList<SharedDatabase> &databases, const QList<SharedPath> &shares)
{
    QSet<QString> names; // a share of that name has /data/<name> already
    for (const SharedPath &share : shares)
        names.insert(share.sandboxPath());
    QStringList args;
    for (const SharedDatabase &database : databases) {
        const QString file = QFileInfo(database.hostPath).canonicalFilePath();
        if (file.isEmpty())
            continue;
        for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm")}) {
            const QFileInfo sibling(file + suffix);
            if (sibling.isSymLink() || !sibling.isFile() || names.contains(database.sandboxPath + suffix))
                continue;
            // -try: SQLite removes both when its last connection closes,
            // which may be between this look and the sandbox's start.
            args << QStringLiteral("--ro-bind-try") << sibling.filePath() << database.sandboxPath + suffix;
        }
    }
    return args;
}

} // namespace safecell
