#include "BudgetWatch.h"

#include "gui/BudgetGauge.h"
#include "gui/BudgetMonitor.h"
#include "gui/DesktopNotifier.h"

#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

namespace safecell {

BudgetWatch::BudgetWatch(Settings &settings, QToolBar *toolBar, QStatusBar *statusBar, QObject *parent)
    : QObject(parent)
{
    // Pushes the gauge to the toolbar's far end, away from the run's controls.
    auto *spacer = new QWidget(toolBar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolBar->addWidget(spacer);
    m_gauge = new BudgetGauge(toolBar);
    toolBar->addWidget(m_gauge);
    m_notifier = new DesktopNotifier(statusBar);
    m_monitor = new BudgetMonitor(settings, QString(), this);
    connect(m_monitor, &BudgetMonitor::snapshotChanged, m_gauge, &BudgetGauge::setSnapshot);
    connect(m_monitor, &BudgetMonitor::unavailable, m_gauge, &BudgetGauge::setUnavailable);
    connect(m_monitor, &BudgetMonitor::alertFired, this, &BudgetWatch::notifyCrossed);
    // After the window is up: opening the ledger must not delay the first paint.
    QTimer::singleShot(0, m_monitor, &BudgetMonitor::refresh);
}

void BudgetWatch::notifyCrossed(const BudgetAlert &alert)
{
    const QString figures = tr("%1 of %2 used").arg(alert.used.toString(), alert.limit.toString());
    switch (alert.state) {
    case BudgetState::Warned:
        m_notifier->notify(tr("Budget warning"), figures);
        break;
    case BudgetState::Degraded:
        m_notifier->notify(tr("Budget degraded"), tr("%1; cheaper models only from now on").arg(figures));
        break;
    case BudgetState::Stopped:
        m_notifier->notify(tr("Budget exhausted"), tr("%1; paid steps are stopped").arg(figures));
        break;
    case BudgetState::Active:
        break;
    }
}

} // namespace safecell
