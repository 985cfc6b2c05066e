#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "gui/AmbiguityDialog.h"
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
#include "sandbox/SandboxLimits.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QLabel>
#include <QMenu>

namespace safecell {

MainWindow::MainWindow(Settings &settings, KeyStore &keys, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_settings(settings)
    , m_keys(&keys)
{
    m_ui->setupUi(this);
    m_tabs = new EditorTabs(m_ui->editorTabs, settings, this);
    m_outputBuffer = new OutputBuffer(m_ui->output);
    m_results = new ResultsPanel(m_ui->resultTabs);
    m_runSummary = new QLabel(m_ui->resultTabs);
    m_runSummary->setObjectName(QStringLiteral("runSummary"));
    m_runSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_runSummary->setContentsMargins(8, 0, 8, 0);
    m_ui->resultTabs->setCornerWidget(m_runSummary, Qt::TopRightCorner);
    m_findingsPanel = new FindingsPanel(this);
    m_ui->splitter->insertWidget(1, m_findingsPanel);
    connect(m_findingsPanel, &FindingsPanel::findingActivated, this, &MainWindow::showInEditor);
    m_tabs->addTab(); // replaced by the restored tabs below; the panels need an editor now
    setupEditActions();
    m_askPanel = new AskPanel(editor(), AskPanel::servicesFromSettings(settings), m_keys, this);
    m_askPanel->setLanguageSource([this] { return language(); });
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
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 1);
    m_ui->splitter->setStretchFactor(2, 2);
    // A tab widget asks for little room: give the editor half the height from the start.
    m_ui->splitter->setSizes({500, 100, 400});
    m_ui->output->setMaximumBlockCount(200000);
    m_ui->output->setFont(editor()->font());
    m_ui->actionRun->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});

    m_languageBox = new QComboBox(this);
    m_languageBox->setAccessibleName(tr("Language"));
    m_languageBox->addItem(tr("Python"), QVariant::fromValue(static_cast<int>(Language::Python)));
    m_languageBox->addItem(tr("SQL"), QVariant::fromValue(static_cast<int>(Language::Sql)));
    m_ui->runToolBar->insertWidget(m_ui->actionRun, m_languageBox);
    m_ui->runToolBar->insertSeparator(m_ui->actionRun);
    connect(m_languageBox, &QComboBox::currentIndexChanged, this, [this] {
        if (EditorTab *tab = m_tabs->current())
            tab->setLanguage(language());
    });

    m_stateLabel = new QLabel(tr("Ready"), this);
    m_durationLabel = new QLabel(this);
    statusBar()->addWidget(m_stateLabel, 1);
    statusBar()->addPermanentWidget(m_durationLabel);
    setupBudget();
    m_elapsedTicker.setInterval(100);
    connect(&m_elapsedTicker, &QTimer::timeout, this, &MainWindow::updateElapsed);

    connect(m_ui->actionRun, &QAction::triggered, this, &MainWindow::run);
    connect(m_ui->actionStop, &QAction::triggered, this, &MainWindow::stop);
    connect(m_ui->actionRestartSession, &QAction::triggered, this, &MainWindow::restartSession);

    setupRuns();

    setupFileActions();
    connect(m_tabs, &EditorTabs::currentChanged, this, &MainWindow::onCurrentTabChanged);
    connect(m_tabs, &EditorTabs::currentTitleChanged, this, [this](const QString &name) {
        setWindowTitle(tr("%1 - SafeCell").arg(name));
        snippetFile()->fillRecentMenu(m_ui->menuRecent);
    });
    EditorTab *placeholder = m_tabs->current();
    m_tabs->restoreSession();
    m_tabs->closeTab(m_ui->editorTabs->indexOf(placeholder));
    onCurrentTabChanged(m_tabs->current());
    editor()->setFocus();
}

MainWindow::~MainWindow() = default;

Language MainWindow::language() const
{
    return m_tabs->current()->language();
}

