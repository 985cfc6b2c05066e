// MainWindow, continued: building its panels, actions, toolbar and status
// bar, and opening its dialogs (kept apart so each file stays readable).
#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "gui/AskPanel.h"
#include "gui/BudgetGauge.h"
#include "gui/BudgetMonitor.h"
#include "gui/DesktopNotifier.h"
#include "gui/EditorCommands.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/ElidedLabel.h"
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
#include "gui/ServiceHealth.h"
#include "gui/SettingsDialog.h"
#include "gui/SnippetFile.h"
#include "gui/SpendDashboard.h"
#include "gui/TimeLimitControl.h"
#include "routing/ModelCatalog.h"
#include "sandbox/SandboxCgroup.h"
#include "sandbox/SandboxLimits.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QActionGroup>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QToolButton>

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

// Language, time limit, Run, Stop and Restart session, each with its words.
void MainWindow::setupRunToolBar()
{
    m_ui->actionRun->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    m_languageBox = new QComboBox(this);
    m_languageBox->setObjectName(QStringLiteral("languageBox"));
    m_languageBox->setAccessibleName(tr("Language"));
    m_languageBox->setToolTip(tr("The language of this tab's snippet"));
    m_languageBox->addItem(tr("Python"), QVariant::fromValue(static_cast<int>(Language::Python)));
    m_languageBox->addItem(tr("SQL"), QVariant::fromValue(static_cast<int>(Language::Sql)));
    m_ui->runToolBar->insertWidget(m_ui->actionRun, m_languageBox);
    m_timeLimit = new TimeLimitControl(m_settings, m_ui->runToolBar, m_ui->actionRun, this);
    m_ui->menuRun->addAction(m_timeLimit->focusAction());
    m_ui->runToolBar->insertSeparator(m_ui->actionRun);
    // The same choice from the keyboard: Run > Language > Python / SQL.
    auto *languageMenu = new QMenu(tr("&Language"), this);
    languageMenu->setObjectName(QStringLiteral("menuLanguage"));
    auto *languages = new QActionGroup(languageMenu);
    const std::pair<QString, Language> choices[] = {{tr("&Python"), Language::Python}, {tr("&SQL"), Language::Sql}};
    for (const auto &[text, language] : choices) {
        QAction *choice = languageMenu->addAction(text);
        choice->setCheckable(true);
        choice->setData(static_cast<int>(language));
        languages->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, language = language] {
            m_languageBox->setCurrentIndex(m_languageBox->findData(static_cast<int>(language)));
        });
    }
    m_ui->menuRun->insertMenu(m_ui->actionRun, languageMenu);
    // The box's choice, not the tab's own language (which is what it changes).
    connect(m_languageBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (EditorTab *tab = m_tabs->current(); tab && index >= 0)
            tab->setLanguage(Language(m_languageBox->itemData(index).toInt()));
    });
    // The menu shows the tab's language, however it was set.
    connect(languageMenu, &QMenu::aboutToShow, this, [this, languages] {
        for (QAction *choice : languages->actions())
            choice->setChecked(choice->data().toInt() == static_cast<int>(language()));
    });
    // A label beside each icon: "Restart session" must say what it does.
    for (QAction *action : {m_ui->actionRun, m_ui->actionStop, m_ui->actionRestartSession}) {
        if (auto *button = qobject_cast<QToolButton *>(m_ui->runToolBar->widgetForAction(action)))
            button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    }
}

void MainWindow::setupStatusBar()
{
    m_stateLabel = new ElidedLabel(this);
    m_stateLabel->setObjectName(QStringLiteral("statusText"));
    m_stateLabel->setFullText(tr("Ready"));
    m_durationLabel = new QLabel(this);
    statusBar()->addWidget(m_stateLabel, 1);
    statusBar()->addPermanentWidget(m_durationLabel);
    setupBudget();
    m_elapsedTicker.setInterval(100);
    connect(&m_elapsedTicker, &QTimer::timeout, this, &MainWindow::updateElapsed);
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
                                         help::openSnippetRules(m_settings, m_timeLimit->limitMs(),
                                                                m_runs->sessionHasInternet(), this);
                                     });
    rules->setObjectName(QStringLiteral("actionSnippetRules"));
    menu->addSeparator();
    QAction *about = menu->addAction(tr("&About SafeCell"), this, [this] { help::showAbout(this); });
    about->setObjectName(QStringLiteral("actionAbout"));
}

