#pragma once

#include "budget/BudgetController.h"

#include <QObject>

class QStatusBar;
class QToolBar;

namespace safecell {

class BudgetGauge;
class BudgetMonitor;
class DesktopNotifier;
class Settings;

// Spend against the budget where the analyst looks: a gauge at the run
// toolbar's right end, kept current by a BudgetMonitor over the ledger, and
// a desktop notice (the status bar's when there is no tray) each time spend
// crosses a threshold, since that changes what the next run may do.
class BudgetWatch : public QObject {
    Q_OBJECT
public:
    BudgetWatch(Settings &settings, QToolBar *toolBar, QStatusBar *statusBar, QObject *parent = nullptr);

    BudgetGauge *gauge() const { return m_gauge; }
    BudgetMonitor *monitor() const { return m_monitor; }
    DesktopNotifier *notifier() const { return m_notifier; }

private:
    void notifyCrossed(const BudgetAlert &alert);

    BudgetGauge *m_gauge;
    DesktopNotifier *m_notifier;
    BudgetMonitor *m_monitor;
};

} // namespace safecell
