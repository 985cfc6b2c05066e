#include "SchemaBrowser.h"

#include "sandbox/ScratchDatabase.h"
#include "sandbox/WorkspaceDatabase.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QSet>
#include <QThread>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <memory>

namespace safecell {

namespace {

QString rowsText(qint64 rows)
{
    if (rows < 0)
        return SchemaBrowser::tr("view");
    return SchemaBrowser::tr("%1 rows").arg(QLocale().toString(rows));
}

// The reader thread's work: build the example when it is the workspace,
// then read every database. Nothing here touches a widget.
QList<DatabaseSchema> readAll(const SchemaSource &workspace, const SchemaSource &scratch,
                              const QList<SchemaSource> &shared, const QString &example)
{
    SchemaSource source = workspace;
    DatabaseSchema failed{workspace, {}, {}, false};
    if (source.path.isEmpty()) {
        const auto built = materialiseExampleDatabase(example);
        if (built)
            source.path = *built;
        else
            failed.error = built.error();
    }
    QList<DatabaseSchema> all{source.path.isEmpty() ? failed : readDatabaseSchema(source), readDatabaseSchema(scratch)};
    for (const SchemaSource &database : shared)
        all.append(readDatabaseSchema(database));
    return all;
}

} // namespace

SchemaBrowser::SchemaBrowser(std::function<Locations()> locations, QWidget *parent)
    : QDockWidget(tr("Databases"), parent)
    , m_locations(std::move(locations))
    , m_tree(new QTreeWidget(this))
    , m_note(new QLabel(this))
    , m_selectTop(new QAction(tr("&Select Top 100"), this))
    , m_refresh(new QAction(tr("&Refresh Databases"), this))
    , m_saveScratch(new QAction(tr("Save Scratch Database &As…"), this))
    , m_loadCsv(new QAction(tr("&Load CSV into Scratch…"), this))
{
    setObjectName(QStringLiteral("schemaBrowser"));
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    m_tree->setObjectName(QStringLiteral("schemaTree"));
    m_tree->setAccessibleName(tr("SQL databases, tables and columns"));
    m_tree->setColumnCount(2);
    m_tree->setHeaderLabels({tr("Name"), tr("Rows or type")});
    m_tree->header()->setStretchLastSection(true);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_selectTop->setObjectName(QStringLiteral("actionSelectTop"));
    m_selectTop->setToolTip(tr("Open a SQL tab that selects the first 100 rows of the chosen table, and run it"));
    m_saveScratch->setObjectName(QStringLiteral("actionSaveScratchDatabase"));
    m_saveScratch->setToolTip(tr("Save the session's scratch database (the tables confirmed writes made) as a "
                                 "SQLite file"));
    m_loadCsv->setObjectName(QStringLiteral("actionLoadCsv"));
    m_loadCsv->setToolTip(tr("Load a CSV or TSV file as a new table of the scratch database, after seeing the "
                             "column types inferred from it"));
    // Short on the pane's narrow toolbar; the menus say it in full.
    m_selectTop->setIconText(tr("Top 100"));
    m_refresh->setIconText(tr("Refresh"));
    m_refresh->setObjectName(QStringLiteral("actionRefreshDatabases"));
    m_saveScratch->setIconText(tr("Save…"));
    m_loadCsv->setIconText(tr("Load CSV…"));
    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("schemaNote"));
    m_note->setText(tr("The workspace database is read-only; confirmed writes (CREATE TABLE, INSERT…) go to the "
                       "session's scratch database, schema \"main\"."));

    auto *bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addAction(m_selectTop);
    bar->addAction(m_refresh);
    bar->addAction(m_saveScratch);
    bar->addAction(m_loadCsv);
    auto *body = new QWidget(this);
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(bar);
    layout->addWidget(m_tree);
    layout->addWidget(m_note);
    setWidget(body);

    connect(m_selectTop, &QAction::triggered, this, &SchemaBrowser::selectTop);
    connect(m_refresh, &QAction::triggered, this, &SchemaBrowser::refresh);
    connect(m_saveScratch, &QAction::triggered, this, &SchemaBrowser::saveScratchAs);
    connect(m_loadCsv, &QAction::triggered, this, &SchemaBrowser::loadCsvAs);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, &SchemaBrowser::updateActions);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (!item->data(NameColumn, TableRole).toString().isEmpty())
            selectTop();
    });
    connect(m_tree, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        if (QTreeWidgetItem *item = m_tree->itemAt(at))
            m_tree->setCurrentItem(item);
        QMenu menu(this);
        menu.addAction(m_selectTop);
        menu.addAction(m_refresh);
        menu.addAction(m_saveScratch);
        menu.addAction(m_loadCsv);
        menu.exec(m_tree->viewport()->mapToGlobal(at));
    });
    updateActions();
    refresh();
}

