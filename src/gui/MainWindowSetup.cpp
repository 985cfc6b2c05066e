// MainWindow, continued: building its actions, toolbar and status bar, and
// opening its dialogs (kept apart so each file stays readable).
#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "gui/AskPanel.h"
#include "gui/BudgetGauge.h"
#include "gui/BudgetMonitor.h"
#include "gui/DesktopNotifier.h"
#include "gui/EditorCommands.h"
#include "gui/EditorErrorLine.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/FindBar.h"
#include "gui/FindingsPanel.h"
#include "gui/HistoryDialog.h"
#include "gui/LlmRequestView.h"
#include "cohere/CohereConfig.h"
#include "gui/OutputBuffer.h"
#include "gui/ResultsPanel.h"
#include "gui/ServiceHealth.h"
#include "gui/SettingsDialog.h"
#include "routing/ModelCatalog.h"
#include "gui/SnippetFile.h"
#include "gui/SpendDashboard.h"
#include "secrets/KeyStore.h"
#include "gui/TracebackLine.h"
#include "gui/RunController.h"
#include "gui/RunText.h"
#include "pipeline/RunHistory.h"
#include "sandbox/SandboxCgroup.h"
#include "sandbox/SandboxLimits.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QLabel>
#include <QMenu>
#include <QAbstractButton>

namespace safecell {

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
    m_ui->actionNextTab->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_PageDown), QKeySequence(Qt::CTRL | Qt::Key_Tab)});
    m_ui->actionPreviousTab->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_PageUp), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backtab)});
    connect(m_ui->actionNewTab, &QAction::triggered, this, [this] { m_tabs->addTab(QString(), language()); });
    connect(m_ui->actionCloseTab, &QAction::triggered, this, [this] { m_tabs->closeTab(m_tabs->currentIndex()); });
    connect(m_ui->actionNextTab, &QAction::triggered, m_tabs, &EditorTabs::next);
    connect(m_ui->actionPreviousTab, &QAction::triggered, m_tabs, &EditorTabs::previous);
    connect(m_ui->actionSettings, &QAction::triggered, this, &MainWindow::openSettings);
    connect(m_ui->actionSpendDashboard, &QAction::triggered, this, &MainWindow::openSpendDashboard);
    connect(m_ui->actionHistory, &QAction::triggered, this, &MainWindow::openHistory);
    connect(m_ui->actionWhatWasSent, &QAction::triggered, this, &MainWindow::showWhatWasSent);
    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->menuRecent, &QMenu::aboutToShow, this, [this] { snippetFile()->fillRecentMenu(m_ui->menuRecent); });
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
        if (m_running)
            m_results->addResult(result);
    });
    connect(m_runs, &RunController::stepChanged, this, &MainWindow::onStep);
    connect(m_runs, &RunController::finished, this, &MainWindow::onFinished);
    connect(m_runs, &RunController::sandboxChanged, this, &MainWindow::showSandbox);
    connect(m_runs, &RunController::sessionRenewed, this, [this] {
        if (!m_running)
            m_stateLabel->setText(tr("Settings applied: a fresh session, variables cleared"));
    });
    // The warm E2B sandbox was closed between runs (idle, or the budget).
    connect(m_runs, &RunController::sessionEnded, this, [this](const QString &message) {
        m_stateLabel->setToolTip(message);
        if (m_running)
            m_sessionNote = message; // as the run ends: shown once it has
        else
            m_stateLabel->setText(message);
    });
    showSandbox();
}

void MainWindow::showSandbox()
{
    m_health->setE2bInUse(m_runs->sandbox() == RunController::Sandbox::E2b);
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
        text = tr("Sandbox: local, %1").arg(memoryBoundName(bound));
        tip = tr("Code runs in the local sandbox (no E2B key in the keychain or E2B_API_KEY). %1")
                  .arg(memoryBoundDescription(bound, limits));
        break;
    }
    case RunController::Sandbox::E2b:
        text = tr("Sandbox: E2B");
        tip = tr("Code runs in an E2B cloud sandbox, a paid step checked against the budget");
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
    connect(dialog, &SettingsDialog::saved, m_budget, &BudgetMonitor::refresh);
    // A new E2B key (or new limits) applies from the next run.
    connect(dialog, &SettingsDialog::saved, m_runs, &RunController::reload);
    connect(dialog, &SettingsDialog::keysChanged, m_runs, &RunController::reload);
    connect(dialog, &SettingsDialog::saved, m_askPanel,
            [this] { m_askPanel->reconfigure(AskPanel::servicesFromSettings(m_settings)); });
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
