#include "BudgetWatcher.h"

#include "BudgetRange.h"
#include "BudgetSnapshotReader.h"
#include "LedgerLocation.h"

#include "common/Logging.h"
#include "common/RetiredThreads.h"

#include <QThread>

namespace safecell {

BudgetWatcher::BudgetWatcher(QString ledgerPath, BudgetPolicy policy, const Clock &clock)
    : m_path(std::move(ledgerPath))
    , m_policy(std::move(policy))
    , m_clock(clock)
    , m_poll(new QTimer(this))
{
    connect(m_poll, &QTimer::timeout, this, &BudgetWatcher::pollChanges);
}

BudgetWatcher::~BudgetWatcher() = default;

bool BudgetWatcher::ensureOpen()
{
    if (m_ledger)
        return true;
    auto ledger = SpendLedger::open(m_path.isEmpty() ? defaultLedgerPath() : m_path);
    if (!ledger) {
        Q_EMIT unavailable(tr("The spend ledger cannot be read: %1").arg(ledger.error().message));
        return false;
    }
    m_ledger = std::move(ledger).value();
    return true;
}

void BudgetWatcher::poke(const BudgetPolicy &policy)
{
    m_policy = policy;
    read();
}

void BudgetWatcher::syncTeam()
{
    if (!m_policy.team) {
        m_team.reset();
        return;
    }
    if (m_team && m_team->server() == *m_policy.team)
        return;
    m_team = std::make_unique<TeamBudget>(*m_ledger, *m_policy.team, m_clock);
}

void BudgetWatcher::setPolling(bool on)
{
    if (on)
        m_poll->start(kPollMs);
    else
        m_poll->stop();
}

void BudgetWatcher::read()
{
    if (!ensureOpen())
        return;
    // Before the read: a commit made while reading is seen by the next poll.
    if (auto version = m_ledger->dataVersion())
        m_dataVersion = *version;
    const QDateTime now = m_clock.nowUtc();
    const BudgetPeriod period = BudgetPeriod::containing(now, m_clock.timeZone(), m_policy.periodFirstDay);
    const BudgetPolicy local = m_policy.localPart();
    // One read transaction: an alert is reported with the figures that crossed it.
    BudgetSnapshot snapshot;
    QList<BudgetAlert> alerts;
    const auto done = m_ledger->readTransaction([&]() -> Expected<Done, LedgerError> {
        auto read = BudgetSnapshotReader(*m_ledger, local)
                        .read(BudgetScopes::forLocalUser(), period, now.toMSecsSinceEpoch());
        if (!read)
            return unexpected(read.error());
        snapshot = *read;
        auto fresh = newAlerts(snapshot, period);
        if (!fresh)
            return unexpected(fresh.error());
        alerts = *fresh;
        return Done{};
    });
    if (!done) {
        Q_EMIT unavailable(tr("The budget cannot be read: %1").arg(done.error().message));
        return;
    }
    // The server's figures after the local read, outside its transaction:
    // a network call never holds the ledger's snapshot open.
    syncTeam();
    if (m_team) {
        const TeamFigures figures = m_team->figures();
        applyTeamFigures(snapshot, figures, m_team->server(), m_policy.thresholds);
        alerts << teamAlerts(snapshot, figures);
    } else if (!m_policy.teamProblem.isEmpty()) {
        snapshot.team.problem = m_policy.teamProblem;
    }
    Q_EMIT snapshotRead(snapshot);
    for (const BudgetAlert &alert : std::as_const(alerts))
        Q_EMIT alertFired(alert);
}

QList<BudgetAlert> BudgetWatcher::teamAlerts(const BudgetSnapshot &snapshot, const TeamFigures &figures)
{
    QList<BudgetAlert> fresh;
    if (!snapshot.team.readAt.isValid() || snapshot.team.staleSince.isValid() || !figures.status)
        return fresh; // only figures the server just gave
    // The team's figures are the server's period's (the UTC month on its
    // clock), whatever this desktop's clock or budget period says.
    const QDateTime period = figures.status->periodStart;
    for (const ScopeSnapshot &scope : snapshot.scopes) {
        if ((scope.level != ScopeLevel::Org && scope.level != ScopeLevel::User) || !scope.limit)
            continue;
        const QString seen =
            QStringLiteral("%1/%2/%3").arg(int(scope.level)).arg(scope.key, period.toString(Qt::ISODate));
        const BudgetState before = m_teamStates.value(seen, BudgetState::Active);
        m_teamStates.insert(seen, std::max(before, scope.state));
        if (m_teamPrimed && scope.state > before)
            fresh << BudgetAlert{scope.level, scope.key, scope.state, period, scope.spent + scope.reserved,
                                 *scope.limit};
    }
    m_teamPrimed = true;
    return fresh;
}

Expected<QList<BudgetAlert>, LedgerError> BudgetWatcher::newAlerts(const BudgetSnapshot &snapshot,
                                                                   const BudgetPeriod &period)
{
    QList<BudgetAlert> fresh;
    for (const ScopeSnapshot &scope : snapshot.scopes) {
        if (!scope.limit)
            continue;
        const qint64 periodKey = budgetRangeFor(scope.level, period).alertKeyMs;
        auto states = m_ledger->firedAlerts(scope.level, scope.key, periodKey);
        if (!states)
            return unexpected(states.error());
        std::optional<BudgetState> worst;
        for (const QString &name : std::as_const(*states)) {
            const QString seen =
                QStringLiteral("%1/%2/%3/%4").arg(int(scope.level)).arg(scope.key).arg(periodKey).arg(name);
            if (m_seenAlerts.contains(seen))
                continue;
            m_seenAlerts.insert(seen);
            const auto state = budgetStateFromName(name);
            if (state && (!worst || *state > *worst))
                worst = state;
        }
        if (worst && m_alertsPrimed) {
            fresh << BudgetAlert{scope.level,
                                 scope.key,
                                 *worst,
                                 isPeriodic(scope.level) ? period.start : QDateTime(),
                                 scope.spent + scope.reserved,
                                 *scope.limit};
        }
    }
    m_alertsPrimed = true;
    return fresh;
}

void BudgetWatcher::pollChanges()
{
    if (!m_ledger)
        return; // nothing read yet: the first poke opens it
    auto version = m_ledger->dataVersion();
    if (!version) {
        qCDebug(lcBudget).noquote() << "watching the ledger:" << version.error().message;
        return;
    }
    // Other desktops' spend is on the team's server: asked every poll.
    if (m_dataVersion && *version == *m_dataVersion && !m_policy.team)
        return;
    read();
}

BudgetWatcherThread::BudgetWatcherThread(QString ledgerPath, BudgetPolicy policy, QObject *parent, const Clock &clock)
    : QObject(parent)
    , m_thread(new QThread)
    , m_watcher(new BudgetWatcher(std::move(ledgerPath), std::move(policy), clock))
{
    qRegisterMetaType<BudgetSnapshot>();
    qRegisterMetaType<BudgetAlert>();
    m_thread->setObjectName(QStringLiteral("safecell-budget"));
    m_watcher->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_watcher, &QObject::deleteLater);
    m_thread->start();
    QMetaObject::invokeMethod(
        m_watcher, [watcher = m_watcher] { watcher->setPolling(true); }, Qt::QueuedConnection);
}

BudgetWatcherThread::~BudgetWatcherThread()
{
    QObject::disconnect(m_watcher, nullptr, nullptr, nullptr);
    m_thread->quit(); // after the read in progress, if any; nobody waits for it
    RetiredThreads::adopt(m_thread);
}

void BudgetWatcherThread::poke(const BudgetPolicy &policy)
{
    QMetaObject::invokeMethod(
        m_watcher, [watcher = m_watcher, policy] { watcher->poke(policy); }, Qt::QueuedConnection);
}

} // namespace safecell
