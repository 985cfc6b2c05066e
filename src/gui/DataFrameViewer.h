#pragma once

#include "gui/DataFrameModel.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace safecell {

// A window onto one session DataFrame, as Spyder's and Positron's data
// explorers are: its rows a page at a time (DataFrameModel), a click on a
// column's header sorts by it (a third click restores the frame's order),
// and a filter box keeps the rows whose text contains what is typed, in
// one column or any. The row count and the frame's index are shown.
class DataFrameViewer : public QWidget {
    Q_OBJECT
public:
    static constexpr int kFilterDelayMs = 300;

    DataFrameViewer(const QString &name, DataFrameModel::Requester requester, QWidget *parent = nullptr);

    DataFrameModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    QComboBox *filterColumnBox() const { return m_filterColumn; }
    QString statusText() const;

public Q_SLOTS:
    void acceptPage(const safecell::DataPage &page) { m_model->acceptPage(page); }
    // The session ran again: the frame may have changed.
    void reload() { m_model->reload(); }

private:
    void applyFilter();
    void onStateChanged();

    DataFrameModel *m_model;
    QTableView *m_view;
    QLineEdit *m_filter;
    QComboBox *m_filterColumn;
    QLabel *m_status;
    QTimer m_filterDelay;
};

} // namespace safecell