void MainWindow::setupBudget()
{
    auto *spacer = new QWidget(this);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_ui->runToolBar->addWidget(spacer);
    m_gauge = new BudgetGauge(this);
    m_ui->runToolBar->addWidget(m_gauge);
    m_notifier = new DesktopNotifier(statusBar());
    m_budget = new BudgetMonitor(m_settings, QString(), this);
    connect(m_budget, &BudgetMonitor::snapshotChanged, m_gauge, &BudgetGauge::setSnapshot);
    connect(m_budget, &BudgetMonitor::unavailable, m_gauge, &BudgetGauge::setUnavailable);
    connect(m_budget, &BudgetMonitor::thresholdCrossed, this,
            [this](BudgetState state, const BudgetSnapshot &snapshot) {
                const QString limit = snapshot.limit ? snapshot.limit->toString() : tr("no limit");
                const QString figures = tr("%1 of %2 spent").arg(snapshot.spent.toString(), limit);
                switch (state) {
                case BudgetState::Warned:
                    m_notifier->notify(tr("Budget warning"), figures);
                    break;
                case BudgetState::Degraded:
                    m_notifier->notify(tr("Budget degraded"), tr("%1; cheaper models only from now on").arg(figures));
                    break;
                case BudgetState::Stopped:
                    m_notifier->notify(tr("Budget exhausted"), tr("%1; paid steps are stopped").arg(figures));
                    break;
                case BudgetState::Active:
                    break;
                }
            });
    // After the window is up: opening the ledger must not delay the first paint.
    QTimer::singleShot(0, m_budget, &BudgetMonitor::refresh);
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
    m_sandboxLabel = new QLabel(this);
    m_sandboxLabel->setObjectName(QStringLiteral("sandboxLabel"));
    statusBar()->addPermanentWidget(m_sandboxLabel);
    m_runs = new RunController(m_settings, *m_keys, this);
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
    const bool waiting = m_runs->hasPendingFreshSession() && m_runs->pendingSandbox() != m_runs->sandbox();
    QString text;
    QString tip;
    switch (m_runs->sandbox()) {
    case RunController::Sandbox::Unknown:
        text = tr("Sandbox: …");
        tip = tr("Reading the keys from the keychain");
        break;
    case RunController::Sandbox::Local: {
        // Which mechanism bounds the sandbox's memory and processes here.
        const SandboxLimits limits = SandboxLimits::fromSettings(m_settings);
        const MemoryBound bound = memoryBoundFor(limits);
        text = waiting ? tr("Sandbox: local, %1 (E2B after a restart)").arg(memoryBoundName(bound))
                       : tr("Sandbox: local, %1").arg(memoryBoundName(bound));
        tip = tr("Code runs in the local sandbox (no E2B key in the keychain or E2B_API_KEY). %1")
                  .arg(memoryBoundDescription(bound, limits));
        break;
    }
    case RunController::Sandbox::E2b:
        text = waiting ? tr("Sandbox: E2B (local after a restart)") : tr("Sandbox: E2B");
        if (m_runs->sessionHasInternet())
            text += tr(" · internet on");
        tip = tr("Code runs in an E2B cloud sandbox, a paid step checked against the budget.\n%1\n\n%2")
                  .arg(m_runs->sessionHasInternet()
                           ? tr("Internet: ON for this session (Settings > Sandbox); it ends when SafeCell quits.")
                           : tr("Internet: off, as in the local sandbox (Settings > Sandbox allows it for one "
                                "session)."),
                       help::e2bDifferencesText());
        break;
    }
    if (const QString problem = m_runs->keychainProblem(); !problem.isEmpty()) {
        // Not "no key": the keys could not be read. Say so, and how to fix it.
        text += tr(" · keychain unreadable");
        tip = tr("%1\nUntil then, runs use only the keys set in the environment: without an E2B key the local "
                 "sandbox, without a Cohere key no LLM second opinion.\n\n%2")
                  .arg(problem, tip);
    }
    m_sandboxLabel->setText(text);
    m_sandboxLabel->setToolTip(tip);
}

void MainWindow::openSettings()
{
    auto *dialog = new SettingsDialog(m_settings, *m_keys, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setInternetAllowed(m_runs->internetAllowed());
    // Before the reload below, which builds the session's config with it.
    connect(dialog, &SettingsDialog::saved, this,
            [this, dialog] { m_runs->setInternetAllowed(dialog->internetAllowed()); });
    connect(dialog, &SettingsDialog::saved, m_budget, &BudgetMonitor::refresh);
    connect(dialog, &SettingsDialog::saved, m_timeLimit, &TimeLimitControl::reload); // the cap may have changed
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
