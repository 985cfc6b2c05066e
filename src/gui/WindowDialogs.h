#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

class QAction;
class QWidget;

namespace safecell {

class AskPanel;
class BudgetMonitor;
class EditorTabs;
class HistoryDialog;
class KeyStore;
class LlmRequestView;
class RunController;
class Settings;
class SpendDashboard;
class TimeLimitControl;

// The dialogs the window opens, each window-modal without a nested event
// loop and deleted on close, and wired to what it changes: Settings to the
// runs, the budget, the time limit and Ask; the run history to a new tab;
// "What was sent" to the last request sent to Cohere, kept here for it.
class WindowDialogs : public QObject {
    Q_OBJECT
public:
    // What the dialogs change or show; all outlive this.
    struct Parts {
        Settings &settings;
        KeyStore &keys;
        RunController &runs;
        BudgetMonitor &budget;
        TimeLimitControl &timeLimit;
        AskPanel &ask;
        EditorTabs &tabs;
        QAction &whatWasSent; // enabled once there is a request to show
    };

    WindowDialogs(const Parts &parts, QWidget *window);

    // The last request body sent to Cohere, by a run or by Ask (empty: none),
    // and what sent it.
    void setLastLlmRequest(const QByteArray &body, const QString &context);
    QByteArray lastLlmRequest() const { return m_lastSent; }

public Q_SLOTS:
    void openSettings();
    SpendDashboard *openSpendDashboard();
    HistoryDialog *openHistory();
    LlmRequestView *showWhatWasSent();

Q_SIGNALS:
    // Settings were saved or the keys changed: a Cohere key may have come or gone.
    void keysMayHaveChanged();

private:
    Parts m_parts;
    QWidget *m_window;
    QByteArray m_lastSent;
    QString m_lastSentContext;
};

} // namespace safecell
