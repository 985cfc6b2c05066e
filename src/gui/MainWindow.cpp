#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "common/Logging.h"
#include "gui/AskPanel.h"
#include "gui/BudgetMonitor.h"
#include "gui/BudgetWatch.h"
#include "gui/DataDrop.h"
#include "gui/DataViewers.h"
#include "gui/EditorErrorLine.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/FilesPane.h"
#include "gui/FindBar.h"
#include "gui/FindingsPanel.h"
#include "gui/OutputFilesPrompt.h"
#include "gui/OutputFilesView.h"
#include "gui/PaneFocus.h"
#include "gui/ResultsPerTab.h"
#include "gui/RunController.h"
#include "gui/RunPresenter.h"
#include "gui/RunResultsView.h"
#include "gui/RunToolBar.h"
#include "gui/SandboxLabel.h"
#include "gui/SchemaBrowser.h"
#include "gui/ServiceHealth.h"
#include "gui/SessionRecovery.h"
#include "gui/SessionRestart.h"
#include "gui/SheetLoader.h"
#include "gui/SnippetFile.h"
#include "gui/StatusLine.h"
#include "gui/TabAutosave.h"
#include "gui/VariablesPane.h"
#include "gui/WelcomeTab.h"
#include "gui/WindowDialogs.h"
#include "gui/WindowMenus.h"
#include "llm/LlmServices.h"
#include "routing/ModelCatalog.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QCloseEvent>
#include <QListWidget>
#include <QMenu>
#include <QStatusBar>
#include <QTabBar>
#include <QTimer>

