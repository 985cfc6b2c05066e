#pragma once

#include "sandbox/WorkFiles.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace safecell {

// The key of the application/json display that lists the files of an E2B
// session's home folder (/home/user, the code interpreter's working folder).
inline constexpr char kSafecellWorkFilesKey[] = "safecell_work_files";
inline constexpr char kE2bHome[] = "/home/user";

// What E2bSandbox runs in the session's context after a window's run (with
// the variable listing): the regular files under kE2bHome, walked as
// workfiles::list walks the local /work (no hidden names, no links
// followed, the same bounds), shown under kSafecellWorkFilesKey.
QString e2bWorkFilesCode(const QString &root = QLatin1String(kE2bHome));

// One file as the sandbox listed it. Its path is checked here: relative,
// no empty, "." or ".." component, no hidden name; a listing comes from
// the snippet's own process and may say anything.
struct RemoteWorkFiles {
    QList<WorkFile> files;
    bool truncated = false;
};
RemoteWorkFiles parseRemoteWorkFiles(const QJsonObject &object);

// A copy on this machine of what E2B sessions wrote, so that the Files pane
// saves and opens them as it does the local sandbox's /work (the listing's
// root is this folder), and so that they outlive the sandbox: an E2B
// sandbox ends at its idle timeout, its files with it. Files of a sandbox
// stay until that sandbox lists them no more (the snippet removed them);
// files of an ended sandbox stay until the object goes.
class E2bWorkMirror {
public:
    static constexpr qint64 kMaxFileBytes = qint64(100) << 20;
    static constexpr qint64 kMaxTotalBytes = qint64(1) << 30;

    E2bWorkMirror();
    bool isValid() const { return m_dir.isValid(); }
    QString root() const { return m_dir.path(); }

    // Takes `sandboxId`'s new listing: drops the copies of its files it no
    // longer lists, and returns those to fetch (new or changed, within the
    // bounds), newest first.
    QList<WorkFile> update(const QString &sandboxId, const RemoteWorkFiles &listing);
    // A fetched file's bytes: written whole or not at all under root().
    bool store(const QString &sandboxId, const WorkFile &file, const QByteArray &bytes, QString *error);
    // What the Files pane shows: every file copied here, newest first.
    WorkFileListing listing() const;

private:
    struct Copy {
        QString sandboxId;
        WorkFile file;
    };
    qint64 totalBytes() const;

    QTemporaryDir m_dir;
    QHash<QString, Copy> m_copies; // by path
    bool m_truncated = false;      // the last listing had more than was copied
};

} // namespace safecell
