#pragma once

#include "sandbox/WorkFiles.h"

#include <QHash>
#include <QTemporaryDir>
#include <QUrl>
#include <QWidget>

#include <functional>
#include <memory>

class QLabel;
class QPushButton;
class QTableWidget;

namespace safecell {

// The files snippets wrote in the session's /work, in the Files pane: each
// with its size, time and whether it was saved; Save As… copies one out to
// a place the analyst picks, Open hands a copy of an image, PDF or text to
// the desktop's default app. /work lives only as long as the session, so closing the window asks
// about the ones never saved (unsaved()).
class OutputFilesView : public QWidget {
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, ModifiedColumn, SavedColumn, ColumnCount };

    explicit OutputFilesView(QWidget *parent = nullptr);

    void showListing(const WorkFileListing &listing);
    // A fresh session: the old /work and its files are gone.
    void clear();
    // Files never saved, or changed since they were.
    QList<WorkFile> unsaved() const;
    const WorkFileListing &listing() const { return m_listing; }

    // Copies `path` out to `destination` off the GUI thread; saved() or
    // failed() tells how it went.
    void save(const QString &path, const QString &destination);
    // Copies each unsaved file into `folder`; true when every one arrived
    // (the copies run on this thread: it is the window's last act).
    bool saveAllInto(const QString &folder, QString *error);

    // Seams for tests: the Save As dialog and the desktop's opener.
    void setDestinationChooser(std::function<QString(const QString &suggested)> choose);
    void setOpener(std::function<bool(const QUrl &file)> open);

    QTableWidget *table() const { return m_table; }
    QString note() const;

Q_SIGNALS:
    void saved(const QString &path, const QString &destination);
    void failed(const QString &message);

private:
    void saveSelected();
    void openSelected();
    QString selectedPath() const;
    void markSaved(const QString &path, const QString &destination);
    void refresh();

    WorkFileListing m_listing;
    struct Saved {
        QDateTime changed; // the file's change time when it was saved (WorkFile::changed)
        QString destination;
    };
    QHash<QString, Saved> m_saved;
    std::function<QString(const QString &)> m_choose;
    std::function<bool(const QUrl &)> m_open;
    QTableWidget *m_table;
    QLabel *m_note;
    QPushButton *m_saveAs;
    QPushButton *m_openButton;
    std::unique_ptr<QTemporaryDir> m_openedCopies;
    int m_openedCount = 0;
};

// A /work path as the window shows it: control characters (a newline in a
// name could fake lines of a list) replaced.
QString displayedWorkPath(const QString &path);

} // namespace safecell