namespace safecell {

namespace {
// The editor never shrinks below this many lines while the window can hold them.
constexpr int kEditorMinimumLines = 6;
} // namespace

// The order matters: the toolbar's and the status bar's widgets appear in
// the order they are added, and each part needs the ones it is given.
MainWindow::MainWindow(Settings &settings, KeyStore &keys, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_settings(settings)
    , m_keys(keys)
{
    m_ui->setupUi(this);
    m_tabs = new EditorTabs(m_ui->editorTabs, settings, this);
    m_tabs->addTab(); // replaced by the restored tabs below; the panels need an editor now
    setupPanels();
    m_runToolBar = new RunToolBar(*m_ui, settings, *m_tabs, this);
    setupStatusBar();
    setupRuns();
    setupDialogs();
    setupFiles();
    // One dock area, three tabs (as Spyder's Variable Explorer and Files):
    // stacked, their minimum heights kept the window from getting small.
    tabifyDockWidget(m_variablesPane, m_filesPane);
    tabifyDockWidget(m_variablesPane, m_schemaBrowser);
    m_variablesPane->raise();
    m_paneFocus = new PaneFocus(this, {[this]() -> QWidget * { return editor(); },
                                       [this]() -> QWidget * { return resultTabs()->currentWidget(); },
                                       [this]() -> QWidget * { return m_findingsPanel->list(); },
                                       [this]() -> QWidget * { return m_askPanel; }});
    new WindowMenus(*m_ui, *this, settings); // a child of the window, as its connections are
    connect(m_tabs, &EditorTabs::currentChanged, this, &MainWindow::onCurrentTabChanged);
    connect(m_tabs, &EditorTabs::currentTitleChanged, this, [this](const QString &name) {
        setWindowTitle(tr("%1 - SafeCell").arg(name));
        snippetFile()->fillRecentMenu(m_ui->menuRecent);
    });
    restoreTabs();
    onCurrentTabChanged(m_tabs->current());
    readCohereKey();
    editor()->setFocus();
}

MainWindow::~MainWindow() = default;

// The editor tabs over the findings and the current tab's results, with
// the Ask box above them.
void MainWindow::setupPanels()
{
    m_resultsPerTab = new ResultsPerTab(m_ui->resultsStack, editor()->font());
    m_findingsPanel = new FindingsPanel(this);
    m_ui->splitter->insertWidget(1, m_findingsPanel);
    connect(m_findingsPanel, &FindingsPanel::findingActivated, this, &MainWindow::showInEditor);
    m_findBar = new FindBar(editor(), m_ui->editorPage);
    m_ui->editorLayout->addWidget(m_findBar);
    setupAskPanel();
    m_variablesPane = new VariablesPane(this);
    addDockWidget(Qt::RightDockWidgetArea, m_variablesPane);
    resizeDocks({m_variablesPane}, {340}, Qt::Horizontal); // room for a DataFrame's size and a preview
    m_variablesPane->toggleViewAction()->setText(tr("Varia&bles"));
    m_variablesPane->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    m_ui->menuView->addAction(m_variablesPane->toggleViewAction());
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 1);
    m_ui->splitter->setStretchFactor(2, 2);
    m_ui->splitter->setCollapsible(0, false);
    m_ui->editorPage->setMinimumHeight(m_ui->editorTabs->tabBar()->sizeHint().height()
                                       + editor()->fontMetrics().lineSpacing() * kEditorMinimumLines);
    // A tab widget asks for little room: give the editor half the height from the start.
    m_ui->splitter->setSizes({500, 100, 400});
}

void MainWindow::setupAskPanel()
{
    m_askPanel = new AskPanel(editor(), llmServicesFromSettings(m_settings), &m_keys, this);
    m_askPanel->setLanguageSource([this] { return language(); });
    connect(m_askPanel, &AskPanel::settingsRequested, this, &MainWindow::openSettings);
    m_ui->centralLayout->insertWidget(0, m_askPanel);
}

// The message and the run's clock first: tests and the eye find the
// message as the bar's first label.
void MainWindow::setupStatusBar()
{
    m_status = new StatusLine(statusBar(), this);
    m_budget = new BudgetWatch(m_settings, m_ui->runToolBar, statusBar(), this);
}

// Where runs go (RunController), how they show (RunPresenter), the health
// of the services they use and the session they run in.
void MainWindow::setupRuns()
{
    QStringList models;
    if (const auto catalog = ModelCatalog::load()) {
        for (const ModelInfo &model : catalog->models())
            models << model.id;
    }
    m_health = new ServiceHealth(processCircuitBreakers(), processE2bBreaker(), models, this);
    statusBar()->addPermanentWidget(new ServiceHealthView(m_health, this));
    m_runs = new RunController(m_settings, m_keys, this);
    m_sandboxLabel = new SandboxLabel(*m_runs, m_settings, this);
    statusBar()->addPermanentWidget(m_sandboxLabel);
    const auto showSandbox = [this] {
        m_health->setE2bInUse(m_runs->sandbox() == RunController::Sandbox::E2b);
        m_sandboxLabel->refresh();
    };
    connect(m_runs, &RunController::sandboxChanged, this, showSandbox);
    connect(m_runs, &RunController::teamPasswordRead, m_budget->monitor(), &BudgetMonitor::setTeamPassword);
    showSandbox();

    m_runPresenter = new RunPresenter({.runs = *m_runs,
                                       .tabs = *m_tabs,
                                       .results = *m_resultsPerTab,
                                       .findings = *m_findingsPanel,
                                       .ask = *m_askPanel,
                                       .status = *m_status,
                                       .timeLimit = *m_runToolBar->timeLimit(),
                                       .budget = *m_budget->monitor(),
                                       .health = *m_health},
                                      this);
    connect(m_runPresenter, &RunPresenter::runningChanged, m_runToolBar, &RunToolBar::setRunning);
    connect(m_runPresenter, &RunPresenter::lineActivated, this, &MainWindow::showInEditor);
    connect(m_runPresenter, &RunPresenter::runFinished, this, &MainWindow::runFinished);
    connect(m_runPresenter, &RunPresenter::runFinished, this, [this](const RunReport &report) {
        if (report.variables)
            m_variablesPane->showListing(*report.variables);
        if (report.workFiles)
            m_filesPane->outputs()->showListing(*report.workFiles);
    });
    // A new session (restarted, another sandbox): none of the old variables is left.
    connect(m_runs, &RunController::sessionCleared, m_variablesPane, &VariablesPane::clear);
    // A restart keeps /work (only the kernel goes); a fresh session does not.
    connect(m_runs, &RunController::sessionRenewed, this, [this] { m_filesPane->outputs()->clear(); });
    m_dataViewers = new DataViewers(*m_runs, this);
    connect(m_variablesPane, &VariablesPane::dataFrameActivated, m_dataViewers, &DataViewers::open);
    m_sessionRestart = new SessionRestart(*m_runs, *m_runPresenter, *m_tabs, *m_status, *m_sandboxLabel, this);
    m_sessionRestart->setWorkFolderGuard(
        [this] { return keepOutputFiles(*m_filesPane->outputs(), this, SessionEnd::FreshSession); });
    connect(m_ui->actionRun, &QAction::triggered, m_runPresenter, &RunPresenter::run);
    connect(m_ui->actionStop, &QAction::triggered, m_runPresenter, &RunPresenter::stop);
    connect(m_ui->actionRestartSession, &QAction::triggered, m_sessionRestart, &SessionRestart::restart);
    setupSchemaBrowser();
}

// The SQL workspace's databases beside the variables (issue 20): read again
// after each run, and "Select Top 100" runs in a new SQL tab.
void MainWindow::setupSchemaBrowser()
{
    m_schemaBrowser = new SchemaBrowser(
        [this] {
        return SchemaBrowser::Locations{m_settings.string(Setting::SandboxWorkspaceDatabase),
                                        m_runs->scratchDatabasePath(),
                                        m_filesPane ? sharedDatabases(m_filesPane->shares()) : QList<SharedDatabase>()};
        },
        this);
    addDockWidget(Qt::RightDockWidgetArea, m_schemaBrowser, Qt::Vertical);
    m_schemaBrowser->toggleViewAction()->setText(tr("SQL Da&tabases"));
    m_ui->menuView->addAction(m_schemaBrowser->toggleViewAction());
    m_ui->menuView->addMenu(tr("S&QL"))->addActions(m_schemaBrowser->commands()); // from the keyboard too
    connect(m_runPresenter, &RunPresenter::runFinished, m_schemaBrowser, &SchemaBrowser::refresh);
    connect(m_runs, &RunController::sessionRenewed, m_schemaBrowser, &SchemaBrowser::refresh);
    connect(m_schemaBrowser, &SchemaBrowser::queryRequested, this, [this](const QString &query) {
        m_tabs->addTab(query, Language::Sql);
        m_runPresenter->run();
    });
}

// The dialogs, and what "What was sent" shows: the last request a run or
// Ask sent to Cohere.
void MainWindow::setupDialogs()
{
    m_dialogs = new WindowDialogs({.settings = m_settings,
                                   .keys = m_keys,
                                   .runs = *m_runs,
                                   .budget = *m_budget->monitor(),
                                   .timeLimit = *m_runToolBar->timeLimit(),
                                   .ask = *m_askPanel,
                                   .tabs = *m_tabs,
                                   .whatWasSent = *m_ui->actionWhatWasSent},
                                  this);
    connect(m_dialogs, &WindowDialogs::keysMayHaveChanged, this, &MainWindow::readCohereKey);
    connect(m_runPresenter, &RunPresenter::llmRequestSent, m_dialogs, &WindowDialogs::setLastLlmRequest);
    connect(m_askPanel, &AskPanel::finished, this, [this](const CodeAssistantResult &result) {
        m_health->noteAssistant(result);
        if (result.requestBody.isEmpty())
            return;
        m_dialogs->setLastLlmRequest(result.requestBody, result.task == CodeAssistantResult::Task::Ask
                                                             ? tr("Last Ask (%1)").arg(result.model)
                                                             : tr("Last error explanation (%1)").arg(result.model));
    });
}

// The analyst's shared data (issue 20): File > Add Data…, drops on the
// window and the Files pane; each change goes to the runs, and the status
// line says what it means for the session.
void MainWindow::setupFiles()
{
    m_filesPane = new FilesPane([this] { return SandboxLimits::fromSettings(m_settings).dataFolder; }, this);
    addDockWidget(Qt::RightDockWidgetArea, m_filesPane);
    m_filesPane->toggleViewAction()->setText(tr("&Files"));
    m_ui->menuView->addAction(m_filesPane->toggleViewAction());
    m_ui->menuFile->insertActions(m_ui->actionExportReport,
                                  {m_filesPane->addDataAction(), m_filesPane->addFolderAction()});
    new DataDrop(this, [this](const QStringList &paths) { m_filesPane->addPaths(paths); });
    connect(m_filesPane, &FilesPane::sharesChanged, this, [this](const QList<SharedPath> &shares, QString change) {
        m_runs->setShares(shares);
        if (m_schemaBrowser) // a shared SQLite file is a database of SQL runs too
            m_schemaBrowser->refresh();
        m_filesPane->show();
        m_filesPane->raise(); // what was added, in view
        if (m_runs->sandbox() == RunController::Sandbox::E2b)
            change += tr(" Runs on E2B do not see it: shared data is for the local sandbox.");
        else if (m_runs->sessionHoldsState())
            change += tr(" The next Python run restarts the session to mount it: its variables will be gone.");
        m_status->setText(change);
    });
    // Files > Load into SQL…: a CSV straight into the import, an Excel sheet through the sandbox first.
    m_sheetLoader = new SheetLoader(
        *m_schemaBrowser, [this] { return SandboxLimits::fromSettings(m_settings); }, this);
    connect(m_filesPane, &FilesPane::loadIntoSqlRequested, this, [this](const SharedPath &share) {
        m_schemaBrowser->show();
        m_schemaBrowser->raise();
        if (share.kind == SharedKind::Excel)
            m_sheetLoader->load(share);
        else
            m_schemaBrowser->loadCsvFile(share.hostPath);
    });
}

// The last session's tabs (autosaved, or older versions'), or on a first
// start the welcome samples, in place of the placeholder tab the panels
// were built with; from then on the autosave keeps them.
void MainWindow::restoreTabs()
{
    EditorTab *placeholder = m_tabs->current();
    m_autosave = new TabAutosave(*m_tabs, QString(), this);
    connect(m_autosave, &TabAutosave::saveFailed, this, [this](const QString &reason) {
        m_status->setText(tr("The open tabs could not be saved to the data folder: %1").arg(reason));
    });
    m_recovery = new SessionRecovery(*m_tabs, this, this);
    std::optional<TabSession> session = m_autosave->claim();
    if (!session)
        session = SessionRecovery::olderVersionsSession(m_settings);
    if (session)
        m_recovery->restore(*session);
    else
        openWelcomeTabs(*m_tabs);
    if (m_tabs->count() > 1)
        m_tabs->closeTab(m_tabs->indexOf(placeholder));
    m_tabs->renumberUntitled(); // the placeholder took no number from them
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_autosave->hasSlot())
        m_autosave->claim(); // shown again after closing: autosaved again
    // Questions about recovered text, once the window is there to carry them.
    if (m_recovery->queuedQuestions() > 0)
        QTimer::singleShot(0, m_recovery, &SessionRecovery::askQueued);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_tabs->maybeKeepAllChanges() || !keepOutputFiles(*m_filesPane->outputs(), this)) {
        event->ignore();
        return;
    }
    if (!m_autosave->saveAndRelease())
        qCWarning(lcGui) << "the open tabs could not be saved at exit; the last autosave stays";
    m_tabs->saveForOlderVersions();
    m_settings.sync();
    event->accept();
}

