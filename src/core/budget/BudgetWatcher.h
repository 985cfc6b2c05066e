#pragma once

#include "BudgetController.h"
#include "BudgetPolicy.h"
#include "BudgetSnapshot.h"
#include "SpendLedger.h"
#include "TeamBudget.h"

#include "common/Clock.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>

namespace safecell {

// Watches the shared spend ledger for the gauge, on its own thread (see
// BudgetWatcherThread), so the GUI thread never touches SQLite. It reads a
// snapshot of the local user's scopes when poked (a settings save, a hold
// lapsing) and whenever another connection commits, whichever process spent
// the money (PRAGMA data_version, polled about once a second). It only
// reads: a hold that lapsed unsettled counts as the charge it will become
// (BudgetSnapshotReader), and is charged by the next process that spends.
// The threshold alerts it reports are the ledger's durable ones, recorded
// by whichever process crossed the threshold: each is reported once, and
// those that had fired before the watcher's first read are not reported.
//
// With a team ledger in the policy, the org and user figures are the team
// server's (TeamBudget::figures), read at every poll so other desktops'
// spend shows within kPollMs; the poll also delivers settles the server
// missed while it could not be reached.
class BudgetWatcher : public QObject {
    Q_OBJECT
public:
    static constexpr int kPollMs = 1000;

    // ledgerPath empty: the default ledger (SAFECELL_DATA_DIR aware).
    explicit BudgetWatcher(QString ledgerPath, BudgetPolicy policy, const Clock &clock = SystemClock::instance());
    ~BudgetWatcher() override;

public Q_SLOTS:
    // Reads now, under `policy` (the limits may have changed in Settings).
    void poke(const safecell::BudgetPolicy &policy);
    void setPolling(bool on);

Q_SIGNALS:
    void snapshotRead(const safecell::BudgetSnapshot &snapshot);
    // A threshold alert newly in the ledger: the worst new one of its scope,
    // with the scope's figures from the snapshot read with it.
    void alertFired(const safecell::BudgetAlert &alert);
    void unavailable(const QString &reason);

private:
    bool ensureOpen();
    void read();
    void pollChanges();
    // Alerts of the snapshot's scopes not seen before; none the first time.
    Expected<QList<BudgetAlert>, LedgerError> newAlerts(const BudgetSnapshot &snapshot, const BudgetPeriod &period);

    // The team's half for m_policy's server; re-made when it changes.
    void syncTeam();
    // A team scope's state worse than at the last fresh read: the team's
    // thresholds are the server's figures, so each desktop notices them
    // itself, once per process and period; none the first time.
    QList<BudgetAlert> teamAlerts(const BudgetSnapshot &snapshot, const TeamFigures &figures);

    QString m_path;
    BudgetPolicy m_policy;
    const Clock &m_clock;
    std::unique_ptr<SpendLedger> m_ledger;
    std::unique_ptr<TeamBudget> m_team; // uses m_ledger: declared after it
    std::optional<qint64> m_dataVersion;
    QSet<QString> m_seenAlerts; // "level/key/period/state"
    bool m_alertsPrimed = false;
    QHash<QString, BudgetState> m_teamStates; // "level/key/period start" -> state
    bool m_teamPrimed = false;
    QTimer *m_poll;
};

// Hosts a BudgetWatcher on its own QThread, as RunThread hosts a RunWorker:
// talk to it through queued calls and its signals. Retiring it never waits.
class BudgetWatcherThread : public QObject {
    Q_OBJECT
public:
    explicit BudgetWatcherThread(QString ledgerPath, BudgetPolicy policy, QObject *parent = nullptr,
                                 const Clock &clock = SystemClock::instance());
    ~BudgetWatcherThread() override;

    // For connecting to its signals only: it lives on another thread.
    BudgetWatcher *watcher() const { return m_watcher; }
    void poke(const BudgetPolicy &policy);

private:
    QThread *m_thread;
    BudgetWatcher *m_watcher; // deleted on its own thread when the thread finishes
};

} // namespace safecell
