#include "SessionRestart.h"

#include "gui/Confirmation.h"
#include "gui/EditorErrorLine.h"
#include "gui/EditorTab.h"
#include "gui/EditorTabs.h"
#include "gui/RunController.h"
#include "gui/RunPresenter.h"
#include "gui/SandboxLabel.h"
#include "gui/StatusLine.h"

namespace safecell {

SessionRestart::SessionRestart(RunController &runs, const RunPresenter &presenter, EditorTabs &tabs, StatusLine &status,
                               SandboxLabel &sandbox, QWidget *window)
    : QObject(window)
    , m_runs(runs)
    , m_presenter(presenter)
    , m_tabs(tabs)
    , m_status(status)
    , m_sandbox(sandbox)
    , m_window(window)
{
    connect(&m_runs, &RunController::sessionRenewed, this, [this] {
        if (!m_presenter.isRunning()) // a run's own outcome must not be overwritten
            m_status.setText(tr("Settings applied: a fresh session"));
        m_sandbox.refresh();
    });
    connect(&m_runs, &RunController::freshSessionPending, this, &SessionRestart::askAboutFreshSession);
}

void SessionRestart::restart()
{
    if (!m_runs.sessionHoldsState()) {
        renew();
        return;
    }
    Confirmation::Question question;
    question.id = QStringLiteral("restart-session");
    question.title = tr("Restart the session?");
    question.text = tr("A fresh session clears every variable, DataFrame and scratch table your runs made.");
    question.details = tr("Your snippets and their results stay.");
    question.yesText = tr("&Restart the session");
    question.noText = tr("&Keep the session");
    Confirmation::ask(m_window, question, [this](bool yes) {
        if (yes)
            renew();
    });
}

void SessionRestart::renew()
{
    const bool withNewSettings = m_runs.hasPendingFreshSession();
    if (withNewSettings && m_workFolderMayEnd && !m_workFolderMayEnd()) {
        m_status.setText(tr("The session was kept, with its files"));
        return;
    }
    m_runs.restartSession();
    m_status.setText(withNewSettings ? tr("Session restarted with the new settings: variables cleared")
                                     : tr("Session restarted: variables cleared"));
    m_tabs.current()->errorLine().clear();
    m_sandbox.refresh();
}

// Settings that need a fresh session while this one holds variables: the
// analyst decides when.
void SessionRestart::askAboutFreshSession()
{
    Confirmation::Question question;
    question.id = QStringLiteral("fresh-session");
    question.title = tr("Start a fresh session for the new settings?");
    question.text =
        m_runs.pendingSandbox() != m_runs.sandbox()
            ? tr("The new settings change where code runs. They need a fresh session, which clears the variables of "
                 "this one.")
            : tr("The new sandbox settings need a fresh session, which clears the variables of this one.");
    question.details = tr("Later: this session goes on as it is, and the new settings apply when you restart it "
                          "(Run > Restart session).");
    question.yesText = tr("&Restart now");
    question.noText = tr("&Later");
    Confirmation::ask(m_window, question, [this](bool yes) {
        if (yes && (!m_workFolderMayEnd || m_workFolderMayEnd()))
            m_runs.applyFreshSession();
        else
            m_status.setText(tr("The new settings apply when you restart the session"));
        m_sandbox.refresh();
    });
}

} // namespace safecell
