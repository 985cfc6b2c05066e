#include "TableModel.h"

#include <cmath>
#include <limits>

namespace safecell {

namespace {

bool isNumericType(const QString &type)
{
    const QString t = type.toLower();
    static const char *const numericWords[] = {"int", "float", "real", "double", "numeric", "decimal"};
    for (const char *word : numericWords) {
        if (t.contains(QLatin1String(word)))
            return true;
    }
    return false;
}

} // namespace

TableModel::TableModel(TableData table, QObject *parent)
    : QAbstractTableModel(parent)
    , m_table(std::move(table))
{
    for (qsizetype c = 0; c < m_table.columns.size(); ++c)
        m_numeric << isNumericType(m_table.types.value(c));
}

int TableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_table.rows.size());
}

int TableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_table.columns.size());
}

bool TableModel::isNumericColumn(int column) const
{
    return m_numeric.value(column, false);
}

QVariant TableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const QString text = m_table.rows.value(index.row()).value(index.column());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return text;
    case Qt::TextAlignmentRole:
        return isNumericColumn(index.column()) ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    case SortRole: {
        if (!isNumericColumn(index.column()))
            return text;
        bool ok = false;
        const double value = text.toDouble(&ok);
        // Missing values (NaN, None, empty) sort before every number.
        return ok && !std::isnan(value) ? value : -std::numeric_limits<double>::infinity();
    }
    default:
        return {};
    }
}

QVariant TableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role != Qt::DisplayRole)
            return {};
        // The DataFrame's own index; rows without one (SQL) are numbered from 1.
        return m_table.rowLabels.isEmpty() ? QVariant(section + 1) : QVariant(m_table.rowLabels.value(section));
    }
    if (role == Qt::DisplayRole)
        return m_table.columns.value(section);
    if (role == Qt::ToolTipRole && !m_table.types.value(section).isEmpty())
        return tr("%1 (%2)").arg(m_table.columns.value(section), m_table.types.value(section));
    return {};
}

} // namespace safecell
