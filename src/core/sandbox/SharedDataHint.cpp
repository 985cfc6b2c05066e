#include "SharedDataHint.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace safecell {

namespace {

bool isUnder(const QString &path, QStringView folder)
{
    return path == folder || (path.startsWith(folder) && path.at(folder.size()) == QLatin1Char('/'));
}

const SharedPath *sharedAs(const QList<SharedPath> &shares, const QString &name)
{
    for (const SharedPath &share : shares) {
        if (share.name == name)
            return &share;
    }
    return nullptr;
}

} // namespace

QString pathInOsError(const QString &value)
{
    // Python quotes the name with its repr: single quotes unless the name
    // holds one. Only the last quoted name counts (rename's messages have two).
    static const QRegularExpression quoted(QStringLiteral(R"re(: (?:'([^']*)'|"([^"]*)")\s*$)re"));
    const QRegularExpressionMatch match = quoted.match(value);
    if (!match.hasMatch())
        return {};
    return match.captured(1).isEmpty() ? match.captured(2) : match.captured(1);
}

QString sharedPathHint(const ExecutionError &error, const QList<SharedPath> &shares)
{
    if (error.name != QLatin1String("FileNotFoundError") && error.name != QLatin1String("PermissionError"))
        return {};
    const QString path = pathInOsError(error.value.section(QLatin1Char('\n'), 0, 0));
    if (path.isEmpty() || isUnder(path, u"/data"))
        return {}; // the kernel's own hint covers /data (it sees what is shared there)
    if (!path.startsWith(QLatin1Char('/'))) {
        // Relative: the snippet looked in /work. A share of that name is
        // likely what it meant.
        if (const SharedPath *share = sharedAs(shares, QFileInfo(path).fileName()))
            return QStringLiteral("%1 is not in the working folder (/work); the shared file of that name is at %2.")
                .arg(path, share->sandboxPath());
        return {};
    }
    // A path of the analyst's computer that is shared: snippets see it
    // under /data, never at its own path (a host /tmp path too: the
    // sandbox's /tmp is its own).
    for (const SharedPath &share : shares) {
        if (share.hostPath == path || isUnder(path, share.hostPath)) {
            return QStringLiteral("%1 is shared already, and snippets see it at %2: use that path.")
                .arg(path, share.sandboxPath() + path.mid(share.hostPath.size()));
        }
    }
    return {};
}

} // namespace safecell
