#pragma once

#include "gui/UploadConsent.h"
#include "pipeline/RunReport.h"
#include "request/Language.h"

#include <QMainWindow>

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
class KeyStore;
class LlmRequestView;
class PaneFocus;
class ResultsPanel;
class ResultsPerTab;
class RunController;
class RunPresenter;
class RunResultsView;
class RunToolBar;
class SandboxLabel;
class ServiceHealth;
class SessionRecovery;
class SessionRestart;
class Settings;
class SnippetFile;
class SpendDashboard;
class StatusLine;
class SchemaBrowser;
class SheetLoader;
class VariablesPane;
class FilesPane;
class DataViewers;
class TabAutosave;
class TimeLimitControl;
class WindowDialogs;

// The analyst's workbench: editor tabs, Run and Stop, and each tab's output
// as it streams. It decides nothing (every run goes through the RunWorker)
// and does little itself: it builds its parts, wires them together, and
// owns the tabs, from restoring them at start to keeping them at close.
// A run is RunPresenter's, the session's restart SessionRestart's, the
// menus WindowMenus', the dialogs WindowDialogs'.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `keys` is where every key of the window is read and written (the
    // user's keychain, which E2B_API_KEY and COHERE_API_KEY override); it
    // must outlive the window (tests pass a store of their own service name).
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
    bool isRunning() const;
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
    VariablesPane *variablesPane() const { return m_variablesPane; }
    FilesPane *filesPane() const { return m_filesPane; }
    SchemaBrowser *schemaBrowser() const { return m_schemaBrowser; }
    SheetLoader *sheetLoader() const { return m_sheetLoader; }
    DataViewers *dataViewers() const { return m_dataViewers; }
    // Beside the current tab's results: how its last run ended and what it cost.
    QString runSummary() const;
    // The status bar's message (in full; the bar may show it cut).
    QString statusText() const;
    StatusLine *statusLine() const { return m_status; }
    BudgetGauge *budgetGauge() const;
    BudgetMonitor *budgetMonitor() const;
    DesktopNotifier *notifier() const;
    RunController *runController() const { return m_runs; }
    TimeLimitControl *timeLimit() const;
    ServiceHealth *serviceHealth() const { return m_health; }
    // Confirmed with "Trust this snippet for this session": runs without asking.
    bool isTrusted(const QString &code) const;
    // The answer to "send data to E2B's cloud?", once asked this session.
    const UploadConsent &uploadConsent() const;
    // 1-based line highlighted as the last failure's, 0 when none.
    int errorLine() const;

    // The last run's (or Ask's) request body as sent to Cohere; empty: none.
    QByteArray lastLlmRequest() const;

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
    void setupPanels();
    void setupAskPanel();
    void setupStatusBar();
    void setupRuns();
    void setupSchemaBrowser();
    void setupDialogs();
    void setupFiles();
    void restoreTabs();
    void onCurrentTabChanged(EditorTab *tab);
    void showInEditor(int line, int column);
    void readCohereKey();

    std::unique_ptr<Ui::MainWindow> m_ui;
    Settings &m_settings;
    KeyStore &m_keys;
    EditorTabs *m_tabs = nullptr;
    TabAutosave *m_autosave = nullptr;
    SessionRecovery *m_recovery = nullptr;
    ResultsPerTab *m_resultsPerTab = nullptr;
    FindingsPanel *m_findingsPanel = nullptr;
    FindBar *m_findBar = nullptr;
    AskPanel *m_askPanel = nullptr;
    RunToolBar *m_runToolBar = nullptr;
    StatusLine *m_status = nullptr;
    VariablesPane *m_variablesPane = nullptr;
    FilesPane *m_filesPane = nullptr;
    SchemaBrowser *m_schemaBrowser = nullptr;
    SheetLoader *m_sheetLoader = nullptr;
    DataViewers *m_dataViewers = nullptr;
    BudgetWatch *m_budget = nullptr;
    ServiceHealth *m_health = nullptr;
    SandboxLabel *m_sandboxLabel = nullptr;
    RunController *m_runs = nullptr;
    RunPresenter *m_runPresenter = nullptr;
    SessionRestart *m_sessionRestart = nullptr;
    WindowDialogs *m_dialogs = nullptr;
    PaneFocus *m_paneFocus = nullptr;
};

} // namespace safecell
