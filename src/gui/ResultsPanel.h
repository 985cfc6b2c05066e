#pragma once

#include "sandbox/Execution.h"

#include <QObject>

class QTabWidget;

namespace safecell {

// The run's rich outputs as tabs beside the streamed output (tab 0): the
// main result, each figure (zoomable, save as) and each table (sortable,
// copy, export CSV). Tabs are dropped when the next run starts.
class ResultsPanel : public QObject {
    Q_OBJECT
public:
    // tabs holds the streamed output page at index 0, which stays.
    explicit ResultsPanel(QTabWidget *tabs);

    void addResult(const RichResult &result);
    void clear();
    // After a run: the main result when there is one, else the last figure
    // or table; the output page for failures.
    void showBest(bool runFailed);
    int resultCount() const;

private:
    QTabWidget *m_tabs;
    int m_figures = 0;
    int m_tables = 0;
    int m_mainIndex = -1;
    bool m_mainIsTable = false;
    int m_lastRichIndex = -1; // the last figure or table
};

} // namespace safecell
