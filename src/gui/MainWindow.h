#pragma once

#include "pipeline/RunOutcome.h"
#include "pipeline/RunReport.h"
#include "request/Language.h"
#include "gui/UploadConsent.h"

#include <QMainWindow>
#include <QPointer>
#include <QSet>

#include <memory>

class QTabWidget;
class QsciScintilla;

namespace Ui {
class MainWindow;
}

namespace safecell {

class AskPanel;
class BudgetGauge;
class BudgetMonitor;
class BudgetWatch;
class DesktopNotifier;
class EditorTab;
class EditorTabs;
class FindBar;
class FindingsPanel;
class HistoryDialog;
class LlmRequestView;
class KeyStore;
class PaneFocus;
class ResultsPanel;
class ResultsPerTab;
class RunResultsView;
class RunToolBar;
class SandboxLabel;
class ServiceHealth;
class SpendDashboard;
class SessionRecovery;
class SnippetFile;
class StatusLine;
class RunController;
class TabAutosave;
class TimeLimitControl;
class Settings;

// The analyst's workbench: editor tabs, Run and Stop, and each tab's output
// as it streams. It decides nothing: every run goes through the RunWorker.
// Split over MainWindow.cpp (the window, its tabs and session),
// MainWindowRuns.cpp (a run from start to end) and MainWindowSetup.cpp
// (its parts, actions and dialogs).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // keys: where the E2B key is read (null: the user's keychain, which
    // E2B_API_KEY overrides).
    // `keys` is where every key of the window is read and written; it must
    // outlive the window (tests pass a store of their own service name).
    MainWindow(Settings &settings, KeyStore &keys, QWidget *parent = nullptr);
    ~MainWindow() override;

    Language language() const;
    void setLanguage(Language language);
    void setCode(const QString &code);
    QString code() const;
    // The current tab's output and results.
    QString outputText() const;
    ResultsPanel *resultsPanel() const;
    QTabWidget *resultTabs() const;
    RunResultsView *resultsView() const;
    ResultsPerTab *resultsPerTab() const { return m_resultsPerTab; }
    bool isRunning() const { return m_running; }
    FindBar *findBar() const { return m_findBar; }
    // The current tab's file and editor; Run acts on the current tab.
    SnippetFile *snippetFile() const;
    QsciScintilla *editor() const;
    EditorTabs *tabs() const { return m_tabs; }
    TabAutosave *autosave() const { return m_autosave; }
    SessionRecovery *recovery() const { return m_recovery; }
    AskPanel *askPanel() const { return m_askPanel; }
    FindingsPanel *findingsPanel() const { return m_findingsPanel; }
    PaneFocus *paneFocus() const { return m_paneFocus; }
    // Beside the current tab's results: how its last run ended and what it cost.
    QString runSummary() const;
    // The status bar's message (in full; the bar may show it cut).
    QString statusText() const;
    BudgetGauge *budgetGauge() const;
    BudgetMonitor *budgetMonitor() const;
    DesktopNotifier *notifier() const;
    RunController *runController() const { return m_runs; }
    TimeLimitControl *timeLimit() const;
    ServiceHealth *serviceHealth() const { return m_health; }
    // Confirmed with "Trust this snippet for this session": runs without asking.
    bool isTrusted(const QString &code) const;
    // The answer to "send data to E2B's cloud?", once asked this session.
    const UploadConsent &uploadConsent() const { return m_uploadConsent; }
    // 1-based line highlighted as the last failure's, 0 when none.
    int errorLine() const;

    // The last run's (or Ask's) request body as sent to Cohere; empty: none.
    QByteArray lastLlmRequest() const { return m_lastSent; }

public Q_SLOTS:
    void openSettings();
    HistoryDialog *openHistory();
    LlmRequestView *showWhatWasSent();
    SpendDashboard *openSpendDashboard();
    void run();
    void stop();
    // A fresh sandbox session: the kernel and its variables are dropped,
    // after asking when the session holds any.
    void restartSession();

Q_SIGNALS:
    void runFinished(const safecell::RunReport &report);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    // MainWindow.cpp
    void restoreTabs();
    void onCurrentTabChanged(EditorTab *tab);
    void showInEditor(int line, int column);
    void renewSession();
    void askAboutFreshSession();
    void setStatus(const QString &text);
    void readCohereKey();
    // MainWindowRuns.cpp
    void startRun(const RunRequest &request);
    void appendOutput(const QString &text, bool isError);
    void onStep(RunStep step);
    void onFinished(const RunReport &report);
    void showOutcome(const RunReport &report);
    void setRunning(bool running);
    void showFindings(const RunReport &report);
    void askAboutAmbiguous(const RunReport &report);
    bool askAboutUpload(const RunReport &report);
    // MainWindowSetup.cpp
    void setupPanels();
    void setupAskPanel();
    void setupStatusBar();
    void setupEditActions();
    void setupFileActions();
    void setupViewActions();
    void setupHelp();
    void setupRuns();
    void showSandbox();

    std::unique_ptr<Ui::MainWindow> m_ui;
    Settings &m_settings;
    RunController *m_runs = nullptr;
    SandboxLabel *m_sandboxLabel = nullptr;
    ServiceHealth *m_health = nullptr;
    RunToolBar *m_runToolBar = nullptr;
    StatusLine *m_status = nullptr;
    FindingsPanel *m_findingsPanel = nullptr;
    AskPanel *m_askPanel = nullptr;
    EditorTabs *m_tabs = nullptr;
    TabAutosave *m_autosave = nullptr;
    SessionRecovery *m_recovery = nullptr;
    ResultsPerTab *m_resultsPerTab = nullptr;
    PaneFocus *m_paneFocus = nullptr;
    QPointer<EditorTab> m_runTab;        // the tab the current or last run came from
    QPointer<RunResultsView> m_runView;  // its results, where the run writes
    FindBar *m_findBar = nullptr;
    BudgetWatch *m_budget = nullptr;
    KeyStore *m_keys = nullptr;
    RunRequest m_lastRequest;
    QByteArray m_lastSent;
    QString m_lastSentContext;
    QSet<QString> m_trustedHashes; // codeHash() of snippets trusted this session
    UploadConsent m_uploadConsent;  // may this session's runs send data to E2B?
    bool m_running = false;
    QString m_sessionNote; // the E2B sandbox was closed as the current run ended
};

} // namespace safecell