SchemaBrowser::~SchemaBrowser()
{
    for (QThread *thread : {m_reader, m_loader}) {
        if (thread) {
            thread->disconnect(this);
            thread->wait(); // local files: a read, or a load the analyst started
            delete thread;
        }
    }
}

void SchemaBrowser::refresh()
{
    if (m_reader) {
        m_readAgain = true;
        return;
    }
    const Locations where = m_locations ? m_locations() : Locations{};
    m_scratchPath = where.scratch;
    const SchemaSource workspace{QString::fromLatin1(kWorkspaceSchema),
                                 where.workspace.isEmpty()
                                     ? tr("Example shop database (bundled, read-only)")
                                     : tr("%1 (read-only)").arg(QFileInfo(where.workspace).fileName()),
                                 where.workspace};
    const SchemaSource scratch{QString::fromLatin1(kScratchSchema),
                               tr("Scratch database (this session; writes go here)"), where.scratch};
    QList<SchemaSource> shared;
    for (const SharedDatabase &database : where.shared) {
        shared.append({database.schema, tr("%1 (shared, read-only: %2)").arg(database.sandboxPath, database.schema),
                       database.hostPath});
    }
    const QString example = m_exampleFolder.isValid() ? m_exampleFolder.filePath(QStringLiteral("example.sqlite"))
                                                      : QString();
    auto result = std::make_shared<QList<DatabaseSchema>>();
    m_reader = QThread::create(
        [result, workspace, scratch, shared, example] { *result = readAll(workspace, scratch, shared, example); });
    m_reader->setParent(this); // deleted by the destructor, after waiting for it
    m_reader->setObjectName(QStringLiteral("schema-reader"));
    connect(m_reader, &QThread::finished, this, [this, result] {
        m_reader->deleteLater();
        m_reader = nullptr;
        showDatabases(*result);
        if (std::exchange(m_readAgain, false))
            refresh();
    });
    m_reader->start(QThread::LowPriority);
}

QTreeWidgetItem *SchemaBrowser::databaseItem(const DatabaseSchema &database)
{
    auto *top = new QTreeWidgetItem({database.source.schema, database.source.title});
    top->setData(NameColumn, SchemaRole, database.source.schema);
    top->setToolTip(NameColumn, database.source.path);
    if (!database.error.isEmpty()) {
        top->addChild(new QTreeWidgetItem({tr("Could not be read"), database.error}));
        return top;
    }
    if (!database.exists || database.tables.isEmpty()) {
        top->addChild(
            new QTreeWidgetItem({tr("(no tables yet)"), database.source.schema == QLatin1String(kScratchSchema)
                                                            ? tr("a confirmed CREATE TABLE creates them here")
                                                            : QString()}));
        return top;
    }
    for (const SchemaTable &table : database.tables) {
        auto *item = new QTreeWidgetItem(top, {table.name, rowsText(table.rowCount)});
        item->setData(NameColumn, SchemaRole, database.source.schema);
        item->setData(NameColumn, TableRole, table.name);
        for (const SchemaColumn &column : table.columns) {
            const QString name = column.primaryKey ? tr("%1 (key)").arg(column.name) : column.name;
            item->addChild(new QTreeWidgetItem({name, column.type}));
        }
    }
    return top;
}

