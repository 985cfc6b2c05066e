#include "DataFrameModel.h"

#include <QBrush>
#include <QLocale>
#include <QPalette>
#include <QTimer>
#include <QUuid>

namespace safecell {

DataFrameModel::DataFrameModel(QString name, Requester requester, QObject *parent)
    : QAbstractTableModel(parent)
    , m_name(std::move(name))
    , m_viewerId(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_requester(std::move(requester))
{
    want(0); // the shape comes with the first page
}

QString DataFrameModel::placeholder()
{
    return QStringLiteral("…");
}

int DataFrameModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(qMin<qint64>(m_filteredRows, INT_MAX));
}

int DataFrameModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

const QStringList *DataFrameModel::cachedRow(int row, QString *label) const
{
    const qint64 block = row / m_blockRows;
    const auto found = m_blocks.constFind(block);
    if (found == m_blocks.constEnd())
        return nullptr;
    const qint64 local = row - block * m_blockRows;
    if (local >= found->rows.size())
        return nullptr;
    if (label)
        *label = found->labels.value(local);
    return &found->rows.at(local);
}

QVariant DataFrameModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.column() >= m_columns.size())
        return {};
    const QStringList *row = cachedRow(index.row());
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        if (row)
            return row->value(index.column());
        if (m_error.isEmpty())
            want(index.row() / m_blockRows);
        return role == Qt::DisplayRole ? placeholder() : QVariant();
    }
    if (role == Qt::ForegroundRole && !row)
        return QBrush(QPalette().color(QPalette::PlaceholderText));
    return {};
}

QVariant DataFrameModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= m_columns.size())
            return {};
        if (role == Qt::DisplayRole)
            return m_columns.at(section);
        if (role == Qt::ToolTipRole)
            return tr("%1 (%2)").arg(m_columns.at(section), m_dtypes.value(section));
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    // The frame's index label of the row, as pandas prints it.
    QString label;
    if (section >= 0 && cachedRow(section, &label))
        return label;
    return placeholder();
}

void DataFrameModel::want(qint64 block) const
{
    if (m_outstanding && m_outstanding->serial == m_serial && m_outstanding->offset == block * m_blockRows)
        return;
    m_wanted.removeOne(block);
    m_wanted.append(block);
    while (m_wanted.size() > kMaxWantedBlocks)
        m_dropped.append(m_wanted.takeFirst());
    scheduleSend();
}

void DataFrameModel::scheduleSend() const
{
    // Never from inside a paint (data() is asked while painting), and never
    // a page the view no longer needs by the time the loop turns.
    if (m_sendScheduled)
        return;
    m_sendScheduled = true;
    QTimer::singleShot(0, const_cast<DataFrameModel *>(this), &DataFrameModel::sendNext);
}

void DataFrameModel::sendNext()
{
    m_sendScheduled = false;
    if (m_outstanding || m_wanted.isEmpty())
        return;
    const qint64 block = m_wanted.takeLast();
    if (m_blocks.contains(block) && m_shapeKnown)
        return sendNext();
    m_outstanding = Outstanding{m_serial, block * m_blockRows};
    DataPageRequest request;
    request.viewerId = m_viewerId;
    request.serial = m_serial;
    request.name = m_name;
    request.offset = block * m_blockRows;
    request.count = m_blockRows;
    request.sortColumn = m_sortColumn;
    request.descending = m_descending;
    request.filterText = m_filterText;
    request.filterColumn = m_filterColumn;
    Q_EMIT stateChanged();
    m_requester(request); // may answer at once (acceptPage) when the sandbox cannot page
}

