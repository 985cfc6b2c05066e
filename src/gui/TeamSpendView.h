#pragma once

#include "budget/TeamLedger.h"
#include "budget/TeamServer.h"

#include <QDate>
#include <QWidget>

class QChart;
class QChartView;
class QLabel;
class QTableWidget;

namespace safecell {

class LedgerQueryThread;

// The spend dashboard's Team view (issue 21): one month's spend on the
// team's PostgreSQL ledger by analyst, with a row per analyst, kind and
// model or sandbox. The server decides who sees what: the admin sees every
// analyst, an analyst only their own rows (row-level security). Read on a
// thread of its own; the GUI thread never waits on the server.
class TeamSpendView : public QWidget {
    Q_OBJECT
public:
    explicit TeamSpendView(QWidget *parent = nullptr);
    ~TeamSpendView() override;

    // Reads `month`'s report (any day of it) from `server`.
    void load(const TeamServer &server, const QDate &month);
    bool isLoading() const;
    QString statusText() const;
    QChart *chart() const;
    QTableWidget *table() const { return m_table; }

Q_SIGNALS:
    void loaded();

private:
    void show(const Expected<QList<TeamReportRow>, TeamError> &rows, const QString &server, const QDate &month,
              const QString &analyst);

    // Its ledger is never opened: each query opens the team's connection
    // on the query thread, which owns it while it reads.
    LedgerQueryThread *m_queries;
    QLabel *m_status;
    QChartView *m_chart;
    QTableWidget *m_table;
};

} // namespace safecell
