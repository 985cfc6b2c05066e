#pragma once

#include "gui/UploadConsent.h"
#include "pipeline/RunReport.h"

#include <QObject>
#include <QPointer>
#include <QSet>

class QWidget;

namespace safecell {

class AskPanel;
class BudgetMonitor;
class EditorTab;
class EditorTabs;
class FindingsPanel;
class ResultsPerTab;
class RunController;
class RunResultsView;
class ServiceHealth;
class StatusLine;
class TimeLimitControl;

// A run as the window shows it, from Run to its outcome: starts the current
// tab's snippet through the RunController, asks first when it would send
// data to E2B, writes its output, results, findings and outcome into the
// tab it came from (shown or not), and asks "run anyway?" when the safety
// check was unsure. The questions are window-modal, with the window as
// their parent; the RunController decides nothing about what is shown.
class RunPresenter : public QObject {
    Q_OBJECT
public:
    // What a run reads from and writes to; all outlive the presenter.
    struct Parts {
        RunController &runs;
        EditorTabs &tabs;
        ResultsPerTab &results;
        FindingsPanel &findings;
        AskPanel &ask;
        StatusLine &status;
        TimeLimitControl &timeLimit;
        BudgetMonitor &budget;
        ServiceHealth &health;
    };

    RunPresenter(const Parts &parts, QWidget *window);

    bool isRunning() const { return m_running; }
    // Confirmed with "Trust this snippet for this session": runs without asking.
    bool isTrusted(const QString &code) const;
    // The answer to "send data to E2B's cloud?", once asked this session.
    const UploadConsent &uploadConsent() const { return m_uploadConsent; }

public Q_SLOTS:
    void run();
    void stop();

Q_SIGNALS:
    void runningChanged(bool running);
    // The run's request body as sent to Cohere (empty: none), and what sent it.
    void llmRequestSent(const QByteArray &body, const QString &context);
    // A line of the ambiguity dialog was activated: show it in the editor.
    void lineActivated(int line, int column);
    void runFinished(const safecell::RunReport &report);

private:
    void startRun(const RunRequest &request);
    void appendOutput(const QString &text, bool isError);
    void onStep(RunStep step);
    void onFinished(const RunReport &report);
    void showOutcome(const RunReport &report);
    void showFindings(const RunReport &report);
    bool askAboutUpload(const RunReport &report);
    void askAboutAmbiguous(const RunReport &report);
    // Again, in the tab the refused run came from.
    void runAgainInItsTab(const RunRequest &request);
    void setRunning(bool running);

    Parts m_parts;
    QWidget *m_window;
    QPointer<EditorTab> m_runTab;       // the tab the current or last run came from
    QPointer<RunResultsView> m_runView; // its results, where the run writes
    RunRequest m_lastRequest;
    QSet<QString> m_trustedHashes; // codeHash() of snippets trusted this session
    UploadConsent m_uploadConsent; // may this session's runs send data to E2B?
    bool m_running = false;
    QString m_sessionNote; // the E2B sandbox was closed as the current run ended
};

} // namespace safecell
