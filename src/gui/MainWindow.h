#pragma once

#include "pipeline/RunOutcome.h"
#include "pipeline/RunReport.h"
#include "request/Language.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <memory>

class QComboBox;
class QLabel;
class QsciScintilla;

namespace Ui {
class MainWindow;
}

namespace safecell {

class AskPanel;
class BudgetGauge;
class BudgetMonitor;
class DesktopNotifier;
class EditorTab;
class EditorTabs;
class FindBar;
class FindingsPanel;
class HistoryDialog;
class LlmRequestView;
class KeyStore;
class OutputBuffer;
class ResultsPanel;
class ServiceHealth;
class SpendDashboard;
class SnippetFile;
class RunController;
class Settings;

// The analyst's workbench: an editor, Run and Stop, and the run's output as
// it streams. It decides nothing: every run goes through the RunWorker.
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
    QString outputText() const;
    bool isRunning() const { return m_running; }
    ResultsPanel *resultsPanel() const { return m_results; }
    FindBar *findBar() const { return m_findBar; }
    // The current tab's file and editor; Run acts on the current tab.
    SnippetFile *snippetFile() const;
    QsciScintilla *editor() const;
    EditorTabs *tabs() const { return m_tabs; }
    // Beside the results: how the last run ended and what it cost.
    QString runSummary() const;
    BudgetGauge *budgetGauge() const { return m_gauge; }
    BudgetMonitor *budgetMonitor() const { return m_budget; }
    DesktopNotifier *notifier() const { return m_notifier; }
    RunController *runController() const { return m_runs; }
    ServiceHealth *serviceHealth() const { return m_health; }
    // Confirmed with "Trust this snippet for this session": runs without asking.
    bool isTrusted(const QString &code) const;
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
    // A fresh sandbox session: the kernel and its variables are dropped.
    void restartSession();

Q_SIGNALS:
    void runFinished(const safecell::RunReport &report);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void onCurrentTabChanged(EditorTab *tab);
    void showRunSummary(const RunReport &report);
    void appendOutput(const QString &text, bool isError);
    void onStep(RunStep step);
    void onFinished(const RunReport &report);
    void setRunning(bool running);
    void startRun(const RunRequest &request);
    void showFindings(const RunReport &report);
    void askAboutAmbiguous(const RunReport &report);
    void showInEditor(int line, int column);
    void updateElapsed();
    void setupEditActions();
    void setupFileActions();
    void setupBudget();
    void setupRuns();
    void showSandbox();

    std::unique_ptr<Ui::MainWindow> m_ui;
    Settings &m_settings;
    RunController *m_runs = nullptr;
    QLabel *m_sandboxLabel = nullptr;
    ServiceHealth *m_health = nullptr;
    QComboBox *m_languageBox = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_durationLabel = nullptr;
    FindingsPanel *m_findingsPanel = nullptr;
    AskPanel *m_askPanel = nullptr;
    EditorTabs *m_tabs = nullptr;
    QPointer<EditorTab> m_runTab; // the tab the current or last run came from
    QLabel *m_runSummary = nullptr;
    OutputBuffer *m_outputBuffer = nullptr;
    ResultsPanel *m_results = nullptr;
    FindBar *m_findBar = nullptr;
    BudgetGauge *m_gauge = nullptr;
    BudgetMonitor *m_budget = nullptr;
    DesktopNotifier *m_notifier = nullptr;
    KeyStore *m_keys = nullptr;
    RunRequest m_lastRequest;
    QByteArray m_lastSent;
    QString m_lastSentContext;
    QSet<QString> m_trustedHashes; // codeHash() of snippets trusted this session
    QTimer m_elapsedTicker;
    QElapsedTimer m_elapsed;
    bool m_running = false;
    QString m_sessionNote; // the E2B sandbox was closed as the current run ended
};

} // namespace safecell
