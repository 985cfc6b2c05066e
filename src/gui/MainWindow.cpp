#include "MainWindow.h"

#include "ui_MainWindow.h"

#include "common/Logging.h"
#include "gui/AskPanel.h"
#include "gui/BudgetWatch.h"
#include "gui/Confirmation.h"
#include "gui/EditorErrorLine.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/FindBar.h"
#include "gui/FindingsPanel.h"
#include "gui/ResultsPerTab.h"
#include "gui/RunController.h"
#include "gui/RunResultsView.h"
#include "gui/RunToolBar.h"
#include "gui/SandboxLabel.h"
#include "gui/ServiceHealth.h"
#include "gui/SessionRecovery.h"
#include "gui/SnippetFile.h"
#include "gui/StatusLine.h"
#include "gui/TabAutosave.h"
#include "gui/WelcomeTab.h"
#include "pipeline/RunHistory.h"
#include "secrets/KeyStore.h"
#include "settings/Settings.h"

#include <Qsci/qsciscintilla.h>

#include <QCloseEvent>
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
    m_tabs->addTab(); // replaced by the restored tabs below; the panels need an editor now
    setupPanels();
    m_runToolBar = new RunToolBar(*m_ui, settings, *m_tabs, this);
    setupStatusBar();
    connect(m_ui->actionRun, &QAction::triggered, this, &MainWindow::run);
    connect(m_ui->actionStop, &QAction::triggered, this, &MainWindow::stop);
    connect(m_ui->actionRestartSession, &QAction::triggered, this, &MainWindow::restartSession);
    setupRuns();
    setupFileActions();
    setupViewActions();
    setupHelp();
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

// The last session's tabs (autosaved, or older versions'), or on a first
// start the welcome samples, in place of the placeholder tab the panels
// were built with; from then on the autosave keeps them.
void MainWindow::restoreTabs()
{
    EditorTab *placeholder = m_tabs->current();
    m_autosave = new TabAutosave(*m_tabs, QString(), this);
    connect(m_autosave, &TabAutosave::saveFailed, this, [this](const QString &reason) {
        setStatus(tr("The open tabs could not be saved to the data folder: %1").arg(reason));
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
    if (!m_tabs->maybeKeepAllChanges()) {
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
    lookupKey(*m_keys, KeyId::Cohere, this, [this](const KeyLookup &key) {
        m_askPanel->setKeyAvailable(!key.value.isEmpty());
        m_health->setCohereKey(!key.value.isEmpty());
    });
}

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

bool MainWindow::isTrusted(const QString &code) const
{
    return m_trustedHashes.contains(codeHash(code));
}

void MainWindow::restartSession()
{
    if (!m_runs->sessionHoldsState()) {
        renewSession();
        return;
    }
    Confirmation::Question question;
    question.id = QStringLiteral("restart-session");
    question.title = tr("Restart the session?");
    question.text = tr("A fresh session clears every variable, DataFrame and scratch table your runs made.");
    question.details = tr("Your snippets and their results stay.");
    question.yesText = tr("&Restart the session");
    question.noText = tr("&Keep the session");
    Confirmation::ask(this, question, [this](bool yes) {
        if (yes)
            renewSession();
    });
}

void MainWindow::renewSession()
{
    const bool withNewSettings = m_runs->hasPendingFreshSession();
    m_runs->restartSession();
    setStatus(withNewSettings ? tr("Session restarted with the new settings: variables cleared")
                              : tr("Session restarted: variables cleared"));
    m_tabs->current()->errorLine().clear();
    showSandbox();
}

// Settings that need a fresh session (a new E2B key) while this one holds
// variables: the analyst decides when.
void MainWindow::askAboutFreshSession()
{
    Confirmation::Question question;
    question.id = QStringLiteral("fresh-session");
    question.title = tr("Start a fresh session for the new settings?");
    question.text = m_runs->pendingSandbox() != m_runs->sandbox()
        ? tr("The new settings change where code runs. They need a fresh session, which clears the variables of "
             "this one.")
        : tr("The new sandbox settings need a fresh session, which clears the variables of this one.");
    question.details = tr("Later: this session goes on as it is, and the new settings apply when you restart it "
                          "(Run > Restart session).");
    question.yesText = tr("&Restart now");
    question.noText = tr("&Later");
    Confirmation::ask(this, question, [this](bool yes) {
        if (yes)
            m_runs->applyFreshSession();
        else
            setStatus(tr("The new settings apply when you restart the session"));
        showSandbox();
    });
}

void MainWindow::setStatus(const QString &text)
{
    m_status->setText(text);
}

QString MainWindow::statusText() const
{
    return m_status->text();
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

} // namespace safecell