// Whether Ask and the LLM's second opinion can work: the status bar and
// the Ask box say so.
void MainWindow::readCohereKey()
{
    lookupKey(m_keys, KeyId::Cohere, this, [this](const KeyLookup &key) {
        m_askPanel->setKeyAvailable(!key.value.isEmpty());
        m_health->setCohereKey(!key.value.isEmpty());
    });
}

// Everything that belongs to a tab follows it: language, find bar, Ask's
// editor, findings, results and the last failure to explain.
void MainWindow::onCurrentTabChanged(EditorTab *tab)
{
    if (!tab)
        return;
    m_runToolBar->showLanguageOf(*tab);
    m_findBar->setEditor(tab->editor());
    m_askPanel->setEditor(tab->editor());
    m_findingsPanel->setFindings(tab->lastLabel(), tab->lastFindings());
    m_resultsPerTab->show(tab);
    if (const auto &failure = resultsView()->lastFailure())
        m_askPanel->setLastFailure(failure->code, failure->language, failure->traceback);
    else
        m_askPanel->clearLastFailure();
    setWindowTitle(tr("%1 - SafeCell").arg(tab->file()->displayName()));
}

void MainWindow::showInEditor(int line, int column)
{
    editor()->setCursorPosition(line - 1, std::max(column - 1, 0));
    editor()->ensureLineVisible(line - 1);
    editor()->setFocus();
}