void MainWindow::setLanguage(Language language)
{
    m_tabs->current()->setLanguage(language);
    m_languageBox->setCurrentIndex(m_languageBox->findData(static_cast<int>(language)));
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

void MainWindow::onCurrentTabChanged(EditorTab *tab)
{
    if (!tab)
        return;
    {
        const QSignalBlocker quiet(m_languageBox);
        m_languageBox->setCurrentIndex(m_languageBox->findData(static_cast<int>(tab->language())));
    }
    m_findBar->setEditor(tab->editor());
    if (m_askPanel)
        m_askPanel->setEditor(tab->editor());
    m_findingsPanel->setFindings(tab->lastLabel(), tab->lastFindings());
    setWindowTitle(tr("%1 - SafeCell").arg(tab->file()->displayName()));
}

QString MainWindow::outputText() const
{
    m_outputBuffer->flushAll();
    return m_ui->output->toPlainText();
}

int MainWindow::errorLine() const
{
    return m_tabs->current()->errorLine().line();
}

void MainWindow::run()
{
    if (m_running)
        return;
    RunRequest request;
    request.code = code();
    request.language = language();
    // Trusted this session: the analyst already said "run anyway" to this exact code.
    request.confirmed = isTrusted(request.code);
    startRun(request);
}

void MainWindow::startRun(const RunRequest &request)
{
    m_outputBuffer->clear();
    m_results->clear();
    m_runSummary->clear();
    m_runTab = m_tabs->current();
    m_runTab->clearMarkers();
    m_findingsPanel->clear();
    m_lastRequest = request;
    setRunning(true);
    m_runs->start(request);
}

void MainWindow::showFindings(const RunReport &report)
{
    if (m_runTab)
        m_runTab->setLastFindings(report.safetyLabel, report.findings);
    if (m_runTab == m_tabs->current())
        m_findingsPanel->setFindings(report.safetyLabel, report.findings);
    if (report.outcome == RunOutcome::NeedsConfirmation)
        askAboutAmbiguous(report);
}

// Window-modal and without a nested event loop: the answer arrives by signal.
void MainWindow::askAboutAmbiguous(const RunReport &report)
{
    auto *dialog = new AmbiguityDialog(report, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AmbiguityDialog::lineActivated, this, &MainWindow::showInEditor);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result != QDialog::Accepted) {
            m_stateLabel->setText(tr("Not run: you cancelled"));
            return;
        }
        RunRequest confirmed = m_lastRequest;
        confirmed.confirmed = true;
        if (dialog->trustRequested())
            m_trustedHashes.insert(codeHash(confirmed.code)); // the hash only, never the code
        startRun(confirmed);
    });
    dialog->open();
}

void MainWindow::showInEditor(int line, int column)
{
    editor()->setCursorPosition(line - 1, std::max(column - 1, 0));
    editor()->ensureLineVisible(line - 1);
    editor()->setFocus();
}

bool MainWindow::isTrusted(const QString &code) const
{
    return m_trustedHashes.contains(codeHash(code));
}

void MainWindow::stop()
{
    if (m_running) {
        m_stateLabel->setText(tr("Stopping…"));
        m_runs->cancel();
    }
}

void MainWindow::appendOutput(const QString &text, bool isError)
{
    m_outputBuffer->append(text, isError);
}

void MainWindow::onStep(RunStep step)
{
    if (!m_running)
        return;
    switch (step) {
    case RunStep::Validating:
        m_stateLabel->setText(tr("Checking the request…"));
        break;
    case RunStep::Classifying:
        m_stateLabel->setText(tr("Checking the code's safety…"));
        break;
    case RunStep::Reserving:
    case RunStep::Routing:
        m_stateLabel->setText(tr("Checking the budget…"));
        break;
    case RunStep::Executing:
        m_stateLabel->setText(tr("Running…"));
        break;
    case RunStep::Settling:
    case RunStep::Done:
        break;
    }
}

