#include "DataFrameViewer.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTableView>
#include <QVBoxLayout>

namespace safecell {

DataFrameViewer::DataFrameViewer(const QString &name, DataFrameModel::Requester requester, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_model(new DataFrameModel(name, std::move(requester), this))
    , m_view(new QTableView(this))
    , m_filter(new QLineEdit(this))
    , m_filterColumn(new QComboBox(this))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("dataFrameViewer"));
    setWindowTitle(tr("%1 — DataFrame").arg(name));
    m_filter->setObjectName(QStringLiteral("dataFrameFilter"));
    m_filter->setPlaceholderText(tr("Filter rows: text the cell contains"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter rows"));
    m_filterColumn->setObjectName(QStringLiteral("dataFrameFilterColumn"));
    m_filterColumn->setAccessibleName(tr("Filter in column"));
    m_filterColumn->addItem(tr("All columns"), -1);
    m_status->setObjectName(QStringLiteral("dataFrameStatus"));
    m_status->setTextFormat(Qt::PlainText); // a column's or an error's text is the snippet's

    m_view->setObjectName(QStringLiteral("dataFrameTable"));
    m_view->setAccessibleName(tr("Rows of %1").arg(name));
    m_view->setModel(m_model);
    m_view->setWordWrap(false);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    // Fixed rows: a million of them cost the header nothing to lay out.
    QHeaderView *rows = m_view->verticalHeader();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *columns = m_view->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::Interactive);
    columns->setDefaultSectionSize(120);
    columns->setSortIndicatorClearable(true);
    columns->setSortIndicator(-1, Qt::AscendingOrder); // the frame's own order at first
    m_view->setSortingEnabled(true);

    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(kFilterDelayMs);
    connect(&m_filterDelay, &QTimer::timeout, this, &DataFrameViewer::applyFilter);
    connect(m_filter, &QLineEdit::textChanged, &m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_filterColumn, &QComboBox::currentIndexChanged, this, &DataFrameViewer::applyFilter);
    connect(m_model, &DataFrameModel::stateChanged, this, &DataFrameViewer::onStateChanged);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_filterColumn);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    resize(900, 600);
    onStateChanged();
}

void DataFrameViewer::applyFilter()
{
    m_filterDelay.stop();
    m_model->setFilter(m_filter->text(), m_filterColumn->currentData().toInt());
}

QString DataFrameViewer::statusText() const
{
    return m_status->text();
}

void DataFrameViewer::onStateChanged()
{
    if (m_filterColumn->count() != m_model->columns().size() + 1) {
        const QSignalBlocker quiet(m_filterColumn);
        const int chosen = m_filterColumn->currentData().toInt();
        m_filterColumn->clear();
        m_filterColumn->addItem(tr("All columns"), -1);
        for (int column = 0; column < m_model->columns().size(); ++column)
            m_filterColumn->addItem(m_model->columns().at(column), column);
        m_filterColumn->setCurrentIndex(qMax(0, m_filterColumn->findData(chosen)));
    }
    const QLocale locale;
    QString text;
    if (!m_model->error().isEmpty()) {
        text = m_model->error();
    } else if (!m_model->shapeKnown()) {
        text = tr("Loading…");
    } else {
        const QString shape = tr("%1 rows x %2 columns")
                                  .arg(locale.toString(m_model->totalRows()), locale.toString(m_model->totalColumns()));
        text = m_model->filteredRows() == m_model->totalRows()
                   ? shape
                   : tr("%1 of %2 rows match").arg(locale.toString(m_model->filteredRows()), shape);
        if (m_model->totalColumns() > m_model->columns().size())
            text += tr(" (the first %1 columns shown)").arg(m_model->columns().size());
        if (m_model->isLoading())
            text += tr(" — loading…");
    }
    m_status->setText(text);
}

} // namespace safecell
