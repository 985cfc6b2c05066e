#pragma once

#include "pipeline/RunReport.h"
#include "pipeline/RunReportHtml.h"
#include "request/Language.h"

#include <QWidget>

class QPlainTextEdit;
class QTabWidget;

namespace safecell {

class ElidedLabel;
class OutputBuffer;
class ResultsPanel;

// One editor tab's results: the streamed output, a tab per figure and
// table (ResultsPanel), and beside them how the last run ended and what it
// cost. Each editor tab has its own (ResultsPerTab), so switching tabs
// never shows another snippet's output.
class RunResultsView : public QWidget {
    Q_OBJECT
public:
    explicit RunResultsView(const QFont &outputFont, QWidget *parent = nullptr);

    QTabWidget *tabs() const { return m_tabs; }
    ResultsPanel *results() const { return m_results; }
    QPlainTextEdit *output() const { return m_output; }

    // A run starts here: the last run's output and results go.
    void clear();
    void appendOutput(const QString &text, bool isError);
    // Everything streamed so far, written out.
    QString outputText() const;
    void showSummary(const RunReport &report);
    QString summary() const;

    // The last run's failure, for "Explain this error" when the tab comes back.
    struct Failure {
        QString code;
        Language language = Language::Python;
        QString traceback;
    };
    void setLastFailure(std::optional<Failure> failure) { m_failure = std::move(failure); }
    const std::optional<Failure> &lastFailure() const { return m_failure; }

    // The last run that ended here, for File > Export Report…; none while
    // a run is going (clear()).
    void setLastRun(ReportedRun run) { m_lastRun = std::move(run); }
    const std::optional<ReportedRun> &lastRun() const { return m_lastRun; }

private:
    QTabWidget *m_tabs;
    QPlainTextEdit *m_output;
    OutputBuffer *m_buffer;
    ResultsPanel *m_results;
    ElidedLabel *m_summary;
    std::optional<Failure> m_failure;
    std::optional<ReportedRun> m_lastRun;
};

} // namespace safecell