void DataFrameModel::acceptPage(const DataPage &page)
{
    if (page.request.viewerId != m_viewerId)
        return;
    const qint64 block = page.request.offset / qMax<qint64>(1, page.request.count);
    if (m_outstanding && m_outstanding->serial == page.request.serial && m_outstanding->offset == page.request.offset)
        m_outstanding.reset();
    if (page.request.serial == m_serial) {
        if (!page.ok()) {
            m_error = page.error;
            m_wanted.clear();
        } else {
            m_error.clear();
            applyShape(page);
            store(block, page);
        }
    }
    const QList<qint64> dropped = std::exchange(m_dropped, {});
    for (const qint64 again : dropped) // on screen, they are asked for again
        emitRowsChanged(again * m_blockRows, (again + 1) * m_blockRows - 1);
    Q_EMIT stateChanged();
    scheduleSend();
}

void DataFrameModel::applyShape(const DataPage &page)
{
    const bool reshaped = !m_shapeKnown || page.columns != m_columns || page.filteredRows != m_filteredRows;
    if (reshaped) {
        beginResetModel();
        m_blocks.clear();
        m_recent.clear();
    }
    m_columns = page.columns;
    m_dtypes = page.dtypes;
    m_totalColumns = page.totalColumns;
    m_totalRows = page.totalRows;
    m_filteredRows = page.filteredRows;
    // As the kernel bounds a page of a wide frame (dataview.py).
    m_blockRows = int(qBound(qint64(1), 20000 / qMax<qint64>(1, m_columns.size()), qint64(kMaxBlockRows)));
    m_shapeKnown = true;
    if (reshaped)
        endResetModel();
}

void DataFrameModel::store(qint64 block, const DataPage &page)
{
    if (page.request.count != m_blockRows) {
        // Asked for before the shape was known: keep it if it fits the blocks.
        if (page.request.offset % m_blockRows != 0)
            return;
        block = page.request.offset / m_blockRows;
    }
    Block stored{page.rowLabels, page.rows};
    if (stored.rows.size() > m_blockRows) {
        stored.rows.resize(m_blockRows);
        stored.labels.resize(m_blockRows);
    }
    m_blocks.insert(block, std::move(stored));
    m_recent.removeOne(block);
    m_recent.append(block);
    while (m_recent.size() > kMaxCachedBlocks)
        m_blocks.remove(m_recent.takeFirst());
    emitRowsChanged(block * m_blockRows, block * m_blockRows + page.rows.size() - 1);
}

void DataFrameModel::emitRowsChanged(qint64 firstRow, qint64 lastRow)
{
    lastRow = qMin<qint64>(lastRow, rowCount() - 1);
    if (firstRow > lastRow || m_columns.isEmpty())
        return;
    Q_EMIT dataChanged(index(int(firstRow), 0), index(int(lastRow), int(m_columns.size()) - 1));
    Q_EMIT headerDataChanged(Qt::Vertical, int(firstRow), int(lastRow));
}

void DataFrameModel::startQuery()
{
    ++m_serial;
    m_error.clear();
    m_blocks.clear();
    m_recent.clear();
    m_wanted.clear();
    m_dropped.clear();
    // The rows on screen show placeholders and ask for their new pages;
    // the first page of the new order says how many rows there are.
    want(0);
    emitRowsChanged(0, rowCount() - 1);
    Q_EMIT stateChanged();
}

void DataFrameModel::sort(int column, Qt::SortOrder order)
{
    const int sortColumn = column >= 0 && column < m_columns.size() ? column : -1;
    const bool descending = sortColumn >= 0 && order == Qt::DescendingOrder;
    if (sortColumn == m_sortColumn && descending == m_descending)
        return;
    m_sortColumn = sortColumn;
    m_descending = descending;
    startQuery();
}

void DataFrameModel::setFilter(const QString &text, int column)
{
    const int filterColumn = column >= 0 && column < m_columns.size() ? column : -1;
    if (text == m_filterText && filterColumn == m_filterColumn)
        return;
    m_filterText = text;
    m_filterColumn = filterColumn;
    startQuery();
}

void DataFrameModel::reload()
{
    // A renewed session (a new run thread) never answers the old one's
    // page: waiting for it would stop the viewer for good. Should it come,
    // its serial is an old one and it is dropped.
    m_outstanding.reset();
    startQuery();
}

} // namespace safecell
