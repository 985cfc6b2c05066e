#include "RunPresenter.h"

#include "common/Logging.h"
#include "gui/AmbiguityDialog.h"
#include "gui/AskPanel.h"
#include "gui/BudgetMonitor.h"
#include "gui/EditorErrorLine.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/FindingsPanel.h"
#include "gui/ResultsPanel.h"
#include "gui/ResultsPerTab.h"
#include "gui/RunController.h"
#include "gui/RunResultsView.h"
#include "gui/RunText.h"
#include "gui/ServiceHealth.h"
#include "gui/StatusLine.h"
#include "gui/TimeLimitControl.h"
#include "gui/TracebackLine.h"
#include "pipeline/RunHistory.h"

#include <Qsci/qsciscintilla.h>

#include <QDateTime>
#include <QFileInfo>

#include <utility>

namespace safecell {

RunPresenter::RunPresenter(const Parts &parts, QWidget *window)
    : QObject(window)
    , m_parts(parts)
    , m_window(window)
{
    RunController &runs = m_parts.runs;
    connect(&runs, &RunController::stdoutReceived, this, [this](const QString &text) { appendOutput(text, false); });
    connect(&runs, &RunController::stderrReceived, this, [this](const QString &text) { appendOutput(text, true); });
    connect(&runs, &RunController::resultReceived, this, [this](const RichResult &result) {
        if (m_running && m_runView)
            m_runView->results()->addResult(result);
    });
    connect(&runs, &RunController::stepChanged, this, &RunPresenter::onStep);
    connect(&runs, &RunController::finished, this, &RunPresenter::onFinished);
    // The warm E2B sandbox was closed between runs (idle, or the budget).
    connect(&runs, &RunController::sessionEnded, this, [this](const QString &message) {
        if (m_running)
            m_sessionNote = message; // as the run ends: shown once it has
        else
            m_parts.status.setText(message);
    });
}

bool RunPresenter::isTrusted(const QString &code) const
{
    return m_trustedHashes.contains(codeHash(code));
}

void RunPresenter::run()
{
    if (m_running)
        return;
    const EditorTab *tab = m_parts.tabs.current();
    RunRequest request;
    request.code = tab->editor()->text();
    request.language = tab->language();
    request.maxExecutionTimeMs = m_parts.timeLimit.limitMs();
    // Trusted this session: the analyst already said "run anyway" to this exact code.
    request.confirmed = isTrusted(request.code);
    startRun(request);
}

void RunPresenter::startRun(const RunRequest &asked)
{
    // Before the first run that would send local files to E2B's cloud: ask,
    // once per session, listing them; the run starts after the answer.
    if (!m_uploadConsent.answered()) {
        const QList<E2bUpload> uploads = m_parts.runs.plannedUploads(asked.language);
        if (!uploads.isEmpty()) {
            m_uploadConsent.ask(m_window, uploads, [this, asked](bool) { startRun(asked); });
            return;
        }
    }
    RunRequest request = asked;
    request.uploadData = m_uploadConsent.allowed();
    m_runTab = m_parts.tabs.current();
    m_runView = m_parts.results.viewFor(m_runTab);
    m_runView->clear();
    m_runTab->clearMarkers();
    m_parts.findings.clear();
    m_parts.ask.clearLastFailure();
    m_lastRequest = request;
    setRunning(true);
    m_parts.runs.start(request);
}

void RunPresenter::stop()
{
    if (m_running) {
        m_parts.status.setText(tr("Stopping…"));
        m_parts.runs.cancel();
    }
}

// Into the tab the run came from, shown or not (gone: dropped).
void RunPresenter::appendOutput(const QString &text, bool isError)
{
    if (m_runView)
        m_runView->appendOutput(text, isError);
}

void RunPresenter::onStep(RunStep step)
{
    if (!m_running)
        return;
    switch (step) {
    case RunStep::Validating:
        m_parts.status.setText(tr("Checking the request…"));
        break;
    case RunStep::Classifying:
        m_parts.status.setText(tr("Checking the code's safety…"));
        break;
    case RunStep::Reserving:
    case RunStep::Routing:
        m_parts.status.setText(tr("Checking the budget…"));
        break;
    case RunStep::Executing:
        m_parts.status.setText(tr("Running… (Esc stops it)"));
        break;
    case RunStep::Settling:
    case RunStep::Done:
        break;
    }
}

void RunPresenter::onFinished(const RunReport &report)
{
    setRunning(false);
    qCInfo(lcGui).noquote() << "run finished:" << outcomeName(report.outcome);
    // No flushAll() here: after a flood, writing the whole backlog at once
    // would stall the window; the buffer drains on its timer, in order.
    m_parts.status.showDuration(report.durationMs);
    showOutcome(report);
    if (!m_sessionNote.isEmpty()) // the sandbox was closed as the run ended
        m_parts.status.setText(std::exchange(m_sessionNote, QString()));
    showFindings(report);
    // The gauge shows the run's own figures at once; other processes' spend
    // reaches it through the monitor's watcher.
    if (report.budget)
        m_parts.budget.showRunSnapshot(*report.budget);
    else
        m_parts.budget.refresh();
    const bool failed = report.outcome == RunOutcome::Failed && report.error;
    if (m_runView) {
        m_runView->showSummary(report);
        m_runView->setLastRun({m_lastRequest.code, m_lastRequest.language, QDateTime::currentDateTime(), report});
        if (failed)
            m_runView->setLastFailure(
                RunResultsView::Failure{m_lastRequest.code, m_lastRequest.language, report.error->traceback});
        m_runView->results()->showBest(report.outcome != RunOutcome::Ok);
    }
    if (m_runTab && m_runTab == m_parts.tabs.current() && failed)
        m_parts.ask.setLastFailure(m_lastRequest.code, m_lastRequest.language, report.error->traceback);
    m_parts.health.noteRun(report, m_parts.runs.sandbox() == RunController::Sandbox::E2b);
    Q_EMIT llmRequestSent(report.llmRequest, report.model.isEmpty()
                                                 ? tr("Last run")
                                                 : tr("Last run (safety classification by %1)").arg(report.model));
    if (failed && m_runTab) {
        m_runTab->errorLine().show(failingLineFromTraceback(report.error->traceback),
                                   QStringLiteral("%1: %2").arg(report.error->name, report.error->value));
    }
    Q_EMIT runFinished(report);
}

// The status bar's line, and the outcome's message under the output.
void RunPresenter::showOutcome(const RunReport &report)
{
    StatusLine &status = m_parts.status;
    switch (report.outcome) {
    case RunOutcome::Ok:
        status.setText(tr("Finished"));
        break;
    case RunOutcome::Failed:
        status.setText(tr("The code raised %1").arg(report.error ? report.error->name : tr("an error")));
        if (report.error)
            appendOutput(report.error->traceback + QLatin1Char('\n'), true);
        break;
    case RunOutcome::TimedOut:
        status.setText(report.timeLimitFromBudget
                           ? timedOutText(report)
                           : tr("%1 (the toolbar's time limit; Ctrl+Shift+T to change it)").arg(timedOutText(report)));
        break;
    case RunOutcome::Cancelled:
        status.setText(tr("Stopped"));
        break;
    case RunOutcome::Invalid:
    case RunOutcome::Blocked:
    case RunOutcome::NeedsConfirmation:
    case RunOutcome::OverBudget:
    case RunOutcome::Unavailable:
        status.setText(report.message.section(QLatin1Char('\n'), 0, 0));
        appendOutput(report.message + QLatin1Char('\n'), true);
        return;
    }
    if (!report.message.isEmpty())
        appendOutput(report.message + QLatin1Char('\n'), true); // e.g. the session was restarted
}

void RunPresenter::showFindings(const RunReport &report)
{
    if (m_runTab)
        m_runTab->setLastFindings(report.safetyLabel, report.findings);
    if (m_runTab == m_parts.tabs.current())
        m_parts.findings.setFindings(report.safetyLabel, report.findings);
    if (report.outcome == RunOutcome::NeedsConfirmation && !askAboutUpload(report))
        askAboutAmbiguous(report);
}

// The run wanted to upload and the window had not asked (the sandbox was not
// known yet when it started): ask now, and run again if allowed. True when
// the report was about an upload, asked or not.
bool RunPresenter::askAboutUpload(const RunReport &report)
{
    if (report.skippedUploads.isEmpty())
        return false;
    if (m_uploadConsent.answered()) {
        m_parts.status.setText(tr("Not run: you chose not to send data to E2B this session"));
        return true;
    }
    QList<E2bUpload> uploads;
    for (const QString &path : report.skippedUploads)
        uploads << E2bUpload{path, QFileInfo(path).size(), tr("needed by this run")};
    m_uploadConsent.ask(m_window, uploads, [this](bool yes) {
        if (!yes) {
            m_parts.status.setText(tr("Not run: you chose not to send data to E2B this session"));
            return;
        }
        runAgainInItsTab(m_lastRequest);
    });
    return true;
}

// Window-modal and without a nested event loop: the answer arrives by signal.
void RunPresenter::askAboutAmbiguous(const RunReport &report)
{
    auto *dialog = new AmbiguityDialog(report, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AmbiguityDialog::lineActivated, this, &RunPresenter::lineActivated);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result != QDialog::Accepted) {
            m_parts.status.setText(tr("Not run: you cancelled"));
            return;
        }
        RunRequest confirmed = m_lastRequest;
        confirmed.confirmed = true;
        if (dialog->trustRequested())
            m_trustedHashes.insert(codeHash(confirmed.code)); // the hash only, never the code
        runAgainInItsTab(confirmed);
    });
    dialog->open();
}

void RunPresenter::runAgainInItsTab(const RunRequest &request)
{
    EditorTabs &tabs = m_parts.tabs;
    if (m_runTab && m_runTab != tabs.current())
        tabs.setCurrentIndex(tabs.indexOf(m_runTab)); // it runs where it came from
    startRun(request);
}

void RunPresenter::setRunning(bool running)
{
    m_running = running;
    Q_EMIT runningChanged(running);
    if (running)
        m_parts.status.startClock();
    else
        m_parts.status.stopClock();
}

} // namespace safecell
