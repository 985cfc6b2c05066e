#include "VariablesPane.h"

#include "PlainTableItem.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTextDocument>
#include <QVBoxLayout>

namespace safecell {

VariablesPane::VariablesPane(QWidget *parent)
    : QDockWidget(tr("Variables"), parent)
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_note(new QLabel(this))
{
    setObjectName(QStringLiteral("variablesPane"));
    setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    m_table->setObjectName(QStringLiteral("variablesTable"));
    m_table->setAccessibleName(tr("Session variables"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Type"), tr("Size"), tr("Preview")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(true);
    m_table->sortItems(NameColumn, Qt::AscendingOrder);
    connect(m_table, &QTableWidget::itemActivated, this, [this](QTableWidgetItem *activated) {
        const QTableWidgetItem *name = m_table->item(activated->row(), NameColumn);
        if (name && name->data(Qt::UserRole).toString() == QLatin1String("dataframe"))
            Q_EMIT dataFrameActivated(name->text());
    });
    m_note->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("variablesNote"));
    auto *body = new QWidget(this);
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_table);
    layout->addWidget(m_note);
    setWidget(body);
    clear();
}

void VariablesPane::clear()
{
    m_table->setRowCount(0);
    m_note->setText(tr("Variables a Python snippet sets are listed here after it runs."));
}

void VariablesPane::showListing(const VariableListing &listing)
{
    m_table->setSortingEnabled(false); // rows go in where they are put
    m_table->setRowCount(int(listing.variables.size()));
    for (int row = 0; row < listing.variables.size(); ++row) {
        const VariableInfo &variable = listing.variables.at(row);
        QTableWidgetItem *name = plainTableItem(variable.name);
        name->setData(Qt::UserRole, variable.kind); // a DataFrame opens in the data viewer
        if (variable.kind == QLatin1String("dataframe"))
            name->setToolTip(
                Qt::convertFromPlainText(tr("%1: double-click to open it in the data viewer").arg(variable.name)));
        m_table->setItem(row, NameColumn, name);
        m_table->setItem(row, TypeColumn, plainTableItem(variable.type));
        m_table->setItem(row, SizeColumn, plainTableItem(variable.shape));
        m_table->setItem(row, PreviewColumn, plainTableItem(variable.preview));
    }
    m_table->setSortingEnabled(true);
    // The analyst's chosen order (by name at first) holds across runs.
    const QHeaderView *header = m_table->horizontalHeader();
    m_table->sortItems(header->sortIndicatorSection(), header->sortIndicatorOrder());
    m_table->resizeColumnsToContents();
    if (listing.variables.isEmpty())
        m_note->setText(tr("The session has no variables."));
    else if (listing.truncated)
        m_note->setText(tr("Only the first %n variable(s) are listed.", nullptr, int(listing.variables.size())));
    else
        m_note->clear();
    m_note->setVisible(!m_note->text().isEmpty());
}

QString VariablesPane::note() const
{
    return m_note->text();
}

} // namespace safecell
