// MainWindow, continued: building its panels, actions, toolbar and status
// bar, and opening its dialogs (kept apart so each file stays readable).
#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "gui/AskPanel.h"
#include "gui/BudgetMonitor.h"
#include "gui/BudgetWatch.h"
#include "gui/EditorCommands.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/FindBar.h"
#include "gui/FindingsPanel.h"
#include "gui/HelpDialogs.h"
#include "gui/HistoryDialog.h"
#include "gui/LlmRequestView.h"
#include "gui/PaneFocus.h"
#include "gui/ResultsPanel.h"
#include "gui/ResultsPerTab.h"
#include "gui/RunController.h"
#include "gui/RunResultsView.h"
#include "gui/SandboxLabel.h"
#include "gui/ServiceHealth.h"
#include "gui/SettingsDialog.h"
#include "gui/SnippetFile.h"
#include "gui/SpendDashboard.h"
#include "gui/StatusLine.h"
#include "gui/TimeLimitControl.h"
#include "routing/ModelCatalog.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QListWidget>
#include <QMenu>
#include <QMenuBar>

namespace safecell {

namespace {
// The editor never shrinks below this many lines while the window can hold them.
constexpr int kEditorMinimumLines = 6;
}

// The editor tabs over the findings and the current tab's results, with
// the Ask box above them.
void MainWindow::setupPanels()
{
    m_resultsPerTab = new ResultsPerTab(m_ui->resultsStack, editor()->font());
    m_findingsPanel = new FindingsPanel(this);
    m_ui->splitter->insertWidget(1, m_findingsPanel);
    connect(m_findingsPanel, &FindingsPanel::findingActivated, this, &MainWindow::showInEditor);
    setupEditActions();
    setupAskPanel();
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 1);
    m_ui->splitter->setStretchFactor(2, 2);
    m_ui->splitter->setCollapsible(0, false);
    m_ui->editorPage->setMinimumHeight(
        m_ui->editorTabs->tabBar()->sizeHint().height() + editor()->fontMetrics().lineSpacing() * kEditorMinimumLines);
    // A tab widget asks for little room: give the editor half the height from the start.
    m_ui->splitter->setSizes({500, 100, 400});
}

void MainWindow::setupAskPanel()
{
    m_askPanel = new AskPanel(editor(), llmServicesFromSettings(m_settings), m_keys, this);
    m_askPanel->setLanguageSource([this] { return language(); });
    connect(m_askPanel, &AskPanel::settingsRequested, this, &MainWindow::openSettings);
    connect(m_askPanel, &AskPanel::finished, this, [this](const CodeAssistantResult &result) {
        if (m_health)
            m_health->noteAssistant(result);
        if (result.requestBody.isEmpty())
            return;
        m_lastSent = result.requestBody;
        m_lastSentContext = result.task == CodeAssistantResult::Task::Ask ? tr("Last Ask (%1)").arg(result.model)
                                                                          : tr("Last error explanation (%1)").arg(result.model);
        m_ui->actionWhatWasSent->setEnabled(true);
    });
    m_ui->centralLayout->insertWidget(0, m_askPanel);
}

// The message and the run's clock first: tests and the eye find the
// message as the bar's first label.
void MainWindow::setupStatusBar()
{
    m_status = new StatusLine(statusBar(), this);
    m_budget = new BudgetWatch(m_settings, m_ui->runToolBar, statusBar(), this);
}

void MainWindow::setupEditActions()
{
    m_findBar = new FindBar(editor(), m_ui->editorPage);
    m_ui->editorLayout->addWidget(m_findBar);
    connect(m_ui->actionFind, &QAction::triggered, m_findBar, &FindBar::openFind);
    connect(m_ui->actionReplace, &QAction::triggered, m_findBar, &FindBar::openReplace);
    connect(m_ui->actionFindNext, &QAction::triggered, m_findBar, &FindBar::findNext);
    connect(m_ui->actionFindPrevious, &QAction::triggered, m_findBar, &FindBar::findPrevious);
    connect(m_ui->actionToggleComment, &QAction::triggered, this,
            [this] { toggleCommentInEditor(editor(), language()); });
    m_ui->actionZoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    // Zoom keys act on what has focus: the editor here, a figure in its own view.
    for (QAction *zoom : {m_ui->actionZoomIn, m_ui->actionZoomOut, m_ui->actionZoomReset}) {
        zoom->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        m_ui->editorPage->addAction(zoom);
    }
    connect(m_ui->actionZoomIn, &QAction::triggered, this, [this] { editor()->zoomIn(); });
    connect(m_ui->actionZoomOut, &QAction::triggered, this, [this] { editor()->zoomOut(); });
    connect(m_ui->actionZoomReset, &QAction::triggered, this, [this] { editor()->zoomTo(0); });
}