void SchemaBrowser::showDatabases(const QList<DatabaseSchema> &databases)
{
    // Keep what the analyst had open and chosen across the refresh.
    QSet<QString> expanded;
    QString current;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *top = m_tree->topLevelItem(i);
        if (top->isExpanded())
            expanded << top->text(NameColumn);
        for (int j = 0; j < top->childCount(); ++j) {
            if (top->child(j)->isExpanded())
                expanded << top->text(NameColumn) + QLatin1Char('.') + top->child(j)->text(NameColumn);
        }
    }
    if (QTreeWidgetItem *item = m_tree->currentItem(); item && !item->data(NameColumn, TableRole).isNull())
        current = item->data(NameColumn, SchemaRole).toString() + QLatin1Char('.')
                  + item->data(NameColumn, TableRole).toString();
    m_tree->clear();
    for (const DatabaseSchema &database : databases) {
        QTreeWidgetItem *top = databaseItem(database);
        m_tree->addTopLevelItem(top);
        top->setExpanded(expanded.isEmpty() || expanded.contains(database.source.schema));
        for (int j = 0; j < top->childCount(); ++j) {
            QTreeWidgetItem *child = top->child(j);
            const QString key = database.source.schema + QLatin1Char('.') + child->text(NameColumn);
            child->setExpanded(expanded.contains(key));
            if (key == current)
                m_tree->setCurrentItem(child);
        }
    }
    m_tree->resizeColumnToContents(NameColumn);
    updateActions();
    Q_EMIT refreshed();
}

void SchemaBrowser::updateActions()
{
    QTreeWidgetItem *item = m_tree->currentItem();
    m_selectTop->setEnabled(item && !item->data(NameColumn, TableRole).toString().isEmpty());
    m_saveScratch->setEnabled(!m_scratchPath.isEmpty() && QFileInfo(m_scratchPath).isFile());
    m_loadCsv->setEnabled(!m_scratchPath.isEmpty() && !m_loader);
}

QString SchemaBrowser::describePlan(const CsvPlan &plan)
{
    QStringList columns;
    for (const CsvColumn &column : plan.columns)
        columns << QStringLiteral("%1 %2").arg(column.name, column.type);
    return tr("Table %1 in the scratch database (schema main), with the types inferred from %n row(s):\n%2", "",
              int(plan.sampledRows))
        .arg(plan.table, columns.join(u"\n"));
}

void SchemaBrowser::loadCsvAs()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load CSV into Scratch Database"), QString(),
                                                      tr("CSV and TSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty())
        loadCsvFile(path);
}

void SchemaBrowser::loadCsvFile(const QString &path)
{
    const auto plan = inspectCsv(path);
    if (!plan) {
        QMessageBox::warning(this, tr("Load CSV"), plan.error());
        return;
    }
    if (QMessageBox::question(this, tr("Load CSV"), describePlan(*plan)) != QMessageBox::Yes)
        return;
    connect(
        this, &SchemaBrowser::csvLoaded, this,
        [this](const QString &error) {
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Load CSV"), error);
        },
        Qt::SingleShotConnection);
    loadCsvInto(path, *plan);
}

void SchemaBrowser::loadCsvInto(const QString &csv, const CsvPlan &plan)
{
    if (m_loader || m_scratchPath.isEmpty()) {
        Q_EMIT csvLoaded(tr("A load is already in progress, or there is no scratch database."));
        return;
    }
    auto error = std::make_shared<QString>();
    const QString database = m_scratchPath;
    m_loader = QThread::create([error, csv, plan, database] {
        const auto loaded = loadCsv(csv, plan, database);
        if (!loaded)
            *error = loaded.error();
    });
    m_loader->setParent(this);
    m_loader->setObjectName(QStringLiteral("csv-loader"));
    connect(m_loader, &QThread::finished, this, [this, error] {
        m_loader->deleteLater();
        m_loader = nullptr;
        updateActions();
        refresh();
        Q_EMIT csvLoaded(*error);
    });
    updateActions();
    m_loader->start(QThread::LowPriority);
}

void SchemaBrowser::selectTop()
{
    QTreeWidgetItem *item = m_tree->currentItem();
    const QString table = item ? item->data(NameColumn, TableRole).toString() : QString();
    if (table.isEmpty())
        return;
    Q_EMIT queryRequested(selectTopQuery(item->data(NameColumn, SchemaRole).toString(), table));
}

QString SchemaBrowser::saveScratchTo(const QString &path)
{
    const auto saved = saveDatabaseCopy(m_scratchPath, path);
    return saved ? QString() : saved.error();
}

void SchemaBrowser::saveScratchAs()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Scratch Database As"),
                                                      QStringLiteral("scratch.sqlite"),
                                                      tr("SQLite databases (*.sqlite *.db);;All files (*)"));
    if (path.isEmpty())
        return;
    if (const QString error = saveScratchTo(path); !error.isEmpty())
        QMessageBox::warning(this, tr("Save Scratch Database"), error);
}

} // namespace safecell
