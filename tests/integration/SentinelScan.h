#pragma once
// The secrets tests' last look: every file under a folder, searched for a
// sentinel key.
#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QStringList>

struct SentinelScan {
    int files = 0;
    QStringList hits; // the files that hold the sentinel
};

inline SentinelScan scanFilesFor(const QString &root, const QByteArray &sentinel)
{
    SentinelScan scan;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        ++scan.files;
        QFile file(path);
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(sentinel))
            scan.hits << path;
    }
    return scan;
}
