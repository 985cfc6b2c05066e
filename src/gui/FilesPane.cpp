#include "FilesPane.h"

#include "OutputFilesView.h"
#include "PlainTableItem.h"

#include <QAction>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QTextDocument>
#include <QVBoxLayout>

namespace safecell {

QString sharedSizeText(const SharedPath &share)
{
    if (share.kind == SharedKind::Folder)
        return QObject::tr("folder");
    return QLocale().formattedDataSize(share.size, 1, QLocale::DataSizeTraditionalFormat);
}

FilesPane::FilesPane(std::function<QString()> dataFolder, QWidget *parent)
    : QDockWidget(tr("Files"), parent)
    , m_dataFolder(std::move(dataFolder))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_note(new QLabel(this))
    , m_remove(new QPushButton(tr("Remove"), this))
    , m_loadSql(new QPushButton(tr("Load into SQL…"), this))
    , m_addData(new QAction(tr("Add &Data…"), this))
    , m_addFolder(new QAction(tr("Add Data &Folder…"), this))
    , m_outputs(new OutputFilesView(this))
{
    setObjectName(QStringLiteral("filesPane"));
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    m_addData->setObjectName(QStringLiteral("actionAddData"));
    m_addData->setToolTip(tr("Share files or a folder with snippets, read-only at /data/<name>"));
    connect(m_addData, &QAction::triggered, this, &FilesPane::chooseFiles);
    m_addFolder->setObjectName(QStringLiteral("actionAddDataFolder"));
    m_addFolder->setToolTip(tr("Share a folder with snippets, read-only at /data/<name>"));
    connect(m_addFolder, &QAction::triggered, this, &FilesPane::chooseFolder);
    m_table->setObjectName(QStringLiteral("filesTable"));
    m_table->setAccessibleName(tr("Shared files"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("In snippets"), tr("Size"), tr("Type")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_remove->setObjectName(QStringLiteral("filesRemove"));
    m_remove->setToolTip(tr("Stop sharing the selected files: the next run no longer sees them"));
    connect(m_remove, &QPushButton::clicked, this, &FilesPane::removeSelected);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &FilesPane::updateButtons);
    m_loadSql->setObjectName(QStringLiteral("filesLoadSql"));
    m_loadSql->setToolTip(tr("Load the selected CSV file or Excel sheet as a table of the session's scratch "
                             "database, after seeing its columns' types"));
    connect(m_loadSql, &QPushButton::clicked, this, [this] {
        if (const auto share = selectedShare())
            Q_EMIT loadIntoSqlRequested(*share);
    });
    auto *add = new QPushButton(tr("Add…"), this);
    add->setObjectName(QStringLiteral("filesAdd"));
    add->setToolTip(m_addData->toolTip());
    connect(add, &QPushButton::clicked, m_addData, &QAction::trigger);
    auto *addFolder = new QPushButton(tr("Add folder…"), this);
    addFolder->setObjectName(QStringLiteral("filesAddFolder"));
    addFolder->setToolTip(m_addFolder->toolTip());
    connect(addFolder, &QPushButton::clicked, m_addFolder, &QAction::trigger);
    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("filesNote"));
    auto *body = new QWidget(this);
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_table);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(addFolder);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    layout->addLayout(buttons);
    // A row of its own: four buttons in one were clipped in a dock of the default width.
    auto *toSql = new QHBoxLayout;
    toSql->addWidget(m_loadSql);
    toSql->addStretch();
    layout->addLayout(toSql);
    layout->addWidget(m_note);
    layout->addWidget(m_outputs);
    setWidget(body);
    refresh();
}

QStringList FilesPane::addPaths(const QStringList &hostPaths)
{
    const QList<SharedPath> before = m_shared.paths();
    QStringList errors;
    for (const QString &path : hostPaths) {
        const auto added = m_shared.add(path, m_dataFolder ? m_dataFolder() : QString());
        if (!added)
            errors << added.error();
    }
    refresh();
    const QString change = describeShareChange(before, m_shared.paths());
    if (!change.isEmpty() || !errors.isEmpty()) {
        QStringList parts;
        if (!change.isEmpty())
            parts << tr("Shared data %1 (read-only).").arg(change);
        parts << errors;
        Q_EMIT sharesChanged(m_shared.paths(), parts.join(QLatin1Char(' ')));
    }
    return errors;
}

bool FilesPane::removeShare(const QString &name)
{
    const QList<SharedPath> before = m_shared.paths();
    if (!m_shared.remove(name))
        return false;
    refresh();
    Q_EMIT sharesChanged(m_shared.paths(), tr("Shared data %1.").arg(describeShareChange(before, m_shared.paths())));
    return true;
}

void FilesPane::removeSelected()
{
    QStringList names;
    for (const QModelIndex &row : m_table->selectionModel()->selectedRows(NameColumn))
        names << m_table->item(row.row(), NameColumn)->data(Qt::UserRole).toString();
    const QList<SharedPath> before = m_shared.paths();
    for (const QString &name : std::as_const(names))
        m_shared.remove(name);
    if (m_shared.paths() == before)
        return;
    refresh();
    Q_EMIT sharesChanged(m_shared.paths(), tr("Shared data %1.").arg(describeShareChange(before, m_shared.paths())));
}

void FilesPane::chooseFiles()
{
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Add Data: files to share with snippets"), QString(),
        tr("Data files (*.csv *.tsv *.tab *.txt *.xlsx *.xlsm *.sqlite *.sqlite3 *.db *.json);;All files (*)"));
    if (!paths.isEmpty())
        addPaths(paths);
}

void FilesPane::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add Data: a folder to share with snippets"));
    if (!folder.isEmpty())
        addPaths({folder});
}

void FilesPane::refresh()
{
    const QList<SharedPath> &shares = m_shared.paths();
    m_table->setRowCount(int(shares.size()));
    for (int row = 0; row < shares.size(); ++row) {
        const SharedPath &share = shares.at(row);
        QTableWidgetItem *name = plainTableItem(share.name, share.hostPath);
        name->setData(Qt::UserRole, share.name);
        m_table->setItem(row, NameColumn, name);
        m_table->setItem(row, PathColumn, plainTableItem(share.sandboxPath()));
        m_table->setItem(row, SizeColumn, plainTableItem(sharedSizeText(share)));
        m_table->setItem(row, TypeColumn, plainTableItem(sharedKindName(share.kind)));
    }
    m_table->resizeColumnsToContents();
    updateButtons();
    m_note->setText(shares.isEmpty()
                        ? tr("Add files or a folder (File > Add Data…, or drop them on the window) and snippets "
                             "read them at /data/<name>, read-only. Nothing else of your files is shared.")
                        : tr("Snippets read these at their /data path, read-only. A change restarts the Python "
                             "session at the next run."));
}

std::optional<SharedPath> FilesPane::selectedShare() const
{
    const QList<QModelIndex> rows = m_table->selectionModel()->selectedRows(NameColumn);
    if (rows.size() != 1)
        return std::nullopt;
    const QString name = m_table->item(rows.first().row(), NameColumn)->data(Qt::UserRole).toString();
    for (const SharedPath &share : m_shared.paths()) {
        if (share.name == name)
            return share;
    }
    return std::nullopt;
}

void FilesPane::updateButtons()
{
    m_remove->setEnabled(!m_table->selectionModel()->selectedRows().isEmpty());
    const auto share = selectedShare();
    m_loadSql->setEnabled(
        share
        && (share->kind == SharedKind::Csv || share->kind == SharedKind::Tsv || share->kind == SharedKind::Excel));
}

QString FilesPane::note() const
{
    return m_note->text();
}

} // namespace safecell
