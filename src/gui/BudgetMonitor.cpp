#include "BudgetMonitor.h"

#include "budget/LedgerLocation.h"
#include "settings/Settings.h"

namespace safecell {

BudgetMonitor::BudgetMonitor(Settings &settings, QString ledgerPath, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_path(std::move(ledgerPath))
{
}

BudgetMonitor::~BudgetMonitor() = default;

bool BudgetMonitor::ensureOpen()
{
    if (m_ledger)
        return true;
    auto ledger = SpendLedger::open(m_path.isEmpty() ? defaultLedgerPath() : m_path);
    if (!ledger) {
        Q_EMIT unavailable(tr("The spend ledger cannot be read: %1").arg(ledger.error().message));
        return false;
    }
    m_ledger = std::move(ledger).value();
    m_controller = std::make_unique<BudgetController>(*m_ledger, BudgetPolicy::fromSettings(m_settings));
    return true;
}

void BudgetMonitor::refresh()
{
    if (!ensureOpen())
        return;
    m_controller->setPolicy(BudgetPolicy::fromSettings(m_settings)); // limits may have changed in Settings
    const auto snapshot = m_controller->snapshot(BudgetScopes::forLocalUser());
    if (!snapshot) {
        Q_EMIT unavailable(tr("The budget cannot be read: %1").arg(snapshot.error().message));
        return;
    }
    Q_EMIT snapshotChanged(*snapshot);
    if (m_lastState && snapshot->state > *m_lastState)
        Q_EMIT thresholdCrossed(snapshot->state, *snapshot);
    m_lastState = snapshot->state;
}

} // namespace safecell
