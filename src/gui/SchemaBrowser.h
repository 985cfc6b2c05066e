#pragma once

#include "sandbox/CsvImport.h"
#include "sandbox/DatabaseSchema.h"
#include "sandbox/SharedDatabases.h"

#include <QDockWidget>
#include <QTemporaryDir>

#include <functional>

class QAction;
class QLabel;
class QThread;
class QTreeWidget;
class QTreeWidgetItem;

namespace safecell {

// The SQL workspace as Positron's Connections pane and DBeaver's navigator
// show it: the workspace database (the bundled example unless the analyst
// chose one) and the session's scratch database, with their tables,
// columns, declared types and row counts. Read on a thread of its own, so
// a big database never freezes the window; refreshed after each SQL run.
// "Select Top 100" asks for a query on the chosen table (queryRequested);
// "Save Scratch Database As…" writes the scratch database to a file.
class SchemaBrowser : public QDockWidget {
    Q_OBJECT
public:
    // Where the databases are, asked at each refresh: an empty workspace
    // path means the bundled example, which the browser builds itself.
    struct Locations {
        QString workspace;
        QString scratch;
        QList<SharedDatabase> shared; // the analyst's shared SQLite files
    };
    enum Column { NameColumn, DetailColumn };
    enum Role { SchemaRole = Qt::UserRole + 1, TableRole };

    explicit SchemaBrowser(std::function<Locations()> locations, QWidget *parent = nullptr);
    ~SchemaBrowser() override;

    QTreeWidget *tree() const { return m_tree; }
    QAction *selectTopAction() const { return m_selectTop; }
    QAction *saveScratchAction() const { return m_saveScratch; }
    QAction *loadCsvAction() const { return m_loadCsv; }
    // Every command of the pane, for a menu of the window's.
    QList<QAction *> commands() const { return {m_selectTop, m_refresh, m_saveScratch, m_loadCsv}; }
    bool isReading() const { return m_reader != nullptr; }

public Q_SLOTS:
    // Reads the databases again (once more after the read in flight).
    void refresh();
    // The query for the current table, through queryRequested().
    void selectTop();
    // Asks for a file and copies the scratch database there.
    void saveScratchAs();
    // Without the dialog: for tests and scripts. Returns the error, or empty.
    QString saveScratchTo(const QString &path);
    // Asks for a CSV or TSV file, shows the planned table and its inferred
    // column types, and loads it into the scratch database once accepted.
    void loadCsvAs();
    // The same for a file chosen elsewhere: a shared CSV, or an Excel sheet
    // exported as CSV (SheetLoader).
    void loadCsvFile(const QString &path);
    // Without the dialogs: loads on a thread of its own, then csvLoaded().
    void loadCsvInto(const QString &csv, const safecell::CsvPlan &plan);
    // What the analyst is shown before a load: the table, its columns and types.
    static QString describePlan(const CsvPlan &plan);

Q_SIGNALS:
    void queryRequested(const QString &sql);
    void refreshed();                     // the tree shows a completed read
    void csvLoaded(const QString &error); // empty: loaded

private:
    void showDatabases(const QList<DatabaseSchema> &databases);
    QTreeWidgetItem *databaseItem(const DatabaseSchema &database);
    void updateActions();

    std::function<Locations()> m_locations;
    QTemporaryDir m_exampleFolder; // the browser's own copy of the bundled example
    QTreeWidget *m_tree;
    QLabel *m_note;
    QAction *m_selectTop;
    QAction *m_refresh;
    QAction *m_saveScratch;
    QAction *m_loadCsv;
    QThread *m_loader = nullptr;
    QThread *m_reader = nullptr;
    bool m_readAgain = false;
    QString m_scratchPath; // of the last refresh
};

} // namespace safecell
