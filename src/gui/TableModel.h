#pragma once

#include "sandbox/Execution.h"

#include <QAbstractTableModel>

namespace safecell {

// A result table (DataFrame or SQL result set) for a QTableView. SortRole
// gives numbers for numeric columns, so 10 sorts after 9.
class TableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit TableModel(TableData table, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const TableData &table() const { return m_table; }
    bool isNumericColumn(int column) const;

private:
    TableData m_table;
    QList<bool> m_numeric;
};

} // namespace safecell
