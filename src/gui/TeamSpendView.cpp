#include "TeamSpendView.h"

#include "budget/LedgerQueryThread.h"
#include "gui/PlainTableItem.h"
#include "gui/SpendBars.h"

#include <QChart>
#include <QChartView>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMap>
#include <QTableWidget>
#include <QVBoxLayout>

namespace safecell {

TeamSpendView::TeamSpendView(QWidget *parent)
    : QWidget(parent)
    , m_queries(new LedgerQueryThread(QString(), this))
    , m_status(new QLabel(this))
    , m_chart(new QChartView(new QChart, this))
    , m_table(new QTableWidget(this))
{
    m_status->setObjectName(QStringLiteral("teamStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chart->setObjectName(QStringLiteral("teamChart"));
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(220);
    m_table->setObjectName(QStringLiteral("teamTable"));
    m_table->setAccessibleName(tr("Team spend by analyst"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setColumnCount(5);
    m_table->setHorizontalHeaderLabels({tr("Analyst"), tr("Kind"), tr("Model or sandbox"), tr("Steps"), tr("Cost")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_table, 1);
    m_status->setText(tr("No team server is set (Settings > Team)."));
}

TeamSpendView::~TeamSpendView() = default;

QChart *TeamSpendView::chart() const
{
    return m_chart->chart();
}

QString TeamSpendView::statusText() const
{
    return m_status->text();
}

bool TeamSpendView::isLoading() const
{
    return m_queries->isBusy();
}

void TeamSpendView::load(const TeamServer &server, const QDate &month)
{
    m_status->setText(tr("Reading the team's spend from %1…").arg(server.describe()));
    m_queries->submit([this, server, month](LedgerQueryContext &) -> LedgerQueryThread::Delivery {
        // On the query thread: the connection is opened, used and closed here.
        Expected<QList<TeamReportRow>, TeamError> rows = [&]() -> Expected<QList<TeamReportRow>, TeamError> {
            auto ledger = TeamLedger::open(server);
            if (!ledger)
                return unexpected(ledger.error());
            return (*ledger)->report(month);
        }();
        return [this, rows, described = server.describe(), month, analyst = server.user] {
            show(rows, described, month, analyst);
        };
    });
}

void TeamSpendView::show(const Expected<QList<TeamReportRow>, TeamError> &rows, const QString &server,
                         const QDate &month, const QString &analyst)
{
    const QString monthName = QLocale().standaloneMonthName(month.month()) + QLatin1Char(' ')
                              + QString::number(month.year());
    m_table->setRowCount(0);
    QChart *chart = m_chart->chart();
    resetSpendChart(chart, tr("Team spend by analyst, %1 (UTC)").arg(monthName));
    if (!rows) {
        m_status->setText(tr("The team's spend cannot be read from %1: %2").arg(server, rows.error().message));
        Q_EMIT loaded();
        return;
    }
    QMap<QString, Money> byAnalyst;
    Money total;
    for (const TeamReportRow &row : *rows) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        m_table->setItem(r, 0, plainTableItem(row.analyst));
        m_table->setItem(r, 1, plainTableItem(chargeKindName(row.kind)));
        m_table->setItem(r, 2, plainTableItem(row.resource));
        m_table->setItem(r, 3, plainTableItem(QString::number(row.steps)));
        m_table->setItem(r, 4, plainTableItem(row.cost.toString()));
        byAnalyst[row.analyst] += row.cost;
        total += row.cost;
    }
    QList<SpendBar> bars;
    for (auto it = byAnalyst.cbegin(); it != byAnalyst.cend(); ++it)
        bars << SpendBar{it.key(), it.value()};
    showSpendBars(chart, bars);

    QString text = tr("%1 spent in %2 (analysts: %3), from %4.")
                       .arg(total.toString(), monthName, QString::number(byAnalyst.size()), server);
    if (byAnalyst.size() <= 1 && (byAnalyst.isEmpty() || byAnalyst.contains(analyst)))
        text += QLatin1Char(' ') + tr("An analyst sees only their own spend; the team's admin sees everyone's.");
    m_status->setText(text);
    Q_EMIT loaded();
}

} // namespace safecell
