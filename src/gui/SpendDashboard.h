#pragma once

#include "budget/LedgerQueryThread.h"
#include "budget/SpendReport.h"
#include "budget/TeamServer.h"

#include <QDialog>

#include <memory>

class QChart;
class QChartView;

namespace Ui {
class SpendDashboard;
}

namespace safecell {

class Settings;
class TeamSpendView;

// Where the money went: daily spend in the period against the limit with
// the burn-rate forecast of the day it will be reached, spend by model and
// by sandbox, the LLM versus sandbox split, and the costliest runs.
class SpendDashboard : public QDialog {
    Q_OBJECT
public:
    enum class Period { ThisMonth, LastMonth, Last7Days, Last30Days };

    // ledgerPath empty: the default ledger. now: for tests.
    SpendDashboard(Settings &settings, QString ledgerPath = {}, QDateTime now = {}, QWidget *parent = nullptr);
    ~SpendDashboard() override;

    void setPeriod(Period period);
    const SpendReport &report() const { return m_report; }
    std::optional<QDate> forecast() const { return m_forecast; }
    QString summaryText() const;
    QChart *dailyChart() const;
    QChart *byResourceChart() const;
    QChart *splitChart() const;
    // The report is read on a query thread: true until the newest period's
    // report is shown (then loaded()).
    bool isLoading() const;
    // Shows the Team tab, read from `server` (issue 21); without a call
    // there is no Team tab.
    void showTeam(const TeamServer &server);
    TeamSpendView *teamView() const { return m_team; }

Q_SIGNALS:
    void loaded();

private:
    void reload();
    void showReport(const Expected<SpendReport, LedgerError> &report, const QDate &from, const QDate &to,
                    const QDateTime &fromTime, const QDateTime &toTime);
    void showDaily(const QDateTime &from, const QDateTime &to);
    void showByResource();
    void showSplit();
    void showRuns();

    std::unique_ptr<Ui::SpendDashboard> m_ui;
    Settings &m_settings;
    LedgerQueryThread *m_queries;
    QDateTime m_now;
    Period m_period = Period::ThisMonth;
    SpendReport m_report;
    std::optional<QDate> m_forecast;
    QChartView *m_daily;
    QChartView *m_byResource;
    QChartView *m_split;
    TeamSpendView *m_team = nullptr;
    std::optional<TeamServer> m_teamServer;
};

} // namespace safecell