void MainWindow::setupFileActions()
{
    connect(m_ui->actionNew, &QAction::triggered, this, [this] { snippetFile()->newSnippet(); });
    connect(m_ui->actionOpen, &QAction::triggered, this, [this] { snippetFile()->open(QString()); });
    connect(m_ui->actionSave, &QAction::triggered, this, [this] { snippetFile()->save(); });
    connect(m_ui->actionSaveAs, &QAction::triggered, this, [this] { snippetFile()->saveAs(QString()); });
    connect(m_ui->actionNewTab, &QAction::triggered, this, [this] { m_tabs->addTab(QString(), language()); });
    connect(m_ui->actionCloseTab, &QAction::triggered, this, [this] { m_tabs->closeTab(m_tabs->currentIndex()); });
    connect(m_ui->actionSettings, &QAction::triggered, this, &MainWindow::openSettings);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->menuRecent, &QMenu::aboutToShow, this, [this] { snippetFile()->fillRecentMenu(m_ui->menuRecent); });
}

// Tabs, panes and the windows of the View menu.
void MainWindow::setupViewActions()
{
    m_ui->actionNextTab->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_PageDown), QKeySequence(Qt::CTRL | Qt::Key_Tab)});
    m_ui->actionPreviousTab->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_PageUp), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab)});
    // The tabs of the pane that has the keyboard: the results' when they do, else the snippets'.
    const auto cycle = [this](int step) {
        QTabWidget *results = resultTabs();
        if (QWidget *focus = focusWidget(); focus && m_ui->resultsStack->isAncestorOf(focus) && results->count() > 1) {
            results->setCurrentIndex((results->currentIndex() + step + results->count()) % results->count());
            results->currentWidget()->setFocus(Qt::TabFocusReason);
        } else if (step > 0) {
            m_tabs->next();
        } else {
            m_tabs->previous();
        }
    };
    connect(m_ui->actionNextTab, &QAction::triggered, this, [cycle] { cycle(1); });
    connect(m_ui->actionPreviousTab, &QAction::triggered, this, [cycle] { cycle(-1); });

    m_paneFocus = new PaneFocus(this, {[this]() -> QWidget * { return editor(); },
                                       [this]() -> QWidget * { return resultTabs()->currentWidget(); },
                                       [this]() -> QWidget * { return m_findingsPanel->list(); },
                                       [this]() -> QWidget * { return m_askPanel; }});
    m_ui->menuView->insertActions(m_ui->actionNextTab, {m_paneFocus->nextAction(), m_paneFocus->previousAction()});
    connect(m_ui->actionSpendDashboard, &QAction::triggered, this, &MainWindow::openSpendDashboard);
    connect(m_ui->actionHistory, &QAction::triggered, this, &MainWindow::openHistory);
    connect(m_ui->actionWhatWasSent, &QAction::triggered, this, &MainWindow::showWhatWasSent);
}

void MainWindow::setupHelp()
{
    QMenu *menu = menuBar()->addMenu(tr("&Help"));
    menu->setObjectName(QStringLiteral("menuHelp"));
    QAction *shortcuts = menu->addAction(tr("&Keyboard shortcuts"), this, [this] { help::openShortcuts(this); });
    shortcuts->setObjectName(QStringLiteral("actionShortcuts"));
    shortcuts->setShortcut(QKeySequence::HelpContents);
    QAction *rules = menu->addAction(tr("&What can snippets do?"), this,
                                     [this] {
                                         help::openSnippetRules(m_settings, timeLimit()->limitMs(),
                                                                m_runs->sessionHasInternet(), this);
                                     });
    rules->setObjectName(QStringLiteral("actionSnippetRules"));
    menu->addSeparator();
    QAction *about = menu->addAction(tr("&About SafeCell"), this, [this] { help::showAbout(this); });
    about->setObjectName(QStringLiteral("actionAbout"));
}