// What the current tab holds, for the parts and the tests; one line each,
// since each only passes the question on.

Language MainWindow::language() const
{
    return m_tabs->current()->language();
}
void MainWindow::setLanguage(Language language)
{
    m_runToolBar->setLanguage(language);
}
void MainWindow::setCode(const QString &code)
{
    editor()->setText(code);
}
QString MainWindow::code() const
{
    return editor()->text();
}
QsciScintilla *MainWindow::editor() const
{
    return m_tabs->current()->editor();
}
SnippetFile *MainWindow::snippetFile() const
{
    return m_tabs->current()->file();
}
RunResultsView *MainWindow::resultsView() const
{
    return m_resultsPerTab->viewFor(m_tabs->current());
}
ResultsPanel *MainWindow::resultsPanel() const
{
    return resultsView()->results();
}
QTabWidget *MainWindow::resultTabs() const
{
    return resultsView()->tabs();
}
QString MainWindow::outputText() const
{
    return resultsView()->outputText();
}
QString MainWindow::runSummary() const
{
    return resultsView()->summary();
}
int MainWindow::errorLine() const
{
    return m_tabs->current()->errorLine().line();
}

// The parts' own answers and actions, passed on.

QString MainWindow::statusText() const
{
    return m_status->text();
}
bool MainWindow::isRunning() const
{
    return m_runPresenter->isRunning();
}
bool MainWindow::isTrusted(const QString &code) const
{
    return m_runPresenter->isTrusted(code);
}
const UploadConsent &MainWindow::uploadConsent() const
{
    return m_runPresenter->uploadConsent();
}
TimeLimitControl *MainWindow::timeLimit() const
{
    return m_runToolBar->timeLimit();
}
BudgetGauge *MainWindow::budgetGauge() const
{
    return m_budget->gauge();
}
BudgetMonitor *MainWindow::budgetMonitor() const
{
    return m_budget->monitor();
}
DesktopNotifier *MainWindow::notifier() const
{
    return m_budget->notifier();
}
QByteArray MainWindow::lastLlmRequest() const
{
    return m_dialogs->lastLlmRequest();
}
void MainWindow::run()
{
    m_runPresenter->run();
}
void MainWindow::stop()
{
    m_runPresenter->stop();
}
void MainWindow::restartSession()
{
    m_sessionRestart->restart();
}
void MainWindow::openSettings()
{
    m_dialogs->openSettings();
}
SpendDashboard *MainWindow::openSpendDashboard()
{
    return m_dialogs->openSpendDashboard();
}
HistoryDialog *MainWindow::openHistory()
{
    return m_dialogs->openHistory();
}
LlmRequestView *MainWindow::showWhatWasSent()
{
    return m_dialogs->showWhatWasSent();
}

} // namespace safecell
