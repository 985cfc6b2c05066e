#include "WindowDialogs.h"

#include "gui/AskPanel.h"
#include "gui/BudgetMonitor.h"
#include "gui/EditorTabs.h"
#include "gui/HistoryDialog.h"
#include "gui/LlmRequestView.h"
#include "gui/RunController.h"
#include "gui/SettingsDialog.h"
#include "gui/SpendDashboard.h"
#include "gui/TimeLimitControl.h"
#include "llm/LlmServices.h"

#include <QAction>
#include <QDateTime>

namespace safecell {

WindowDialogs::WindowDialogs(const Parts &parts, QWidget *window)
    : QObject(window)
    , m_parts(parts)
    , m_window(window)
{
}

void WindowDialogs::setLastLlmRequest(const QByteArray &body, const QString &context)
{
    m_lastSent = body;
    m_lastSentContext = context;
    m_parts.whatWasSent.setEnabled(true);
}

void WindowDialogs::openSettings()
{
    auto *dialog = new SettingsDialog(m_parts.settings, m_parts.keys, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    RunController *runs = &m_parts.runs;
    dialog->setInternetAllowed(runs->internetAllowed());
    // Before the reload below, which builds the session's config with it.
    connect(dialog, &SettingsDialog::saved, this,
            [runs, dialog] { runs->setInternetAllowed(dialog->internetAllowed()); });
    connect(dialog, &SettingsDialog::saved, &m_parts.budget, &BudgetMonitor::refresh);
    connect(dialog, &SettingsDialog::saved, &m_parts.timeLimit, &TimeLimitControl::reload); // the cap may have changed
    // New settings apply from the next run; a fresh session only when they need one.
    connect(dialog, &SettingsDialog::saved, runs, &RunController::reload);
    connect(dialog, &SettingsDialog::keysChanged, runs, &RunController::reload);
    connect(dialog, &SettingsDialog::keysChanged, this, &WindowDialogs::keysMayHaveChanged);
    connect(dialog, &SettingsDialog::saved, this, &WindowDialogs::keysMayHaveChanged);
    connect(dialog, &SettingsDialog::saved, &m_parts.ask,
            [this] { m_parts.ask.reconfigure(llmServicesFromSettings(m_parts.settings)); });
    dialog->open();
}

SpendDashboard *WindowDialogs::openSpendDashboard()
{
    auto *dashboard = new SpendDashboard(m_parts.settings, QString(), QDateTime(), m_window);
    if (const BudgetPolicy policy = m_parts.budget.policy(); policy.team)
        dashboard->showTeam(*policy.team);
    dashboard->setAttribute(Qt::WA_DeleteOnClose);
    dashboard->open();
    return dashboard;
}

HistoryDialog *WindowDialogs::openHistory()
{
    auto *history = new HistoryDialog(QString(), m_window);
    history->setAttribute(Qt::WA_DeleteOnClose);
    connect(history, &HistoryDialog::openRequested, this, [this](const QString &code, Language language) {
        m_parts.tabs.addTab(code, language);
        m_window->activateWindow();
    });
    history->open();
    return history;
}

LlmRequestView *WindowDialogs::showWhatWasSent()
{
    auto *view = new LlmRequestView(m_lastSent, m_lastSentContext, m_window);
    view->setAttribute(Qt::WA_DeleteOnClose);
    view->open();
    return view;
}

} // namespace safecell
