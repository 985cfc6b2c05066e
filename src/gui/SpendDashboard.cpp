#include "SpendDashboard.h"

#include "ui_SpendDashboard.h"

#include "budget/LedgerLocation.h"
#include "gui/SpendBars.h"
#include "gui/TeamSpendView.h"
#include "settings/Settings.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QHeaderView>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QPieSeries>
#include <QTimeZone>
#include <QVBoxLayout>
#include <QValueAxis>

namespace safecell {

namespace {

double dollars(Money m)
{
    return double(m.nanos()) / double(Money::kNanosPerUsd);
}

qreal msOf(QDate date)
{
    return qreal(QDateTime(date, QTime(12, 0), Qt::UTC).toMSecsSinceEpoch());
}

QChartView *placeChart(QWidget *holder, const QString &name)
{
    auto *view = new QChartView(new QChart, holder);
    view->setRenderHint(QPainter::Antialiasing);
    view->setObjectName(name);
    view->setMinimumHeight(220);
    auto *layout = new QVBoxLayout(holder);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view);
    return view;
}

} // namespace

SpendDashboard::SpendDashboard(Settings &settings, QString ledgerPath, QDateTime now, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::SpendDashboard>())
    , m_settings(settings)
    , m_queries(new LedgerQueryThread(ledgerPath.isEmpty() ? defaultLedgerPath() : std::move(ledgerPath), this))
    , m_now(now.isValid() ? now.toUTC() : QDateTime::currentDateTimeUtc())
{
    m_ui->setupUi(this);
    m_daily = placeChart(m_ui->dailyHolder, QStringLiteral("dailyChart"));
    m_byResource = placeChart(m_ui->byResourceHolder, QStringLiteral("byResourceChart"));
    m_split = placeChart(m_ui->splitHolder, QStringLiteral("splitChart"));
    m_ui->periodBox->addItem(tr("This month"), int(Period::ThisMonth));
    m_ui->periodBox->addItem(tr("Last month"), int(Period::LastMonth));
    m_ui->periodBox->addItem(tr("Last 7 days"), int(Period::Last7Days));
    m_ui->periodBox->addItem(tr("Last 30 days"), int(Period::Last30Days));
    connect(m_ui->periodBox, &QComboBox::currentIndexChanged, this,
            [this] { setPeriod(Period(m_ui->periodBox->currentData().toInt())); });
    connect(m_ui->buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_ui->runsTable->setColumnCount(3);
    m_ui->runsTable->setHorizontalHeaderLabels({tr("Run"), tr("Cost"), tr("Last charge (UTC)")});
    m_ui->runsTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_ui->runsTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_ui->runsTable->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_ui->runsTable->verticalHeader()->setDefaultSectionSize(m_ui->runsTable->fontMetrics().height() + 6);
    m_ui->views->removeTab(m_ui->views->indexOf(m_ui->teamTab)); // until showTeam()
    reload();
}

SpendDashboard::~SpendDashboard() = default;

QChart *SpendDashboard::dailyChart() const
{
    return m_daily->chart();
}
QChart *SpendDashboard::byResourceChart() const
{
    return m_byResource->chart();
}
QChart *SpendDashboard::splitChart() const
{
    return m_split->chart();
}

QString SpendDashboard::summaryText() const
{
    return m_ui->summaryLabel->text();
}

void SpendDashboard::setPeriod(Period period)
{
    m_period = period;
    const int index = m_ui->periodBox->findData(int(period));
    if (m_ui->periodBox->currentIndex() != index) {
        m_ui->periodBox->setCurrentIndex(index); // comes back here through the signal
        return;
    }
    reload();
}

void SpendDashboard::reload()
{
    const QDate today = m_now.date();
    const QDate monthStart(today.year(), today.month(), 1);
    QDate from, to; // to: exclusive
    switch (m_period) {
    case Period::ThisMonth:
        from = monthStart;
        to = monthStart.addMonths(1);
        break;
    case Period::LastMonth:
        from = monthStart.addMonths(-1);
        to = monthStart;
        break;
    case Period::Last7Days:
        from = today.addDays(-6);
        to = today.addDays(1);
        break;
    case Period::Last30Days:
        from = today.addDays(-29);
        to = today.addDays(1);
        break;
    }
    const QDateTime fromTime(from, QTime(0, 0), Qt::UTC);
    const QDateTime toTime(to, QTime(0, 0), Qt::UTC);
    // The team's ledger counts calendar months (UTC): the month the period ends in.
    if (m_team && m_teamServer)
        m_team->load(*m_teamServer, to.addDays(-1));
    m_queries->submit([this, from, to, fromTime, toTime](LedgerQueryContext &context) -> LedgerQueryThread::Delivery {
        // On the query thread: only values and the context are touched here.
        Expected<SpendReport, LedgerError> report = [&]() -> Expected<SpendReport, LedgerError> {
            auto ledger = context.ledger(); // kept open for the next reload
            if (!ledger)
                return unexpected(ledger.error());
            return readSpendReport(**ledger, fromTime, toTime);
        }();
        return [this, report, from, to, fromTime, toTime] { showReport(report, from, to, fromTime, toTime); };
    });
}

bool SpendDashboard::isLoading() const
{
    return m_queries->isBusy() || (m_team && m_team->isLoading());
}

void SpendDashboard::showTeam(const TeamServer &server)
{
    m_teamServer = server;
    if (!m_team) {
        m_team = new TeamSpendView(m_ui->teamTab);
        m_ui->teamLayout->addWidget(m_team);
        m_ui->views->addTab(m_ui->teamTab, tr("&Team"));
        connect(m_team, &TeamSpendView::loaded, this, [this] {
            if (!isLoading())
                Q_EMIT loaded();
        });
    }
    reload();
}

void SpendDashboard::showReport(const Expected<SpendReport, LedgerError> &report, const QDate &from, const QDate &to,
                                const QDateTime &fromTime, const QDateTime &toTime)
{
    const QDate today = m_now.date();
    if (!report) {
        m_report = {};
        m_ui->summaryLabel->setText(tr("The spend ledger cannot be read: %1").arg(report.error().message));
    } else {
        m_report = *report;
    }
    const Money limit = Money::fromUsd(m_settings.number(Setting::BudgetMonthlyLimitUsd)).value_or(Money());
    // With a team the limit is the server's, for everyone's spend: this
    // desktop's alone says nothing about when it is reached.
    m_forecast = m_period == Period::ThisMonth && !m_teamServer
                     ? forecastLimitDay(m_report.daily, limit, from, to, today)
                     : std::nullopt;
    if (report && m_teamServer) {
        m_ui->summaryLabel->setText(
            tr("This desktop spent %1 (LLM %2, sandbox %3); the limits are the team's "
               "(see the Team tab).")
                .arg(m_report.total().toString(), m_report.llm.toString(), m_report.sandbox.toString()));
    } else if (report) {
        QString summary = tr("Spent %1 (LLM %2, sandbox %3); monthly limit %4.")
                              .arg(m_report.total().toString(), m_report.llm.toString(), m_report.sandbox.toString(),
                                   limit.toString());
        if (m_period == Period::ThisMonth)
            summary += QLatin1Char(' ')
                       + (m_forecast ? tr("At this rate the limit is reached on %1.")
                                           .arg(QLocale().toString(*m_forecast, QLocale::ShortFormat))
                                     : tr("At this rate the limit is not reached this month."));
        m_ui->summaryLabel->setText(summary);
    }
    showDaily(fromTime, toTime);
    showByResource();
    showSplit();
    showRuns();
    if (!isLoading())
        Q_EMIT loaded();
}

void SpendDashboard::showDaily(const QDateTime &from, const QDateTime &to)
{
    QChart *chart = m_daily->chart();
    resetSpendChart(chart, tr("Spend so far against the monthly limit"));
    auto *cumulative = new QLineSeries;
    cumulative->setName(tr("Spent (cumulative)"));
    Money running;
    cumulative->append(msOf(from.date()), 0);
    for (const SpendReport::Day &day : m_report.daily) {
        running += day.cost;
        cumulative->append(msOf(day.date), dollars(running));
    }
    const Money limit = Money::fromUsd(m_settings.number(Setting::BudgetMonthlyLimitUsd)).value_or(Money());
    auto *limitLine = new QLineSeries;
    limitLine->setName(tr("Limit"));
    limitLine->append(msOf(from.date()), dollars(limit));
    limitLine->append(msOf(to.date().addDays(-1)), dollars(limit));
    limitLine->setPen(QPen(QColor(0xc8, 0x28, 0x28), 2, Qt::DashLine));
    chart->addSeries(cumulative);
    chart->addSeries(limitLine);
    double top = std::max(dollars(limit), dollars(running));
    if (m_period == Period::ThisMonth && running.nanos() > 0) {
        // The burn-rate line from today to the forecast day, or to the period's end.
        const QDate today = m_now.date();
        const QDate end = m_forecast && *m_forecast > today ? *m_forecast : to.date().addDays(-1);
        const double perDay = dollars(running) / double(from.date().daysTo(today) + 1);
        auto *forecast = new QLineSeries;
        forecast->setName(tr("Forecast at the current burn rate"));
        forecast->append(msOf(today), dollars(running));
        const double atEnd = dollars(running) + perDay * double(today.daysTo(end));
        forecast->append(msOf(end), atEnd);
        forecast->setPen(QPen(QColor(0x80, 0x80, 0x80), 2, Qt::DotLine));
        chart->addSeries(forecast);
        top = std::max(top, atEnd);
    }
    auto *x = new QDateTimeAxis;
    x->setFormat(QStringLiteral("d MMM"));
    x->setRange(QDateTime(from.date(), QTime(0, 0), Qt::UTC), QDateTime(to.date(), QTime(0, 0), Qt::UTC));
    auto *y = new QValueAxis;
    y->setLabelFormat(QStringLiteral("$%.2f"));
    y->setRange(0, top > 0 ? top * 1.1 : 1.0);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries *series : chart->series()) {
        series->attachAxis(x);
        series->attachAxis(y);
    }
}

