#include "BudgetMonitor.h"

#include "budget/BudgetPolicy.h"
#include "budget/BudgetWatcher.h"
#include "settings/Settings.h"

#include <limits>

namespace safecell {

namespace {
// Read a moment after the hold's expiry, never before it.
constexpr qint64 kLapseMarginMs = 500;
} // namespace

BudgetMonitor::BudgetMonitor(Settings &settings, QString ledgerPath, QObject *parent, const Clock &clock)
    : QObject(parent)
    , m_settings(settings)
    , m_clock(clock)
    , m_watcher(std::make_unique<BudgetWatcherThread>(std::move(ledgerPath), BudgetPolicy::fromSettings(settings),
                                                      nullptr, clock))
{
    m_lapseTimer.setSingleShot(true);
    connect(&m_lapseTimer, &QTimer::timeout, this, &BudgetMonitor::refresh);
    connect(m_watcher->watcher(), &BudgetWatcher::snapshotRead, this, &BudgetMonitor::onSnapshot);
    connect(m_watcher->watcher(), &BudgetWatcher::unavailable, this, &BudgetMonitor::unavailable);
    connect(m_watcher->watcher(), &BudgetWatcher::alertFired, this, &BudgetMonitor::alertFired);
}

BudgetMonitor::~BudgetMonitor() = default;

void BudgetMonitor::refresh()
{
    // The settings live on this thread: the limits go with the request.
    m_watcher->poke(policy());
}

BudgetPolicy BudgetMonitor::policy() const
{
    BudgetPolicy policy = BudgetPolicy::fromSettings(m_settings);
    if (policy.team && policy.team->password.isEmpty())
        policy.team->password = m_teamPassword;
    return policy;
}

void BudgetMonitor::setTeamPassword(const QString &password)
{
    if (password == m_teamPassword)
        return;
    m_teamPassword = password;
    refresh();
}

void BudgetMonitor::showRunSnapshot(const BudgetSnapshot &snapshot)
{
    onSnapshot(snapshot);
}

void BudgetMonitor::onSnapshot(const BudgetSnapshot &snapshot)
{
    scheduleLapseRefresh(snapshot);
    Q_EMIT snapshotChanged(snapshot);
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