void MainWindow::setupRuns()
{
    QStringList models;
    if (const auto catalog = ModelCatalog::load()) {
        for (const ModelInfo &model : catalog->models())
            models << model.id;
    }
    m_health = new ServiceHealth(processCircuitBreakers(), processE2bBreaker(), models, this);
    statusBar()->addPermanentWidget(new ServiceHealthView(m_health, this));
    m_runs = new RunController(m_settings, *m_keys, this);
    m_sandboxLabel = new SandboxLabel(*m_runs, m_settings, this);
    statusBar()->addPermanentWidget(m_sandboxLabel);
    connect(m_runs, &RunController::stdoutReceived, this, [this](const QString &text) { appendOutput(text, false); });
    connect(m_runs, &RunController::stderrReceived, this, [this](const QString &text) { appendOutput(text, true); });
    connect(m_runs, &RunController::resultReceived, this, [this](const RichResult &result) {
        if (m_running && m_runView)
            m_runView->results()->addResult(result);
    });
    connect(m_runs, &RunController::stepChanged, this, &MainWindow::onStep);
    connect(m_runs, &RunController::finished, this, &MainWindow::onFinished);
    connect(m_runs, &RunController::sandboxChanged, this, &MainWindow::showSandbox);
    connect(m_runs, &RunController::sessionRenewed, this, [this] {
        if (!m_running)
            setStatus(tr("Settings applied: a fresh session"));
        showSandbox();
    });
    connect(m_runs, &RunController::freshSessionPending, this, &MainWindow::askAboutFreshSession);
    // The warm E2B sandbox was closed between runs (idle, or the budget).
    connect(m_runs, &RunController::sessionEnded, this, [this](const QString &message) {
        if (m_running)
            m_sessionNote = message; // as the run ends: shown once it has
        else
            setStatus(message);
    });
    showSandbox();
}

void MainWindow::showSandbox()
{
    m_health->setE2bInUse(m_runs->sandbox() == RunController::Sandbox::E2b);
    m_sandboxLabel->refresh();
}

void MainWindow::openSettings()
{
    auto *dialog = new SettingsDialog(m_settings, *m_keys, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setInternetAllowed(m_runs->internetAllowed());
    // Before the reload below, which builds the session's config with it.
    connect(dialog, &SettingsDialog::saved, this,
            [this, dialog] { m_runs->setInternetAllowed(dialog->internetAllowed()); });
    connect(dialog, &SettingsDialog::saved, budgetMonitor(), &BudgetMonitor::refresh);
    connect(dialog, &SettingsDialog::saved, timeLimit(), &TimeLimitControl::reload); // the cap may have changed
    // New settings apply from the next run; a fresh session only when they need one.
    connect(dialog, &SettingsDialog::saved, m_runs, &RunController::reload);
    connect(dialog, &SettingsDialog::keysChanged, m_runs, &RunController::reload);
    connect(dialog, &SettingsDialog::keysChanged, this, &MainWindow::readCohereKey);
    connect(dialog, &SettingsDialog::saved, this, &MainWindow::readCohereKey);
    connect(dialog, &SettingsDialog::saved, m_askPanel,
            [this] { m_askPanel->reconfigure(llmServicesFromSettings(m_settings)); });
    dialog->open();
}

SpendDashboard *MainWindow::openSpendDashboard()
{
    auto *dashboard = new SpendDashboard(m_settings, QString(), QDateTime(), this);
    dashboard->setAttribute(Qt::WA_DeleteOnClose);
    dashboard->open();
    return dashboard;
}

HistoryDialog *MainWindow::openHistory()
{
    auto *history = new HistoryDialog(QString(), this);
    history->setAttribute(Qt::WA_DeleteOnClose);
    connect(history, &HistoryDialog::openRequested, this, [this](const QString &code, Language language) {
        m_tabs->addTab(code, language);
        activateWindow();
    });
    history->open();
    return history;
}

LlmRequestView *MainWindow::showWhatWasSent()
{
    auto *view = new LlmRequestView(m_lastSent, m_lastSentContext, this);
    view->setAttribute(Qt::WA_DeleteOnClose);
    view->open();
    return view;
}

} // namespace safecell
