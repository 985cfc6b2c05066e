#pragma once

#include <QObject>

#include <functional>

class QWidget;

namespace safecell {

class EditorTabs;
class RunController;
class RunPresenter;
class SandboxLabel;
class StatusLine;

// Run > Restart session, and settings that need a fresh session (a new E2B
// key): a session that holds variables is only dropped once the analyst
// agrees, since they would be lost; the status bar and the sandbox label
// say what happened.
class SessionRestart : public QObject {
    Q_OBJECT
public:
    SessionRestart(RunController &runs, const RunPresenter &presenter, EditorTabs &tabs, StatusLine &status,
                   SandboxLabel &sandbox, QWidget *window);

    // Asked before a fresh session ends this one's /work (a restart only
    // restarts the kernel, which keeps it): false keeps the session.
    void setWorkFolderGuard(std::function<bool()> mayEnd) { m_workFolderMayEnd = std::move(mayEnd); }

public Q_SLOTS:
    // A fresh sandbox session: the kernel and its variables are dropped,
    // after asking when the session holds any.
    void restart();

private:
    void renew();
    void askAboutFreshSession();

    RunController &m_runs;
    const RunPresenter &m_presenter;
    EditorTabs &m_tabs;
    StatusLine &m_status;
    SandboxLabel &m_sandbox;
    QWidget *m_window;
    std::function<bool()> m_workFolderMayEnd;
};

} // namespace safecell
