#pragma once

#include "sandbox/Execution.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace safecell {

class TableModel;

// One result table: sortable by clicking a header, Ctrl+C copies the
// selected cells as tab-separated text, "Export CSV" writes the rows in
// their shown order.
class TableResultView : public QWidget {
    Q_OBJECT
public:
    explicit TableResultView(const TableData &table, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    // The selected cells as tab-separated lines (what Ctrl+C copies).
    QString selectionAsText() const;
    void copySelection() const;
    // Header and every row in the shown (sorted) order, RFC 4180 quoting;
    // a DataFrame's index is the first, unnamed column.
    QString toCsv() const;
    bool exportCsv(const QString &path, QString *error = nullptr) const;

private:
    void exportWithDialog();

    TableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view;
    QLabel *m_summary;
};

} // namespace safecell
