#pragma once

#include "common/Expected.h"
#include "sandbox/SharedData.h"

#include <QDockWidget>

#include <functional>
#include <optional>

class QAction;
class QLabel;
class QPushButton;
class QTableWidget;

namespace safecell {

class OutputFilesView;

// The analyst's shared data, as a pane beside the Variables pane: each
// file or folder added (File > Add Data…, or dropped on the window) with
// its name, where snippets read it (/data/<name>, read-only), its size and
// type, and Remove. Nothing else of the computer's files reaches a snippet.
// Below them, the files snippets wrote in /work (OutputFilesView).
// sharesChanged() tells the run controller; the next run mounts the set.
class FilesPane : public QDockWidget {
    Q_OBJECT
public:
    enum Column { NameColumn, PathColumn, SizeColumn, TypeColumn, ColumnCount };

    // `dataFolder`: the settings' data folder now (its entries' names are
    // taken under /data), asked at each addition.
    explicit FilesPane(std::function<QString()> dataFolder, QWidget *parent = nullptr);

    // Shares each path; the errors, one per path that could not be.
    QStringList addPaths(const QStringList &hostPaths);
    bool removeShare(const QString &name);
    const QList<SharedPath> &shares() const { return m_shared.paths(); }

    // File > Add Data… (files) and Add Data Folder…: their dialogs.
    QAction *addDataAction() const { return m_addData; }
    QAction *addFolderAction() const { return m_addFolder; }
    QTableWidget *table() const { return m_table; }
    QPushButton *removeButton() const { return m_remove; }
    QPushButton *loadSqlButton() const { return m_loadSql; }
    OutputFilesView *outputs() const { return m_outputs; }
    QString note() const;

Q_SIGNALS:
    // The set of shares changed; `change`: what, for the analyst ("added
    // /data/sales.csv"), or the errors of what could not be added.
    void sharesChanged(const QList<safecell::SharedPath> &shares, const QString &change);
    // Load into SQL… on a shared CSV, TSV or Excel file.
    void loadIntoSqlRequested(const safecell::SharedPath &share);

private:
    void chooseFiles();
    void chooseFolder();
    void removeSelected();
    void updateButtons();
    std::optional<SharedPath> selectedShare() const;
    void refresh();

    SharedData m_shared;
    std::function<QString()> m_dataFolder;
    QTableWidget *m_table;
    QLabel *m_note;
    QPushButton *m_remove;
    QPushButton *m_loadSql;
    QAction *m_addData;
    QAction *m_addFolder;
    OutputFilesView *m_outputs;
};

// The size as the pane shows it: "1.2 MB", or "folder".
QString sharedSizeText(const SharedPath &share);

} // namespace safecell
