#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "gui/AmbiguityPrompt.h"
#include "gui/AskPanel.h"
#include "gui/EditorFindings.h"
#include "gui/EditorSetup.h"
#include "gui/FindingsPanel.h"
#include "cohere/CohereConfig.h"
#include "pipeline/RunThread.h"
#include "sandbox/SandboxLimits.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QCloseEvent>
#include <QComboBox>
#include <QLabel>
#include <QAbstractButton>
#include <QMessageBox>
#include <QScrollBar>
#include <QTextCharFormat>
#include <QTextCursor>

namespace safecell {

MainWindow::MainWindow(Settings &settings, QWidget *parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_settings(settings)
{
    m_ui->setupUi(this);
    setupEditor(m_ui->editor);
    m_editorFindings = new EditorFindings(m_ui->editor);
    m_findingsPanel = new FindingsPanel(this);
    m_ui->splitter->insertWidget(1, m_findingsPanel);
    connect(m_findingsPanel, &FindingsPanel::findingActivated, this, [this](int line, int column) {
        m_ui->editor->setCursorPosition(line - 1, std::max(column - 1, 0));
        m_ui->editor->ensureLineVisible(line - 1);
        m_ui->editor->setFocus();
    });
    LlmServicesConfig llm;
    llm.baseUrl = cohereBaseUrl(settings);
    llm.budgetPolicy = BudgetPolicy::fromSettings(settings);
    m_askPanel = new AskPanel(m_ui->editor, llm, this);
    m_askPanel->setLanguageSource([this] { return language(); });
    m_ui->centralLayout->insertWidget(0, m_askPanel);
    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 1);
    m_ui->splitter->setStretchFactor(2, 2);
    m_ui->output->setMaximumBlockCount(200000);
    m_ui->output->setFont(m_ui->editor->font());
    m_ui->actionRun->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});

    m_languageBox = new QComboBox(this);
    m_languageBox->setAccessibleName(tr("Language"));
    m_languageBox->addItem(tr("Python"), QVariant::fromValue(static_cast<int>(Language::Python)));
    m_languageBox->addItem(tr("SQL"), QVariant::fromValue(static_cast<int>(Language::Sql)));
    m_ui->runToolBar->insertWidget(m_ui->actionRun, m_languageBox);
    m_ui->runToolBar->insertSeparator(m_ui->actionRun);
    connect(m_languageBox, &QComboBox::currentIndexChanged, this,
            [this] { applyLanguage(language()); });

    m_stateLabel = new QLabel(tr("Ready"), this);
    m_durationLabel = new QLabel(this);
    statusBar()->addWidget(m_stateLabel, 1);
    statusBar()->addPermanentWidget(m_durationLabel);
    m_elapsedTicker.setInterval(100);
    connect(&m_elapsedTicker, &QTimer::timeout, this, &MainWindow::updateElapsed);

    connect(m_ui->actionRun, &QAction::triggered, this, &MainWindow::run);
    connect(m_ui->actionStop, &QAction::triggered, this, &MainWindow::stop);
    connect(m_ui->actionRestartSession, &QAction::triggered, this, &MainWindow::restartSession);

    m_runner = std::make_unique<RunThread>(RunWorkerConfig::fromSettings(settings));
    RunWorker *worker = m_runner->worker();
    connect(worker, &RunWorker::stdoutReceived, this, [this](const QString &text) { appendOutput(text, false); });
    connect(worker, &RunWorker::stderrReceived, this, [this](const QString &text) { appendOutput(text, true); });
    connect(worker, &RunWorker::stepChanged, this, &MainWindow::onStep);
    connect(worker, &RunWorker::finished, this, &MainWindow::onFinished);

    const auto savedLanguage = languageFromName(settings.string(Setting::EditorLastLanguage));
    setLanguage(savedLanguage.value_or(Language::Python));
    m_ui->editor->setText(settings.string(Setting::EditorLastCode));
    m_ui->editor->setFocus();
}

MainWindow::~MainWindow() = default;

Language MainWindow::language() const
{
    return static_cast<Language>(m_languageBox->currentData().toInt());
}

void MainWindow::setLanguage(Language language)
{
    m_languageBox->setCurrentIndex(m_languageBox->findData(static_cast<int>(language)));
    applyLanguage(language);
}

void MainWindow::applyLanguage(Language language)
{
    setEditorLanguage(m_ui->editor, language);
}

void MainWindow::setCode(const QString &code)
{
    m_ui->editor->setText(code);
}

QString MainWindow::code() const
{
    return m_ui->editor->text();
}

QString MainWindow::outputText() const
{
    return m_ui->output->toPlainText();
}

void MainWindow::run()
{
    if (m_running)
        return;
    RunRequest request;
    request.code = code();
    request.language = language();
    startRun(request);
}

void MainWindow::startRun(const RunRequest &request)
{
    m_ui->output->clear();
    m_editorFindings->clear();
    m_findingsPanel->clear();
    m_lastRequest = request;
    setRunning(true);
    m_runner->start(request);
}

void MainWindow::showFindings(const RunReport &report)
{
    m_findingsPanel->setFindings(report.safetyLabel, report.findings);
    m_editorFindings->setFindings(report.findings);
    if (report.outcome != RunOutcome::NeedsConfirmation)
        return;
    QMessageBox *prompt = openAmbiguityPrompt(this, report.findings);
    connect(prompt, &QMessageBox::buttonClicked, this, [this, prompt](QAbstractButton *button) {
        if (prompt->buttonRole(button) != QMessageBox::AcceptRole) {
            m_stateLabel->setText(tr("Not run: you cancelled"));
            return;
        }
        RunRequest confirmed = m_lastRequest;
        confirmed.confirmed = true;
        startRun(confirmed);
    });
}

void MainWindow::stop()
{
    if (m_running) {
        m_stateLabel->setText(tr("Stopping…"));
        m_runner->cancel();
    }
}

void MainWindow::appendOutput(const QString &text, bool isError)
{
    QTextCharFormat format;
    if (isError)
        format.setForeground(QColor(0xc0, 0x30, 0x30));
    QScrollBar *bar = m_ui->output->verticalScrollBar();
    const bool atBottom = bar->value() == bar->maximum();
    QTextCursor cursor(m_ui->output->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text, format);
    if (atBottom)
        bar->setValue(bar->maximum());
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
    const bool messageShown = report.outcome != RunOutcome::Ok && report.outcome != RunOutcome::Failed
        && report.outcome != RunOutcome::TimedOut && report.outcome != RunOutcome::Cancelled;
    if (!messageShown && !report.message.isEmpty())
        appendOutput(report.message + QLatin1Char('\n'), true); // e.g. the session was restarted
    showFindings(report);
    Q_EMIT runFinished(report);
}

void MainWindow::restartSession()
{
    m_runner->restartSession();
    m_stateLabel->setText(tr("Session restarted: variables cleared"));
    m_ui->output->clear();
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
    m_settings.setValue(Setting::EditorLastCode, code());
    m_settings.setValue(Setting::EditorLastLanguage, languageName(language()));
    m_settings.sync();
    event->accept();
}

} // namespace safecell