void MainWindow::onFinished(const RunReport &report)
{
    setRunning(false);
    if (report.outcome == RunOutcome::Failed && report.error)
        m_askPanel->setLastFailure(m_lastRequest.code, m_lastRequest.language, report.error->traceback);
    else
        m_askPanel->clearLastFailure();
    // No flushAll() here: after a flood, writing the whole backlog at once
    // would stall the window; the buffer drains on its timer, in order.
    m_durationLabel->setText(tr("%1 s").arg(double(report.durationMs) / 1000.0, 0, 'f', 2));
    switch (report.outcome) {
    case RunOutcome::Ok:
        m_stateLabel->setText(tr("Finished"));
        break;
    case RunOutcome::Failed:
        m_stateLabel->setText(tr("The code raised %1").arg(report.error ? report.error->name : tr("an error")));
        if (report.error)
            appendOutput(report.error->traceback + QLatin1Char('\n'), true);
        break;
    case RunOutcome::TimedOut:
        m_stateLabel->setText(tr("Stopped at the time limit"));
        break;
    case RunOutcome::Cancelled:
        m_stateLabel->setText(tr("Stopped"));
        break;
    case RunOutcome::Invalid:
    case RunOutcome::Blocked:
    case RunOutcome::NeedsConfirmation:
    case RunOutcome::OverBudget:
    case RunOutcome::Unavailable:
        m_stateLabel->setText(report.message.section(QLatin1Char('\n'), 0, 0));
        appendOutput(report.message + QLatin1Char('\n'), true);
        break;
    }
    if (!m_sessionNote.isEmpty()) // the sandbox was closed as the run ended
        m_stateLabel->setText(std::exchange(m_sessionNote, QString()));
    const bool messageShown = report.outcome != RunOutcome::Ok && report.outcome != RunOutcome::Failed
        && report.outcome != RunOutcome::TimedOut && report.outcome != RunOutcome::Cancelled;
    if (!messageShown && !report.message.isEmpty())
        appendOutput(report.message + QLatin1Char('\n'), true); // e.g. the session was restarted
    showFindings(report);
    m_budget->refresh();
    showRunSummary(report);
    m_health->noteRun(report, m_runs->sandbox() == RunController::Sandbox::E2b);
    m_lastSent = report.llmRequest;
    m_lastSentContext = report.model.isEmpty() ? tr("Last run") : tr("Last run (safety classification by %1)").arg(report.model);
    m_ui->actionWhatWasSent->setEnabled(true);
    if (report.outcome == RunOutcome::Failed && report.error && m_runTab) {
        m_runTab->errorLine().show(failingLineFromTraceback(report.error->traceback),
                          QStringLiteral("%1: %2").arg(report.error->name, report.error->value));
    }
    m_results->showBest(report.outcome != RunOutcome::Ok);
    Q_EMIT runFinished(report);
}

QString MainWindow::runSummary() const
{
    return m_runSummary->text();
}

void MainWindow::showRunSummary(const RunReport &report)
{
    m_runSummary->setText(runSummaryText(report));
    QStringList tip{tr("Outcome: %1").arg(outcomeText(report.outcome))};
    if (!report.sandbox.isEmpty())
        tip << tr("Sandbox: %1").arg(report.sandbox);
    if (!report.model.isEmpty())
        tip << tr("Model: %1 (%2)").arg(report.model, report.modelReason);
    tip << tr("LLM cost: %1").arg(report.llmCost.toString()) << tr("Sandbox cost: %1").arg(report.sandboxCost.toString())
        << tr("Duration: %1 s").arg(double(report.durationMs) / 1000.0, 0, 'f', 2);
    m_runSummary->setToolTip(tip.join(QLatin1Char('\n')));
}

void MainWindow::restartSession()
{
    m_runs->restartSession();
    m_stateLabel->setText(tr("Session restarted: variables cleared"));
    m_outputBuffer->clear();
    m_results->clear();
    m_runSummary->clear();
    if (EditorTab *tab = m_tabs->current())
        tab->errorLine().clear();
}

void MainWindow::setRunning(bool running)
{
    m_running = running;
    m_ui->actionRun->setEnabled(!running);
    m_ui->actionStop->setEnabled(running);
    m_languageBox->setEnabled(!running);
    if (running) {
        m_elapsed.start();
        m_elapsedTicker.start();
        updateElapsed();
    } else {
        m_elapsedTicker.stop();
    }
}

void MainWindow::updateElapsed()
{
    m_durationLabel->setText(tr("%1 s").arg(double(m_elapsed.elapsed()) / 1000.0, 0, 'f', 1));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_tabs->maybeKeepAllChanges()) {
        event->ignore();
        return;
    }
    m_tabs->saveSession();
    m_settings.sync();
    event->accept();
}

} // namespace safecell
