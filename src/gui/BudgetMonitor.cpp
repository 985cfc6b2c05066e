#include "BudgetMonitor.h"

#include "budget/LedgerLocation.h"
#include "settings/Settings.h"

#include <limits>

namespace safecell {

namespace {
// Read a moment after the hold's expiry, never before it.
constexpr qint64 kLapseMarginMs = 500;
}

BudgetMonitor::BudgetMonitor(Settings &settings, QString ledgerPath, QObject *parent, const Clock &clock)
    : QObject(parent)
    , m_settings(settings)
    , m_path(std::move(ledgerPath))
    , m_clock(clock)
{
    m_lapseTimer.setSingleShot(true);
    connect(&m_lapseTimer, &QTimer::timeout, this, &BudgetMonitor::refresh);
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
    m_controller = std::make_unique<BudgetController>(*m_ledger, BudgetPolicy::fromSettings(m_settings), m_clock);
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
    scheduleLapseRefresh(*snapshot);
    Q_EMIT snapshotChanged(*snapshot);
    if (m_lastState && snapshot->state > *m_lastState)
        Q_EMIT thresholdCrossed(snapshot->state, *snapshot);
    m_lastState = snapshot->state;
}

void BudgetMonitor::scheduleLapseRefresh(const BudgetSnapshot &snapshot)
{
    m_lapseTimer.stop();
    if (!snapshot.nextHoldLapse.isValid())
        return;
    const qint64 ms = m_clock.nowUtc().msecsTo(snapshot.nextHoldLapse) + kLapseMarginMs;
    m_lapseTimer.start(int(std::clamp<qint64>(ms, 0, std::numeric_limits<int>::max())));
}

std::optional<qint64> BudgetMonitor::msUntilLapseRefresh() const
{
    if (!m_lapseTimer.isActive())
        return std::nullopt;
    return m_lapseTimer.remainingTime();
}

} // namespace safecell
