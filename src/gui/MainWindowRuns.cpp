// MainWindow, continued: a run from Run to its outcome, written into the
// results of the tab it came from.
#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "common/Logging.h"
#include "gui/AmbiguityDialog.h"
#include "gui/AskPanel.h"
#include "gui/BudgetMonitor.h"
#include "gui/BudgetWatch.h"
#include "gui/EditorErrorLine.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/FindingsPanel.h"
#include "gui/ResultsPanel.h"
#include "gui/ResultsPerTab.h"
#include "gui/RunController.h"
#include "gui/RunResultsView.h"
#include "gui/RunText.h"
#include "gui/RunToolBar.h"
#include "gui/ServiceHealth.h"
#include "gui/StatusLine.h"
#include "gui/TimeLimitControl.h"
#include "gui/TracebackLine.h"
#include "pipeline/RunHistory.h"

#include <QFileInfo>

namespace safecell {

void MainWindow::run()
{
    if (m_running)
        return;
    RunRequest request;
    request.code = code();
    request.language = language();
    request.maxExecutionTimeMs = m_runToolBar->timeLimit()->limitMs();
    // Trusted this session: the analyst already said "run anyway" to this exact code.
    request.confirmed = isTrusted(request.code);
    startRun(request);
}

void MainWindow::startRun(const RunRequest &asked)
{
    // Before the first run that would send local files to E2B's cloud: ask,
    // once per session, listing them; the run starts after the answer.
    if (!m_uploadConsent.answered()) {
        const QList<E2bUpload> uploads = m_runs->plannedUploads(asked.language);
        if (!uploads.isEmpty()) {
            m_uploadConsent.ask(this, uploads, [this, asked](bool) { startRun(asked); });
            return;
        }
    }
    RunRequest request = asked;
    request.uploadData = m_uploadConsent.allowed();
    m_runTab = m_tabs->current();
    m_runView = m_resultsPerTab->viewFor(m_runTab);
    m_runView->clear();
    m_runTab->clearMarkers();
    m_findingsPanel->clear();
    m_askPanel->clearLastFailure();
    m_lastRequest = request;
    setRunning(true);
    m_runs->start(request);
}

void MainWindow::stop()
{
    if (m_running) {
        setStatus(tr("Stopping…"));
        m_runs->cancel();
    }
}

// Into the tab the run came from, shown or not (gone: dropped).
void MainWindow::appendOutput(const QString &text, bool isError)
{
    if (m_runView)
        m_runView->appendOutput(text, isError);
}

void MainWindow::onStep(RunStep step)
{
    if (!m_running)
        return;
    switch (step) {
    case RunStep::Validating:
        setStatus(tr("Checking the request…"));
        break;
    case RunStep::Classifying:
        setStatus(tr("Checking the code's safety…"));
        break;
    case RunStep::Reserving:
    case RunStep::Routing:
        setStatus(tr("Checking the budget…"));
        break;
    case RunStep::Executing:
        setStatus(tr("Running… (Esc stops it)"));
        break;
    case RunStep::Settling:
    case RunStep::Done:
        break;
    }
}

void MainWindow::onFinished(const RunReport &report)
{
    setRunning(false);
    qCInfo(lcGui).noquote() << "run finished:" << outcomeName(report.outcome);
    // No flushAll() here: after a flood, writing the whole backlog at once
    // would stall the window; the buffer drains on its timer, in order.
    m_status->showDuration(report.durationMs);
    showOutcome(report);
    if (!m_sessionNote.isEmpty()) // the sandbox was closed as the run ended
        setStatus(std::exchange(m_sessionNote, QString()));
    showFindings(report);
    m_budget->monitor()->refresh();
    if (m_runView) {
        m_runView->showSummary(report);
        if (report.outcome == RunOutcome::Failed && report.error)
            m_runView->setLastFailure(
                RunResultsView::Failure{m_lastRequest.code, m_lastRequest.language, report.error->traceback});
        m_runView->results()->showBest(report.outcome != RunOutcome::Ok);
    }
    if (m_runTab && m_runTab == m_tabs->current() && report.outcome == RunOutcome::Failed && report.error)
        m_askPanel->setLastFailure(m_lastRequest.code, m_lastRequest.language, report.error->traceback);
    m_health->noteRun(report, m_runs->sandbox() == RunController::Sandbox::E2b);
    m_lastSent = report.llmRequest;
    m_lastSentContext = report.model.isEmpty() ? tr("Last run") : tr("Last run (safety classification by %1)").arg(report.model);
    m_ui->actionWhatWasSent->setEnabled(true);
    if (report.outcome == RunOutcome::Failed && report.error && m_runTab) {
        m_runTab->errorLine().show(failingLineFromTraceback(report.error->traceback),
                                   QStringLiteral("%1: %2").arg(report.error->name, report.error->value));
    }
    Q_EMIT runFinished(report);
}

// The status bar's line, and the outcome's message under the output.
void MainWindow::showOutcome(const RunReport &report)
{
    switch (report.outcome) {
    case RunOutcome::Ok:
        setStatus(tr("Finished"));
        break;
    case RunOutcome::Failed:
        setStatus(tr("The code raised %1").arg(report.error ? report.error->name : tr("an error")));
        if (report.error)
            appendOutput(report.error->traceback + QLatin1Char('\n'), true);
        break;
    case RunOutcome::TimedOut:
        setStatus(report.timeLimitFromBudget
                      ? timedOutText(report)
                      : tr("%1 (the toolbar's time limit; Ctrl+Shift+T to change it)").arg(timedOutText(report)));
        break;
    case RunOutcome::Cancelled:
        setStatus(tr("Stopped"));
        break;
    case RunOutcome::Invalid:
    case RunOutcome::Blocked:
    case RunOutcome::NeedsConfirmation:
    case RunOutcome::OverBudget:
    case RunOutcome::Unavailable:
        setStatus(report.message.section(QLatin1Char('\n'), 0, 0));
        appendOutput(report.message + QLatin1Char('\n'), true);
        return;
    }
    if (!report.message.isEmpty())
        appendOutput(report.message + QLatin1Char('\n'), true); // e.g. the session was restarted
}

void MainWindow::showFindings(const RunReport &report)
{
    if (m_runTab)
        m_runTab->setLastFindings(report.safetyLabel, report.findings);
    if (m_runTab == m_tabs->current())
        m_findingsPanel->setFindings(report.safetyLabel, report.findings);
    if (report.outcome == RunOutcome::NeedsConfirmation && !askAboutUpload(report))
        askAboutAmbiguous(report);
}

// The run wanted to upload and the window had not asked (the sandbox was not
// known yet when it started): ask now, and run again if allowed. True when
// the report was about an upload, asked or not.
bool MainWindow::askAboutUpload(const RunReport &report)
{
    if (report.skippedUploads.isEmpty())
        return false;
    if (m_uploadConsent.answered()) {
        setStatus(tr("Not run: you chose not to send data to E2B this session"));
        return true;
    }
    QList<E2bUpload> uploads;
    for (const QString &path : report.skippedUploads)
        uploads << E2bUpload{path, QFileInfo(path).size(), tr("needed by this run")};
    m_uploadConsent.ask(this, uploads, [this](bool yes) {
        if (!yes) {
            setStatus(tr("Not run: you chose not to send data to E2B this session"));
            return;
        }
        if (m_runTab && m_runTab != m_tabs->current())
            m_tabs->setCurrentIndex(m_tabs->indexOf(m_runTab)); // it runs where it came from
        startRun(m_lastRequest);
    });
    return true;
}

// Window-modal and without a nested event loop: the answer arrives by signal.
void MainWindow::askAboutAmbiguous(const RunReport &report)
{
    auto *dialog = new AmbiguityDialog(report, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AmbiguityDialog::lineActivated, this, &MainWindow::showInEditor);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result != QDialog::Accepted) {
            setStatus(tr("Not run: you cancelled"));
            return;
        }
        RunRequest confirmed = m_lastRequest;
        confirmed.confirmed = true;
        if (dialog->trustRequested())
            m_trustedHashes.insert(codeHash(confirmed.code)); // the hash only, never the code
        if (m_runTab && m_runTab != m_tabs->current())
            m_tabs->setCurrentIndex(m_tabs->indexOf(m_runTab)); // it runs where it came from
        startRun(confirmed);
    });
    dialog->open();
}

void MainWindow::setRunning(bool running)
{
    m_running = running;
    m_runToolBar->setRunning(running);
    if (running)
        m_status->startClock();
    else
        m_status->stopClock();
}

} // namespace safecell