void SpendDashboard::showByResource()
{
    QChart *chart = m_byResource->chart();
    resetSpendChart(chart, tr("Spend by model and by sandbox"));
    QList<SpendBar> bars;
    for (const SpendReport::Share &share : m_report.byModel)
        bars << SpendBar{share.name, share.cost};
    for (const SpendReport::Share &share : m_report.bySandbox)
        bars << SpendBar{tr("%1 (sandbox)").arg(share.name), share.cost};
    showSpendBars(chart, bars);
}

void SpendDashboard::showSplit()
{
    QChart *chart = m_split->chart();
    resetSpendChart(chart, tr("LLM versus sandbox"));
    auto *pie = new QPieSeries;
    if (m_report.llm.nanos() > 0)
        pie->append(tr("LLM %1").arg(m_report.llm.toString()), dollars(m_report.llm));
    if (m_report.sandbox.nanos() > 0)
        pie->append(tr("Sandbox %1").arg(m_report.sandbox.toString()), dollars(m_report.sandbox));
    for (QPieSlice *slice : pie->slices())
        slice->setLabelVisible(true);
    chart->addSeries(pie);
}

void SpendDashboard::showRuns()
{
    m_ui->runsTable->setRowCount(int(m_report.costliestRuns.size()));
    for (int row = 0; row < m_report.costliestRuns.size(); ++row) {
        const SpendReport::RunCost &run = m_report.costliestRuns.at(row);
        m_ui->runsTable->setItem(row, 0, new QTableWidgetItem(run.runId));
        auto *cost = new QTableWidgetItem(
            run.chargedOnLapse.nanos() > 0
                ? tr("%1 (%2 charged on lapse)").arg(run.cost.toString(), run.chargedOnLapse.toString())
                : run.cost.toString());
        if (run.chargedOnLapse.nanos() > 0)
            cost->setToolTip(tr("Held by a SafeCell that ended without settling, and charged in full: "
                                "the provider may have billed all of it."));
        cost->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_ui->runsTable->setItem(row, 1, cost);
        m_ui->runsTable->setItem(row, 2, new QTableWidgetItem(run.time.toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
    }
}

} // namespace safecell
