#include "TableResultView.h"

#include "gui/TableModel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include <map>

namespace safecell {

namespace {

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n'))
        && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

} // namespace

TableResultView::TableResultView(const TableData &table, QWidget *parent)
    : QWidget(parent)
    , m_model(new TableModel(table, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_summary(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(TableModel::SortRole);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // keep the result's own order until a header is clicked
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setAccessibleName(tr("Result table"));
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->resizeColumnsToContents();

    const qint64 shown = table.rows.size();
    const qint64 total = std::max(table.totalRows, shown);
    m_summary->setText(
        shown < total
            ? tr("%1 of %2 rows, %3 columns (the first rows only)").arg(shown).arg(total).arg(table.columns.size())
            : tr("%1 rows, %2 columns").arg(shown).arg(table.columns.size()));

    auto *copyAction = new QAction(tr("&Copy"), this);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copyAction, &QAction::triggered, this, &TableResultView::copySelection);
    m_view->addAction(copyAction);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *copyButton = new QPushButton(tr("Copy"), this);
    copyButton->setToolTip(tr("Copy the selected cells (Ctrl+C)"));
    connect(copyButton, &QPushButton::clicked, this, &TableResultView::copySelection);
    auto *exportButton = new QPushButton(QIcon(QStringLiteral(":/icons/export.svg")), tr("Export CSV…"), this);
    exportButton->setObjectName(QStringLiteral("exportCsvButton"));
    connect(exportButton, &QPushButton::clicked, this, &TableResultView::exportWithDialog);
    // Also in the table's context menu (the Menu key), for the keyboard.
    auto *exportAction = new QAction(exportButton->icon(), tr("E&xport CSV…"), this);
    connect(exportAction, &QAction::triggered, this, &TableResultView::exportWithDialog);
    m_view->addAction(exportAction);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_summary, 1);
    bar->addWidget(copyButton);
    bar->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
}

QString TableResultView::selectionAsText() const
{
    const QModelIndexList indexes = m_view->selectionModel()->selectedIndexes();
    if (indexes.isEmpty())
        return {};
    // Rows and columns in view order, a rectangular block with blanks for gaps.
    std::map<int, std::map<int, QString>> cells;
    std::map<int, bool> columns;
    for (const QModelIndex &index : indexes) {
        const int column = m_view->horizontalHeader()->visualIndex(index.column());
        cells[index.row()][column] = index.data().toString();
        columns[column] = true;
    }
    QStringList lines;
    for (const auto &[row, values] : cells) {
        QStringList fields;
        for (const auto &[column, unused] : columns) {
            Q_UNUSED(unused)
            const auto it = values.find(column);
            fields << (it == values.end() ? QString() : it->second);
        }
        lines << fields.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n'));
}

void TableResultView::copySelection() const
{
    const QString text = selectionAsText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

QString TableResultView::toCsv() const
{
    QString csv;
    const int columns = m_proxy->columnCount();
    // A DataFrame's index first, unnamed, as pandas writes it.
    const bool labelled = !m_model->table().rowLabels.isEmpty();
    QStringList header;
    if (labelled)
        header << QString();
    for (int c = 0; c < columns; ++c)
        header << csvField(m_model->headerData(c, Qt::Horizontal).toString());
    csv += header.join(QLatin1Char(',')) + QLatin1String("\r\n");
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        QStringList fields;
        if (labelled)
            fields << csvField(m_proxy->headerData(r, Qt::Vertical).toString());
        for (int c = 0; c < columns; ++c)
            fields << csvField(m_proxy->index(r, c).data().toString());
        csv += fields.join(QLatin1Char(',')) + QLatin1String("\r\n");
    }
    return csv;
}

bool TableResultView::exportCsv(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toCsv().toUtf8()) < 0 || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void TableResultView::exportWithDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the table as CSV"), QString(),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1: %2").arg(path, error));
}

} // namespace safecell
