#pragma once

#include "budget/BudgetController.h"
#include "budget/BudgetSnapshot.h"
#include "budget/BudgetState.h"

#include "common/Clock.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace safecell {

class BudgetWatcherThread;
class Settings;

// The window's side of the budget: passes on the snapshots of the local
// user's scopes that each run reports and that a BudgetWatcher (its own
// thread; the GUI thread never touches SQLite) reads when any process
// spends, and the ledger's threshold alerts the watcher finds. When money
// is held, it asks again as the first hold lapses, so a crashed process's
// hold stops counting on time even when nothing else happens.
class BudgetMonitor : public QObject {
    Q_OBJECT
public:
    // ledgerPath empty: the default ledger (SAFECELL_DATA_DIR aware).
    explicit BudgetMonitor(Settings &settings, QString ledgerPath = {}, QObject *parent = nullptr,
                           const Clock &clock = SystemClock::instance());
    ~BudgetMonitor() override;

    // When the next refresh for a lapsing hold is due; nullopt: none is.
    std::optional<qint64> msUntilLapseRefresh() const;

    // The policy the gauge reads with: the settings', with the keychain's
    // team password.
    BudgetPolicy policy() const;

public Q_SLOTS:
    // Asks for a snapshot; snapshotChanged() or unavailable() answers.
    void refresh();
    // The team server's password from the keychain, for reading the team's
    // figures (a password in the URL or PGPASSWORD comes first).
    void setTeamPassword(const QString &password);
    // The snapshot a run reported as it ended: shown at once, no read.
    void showRunSnapshot(const safecell::BudgetSnapshot &snapshot);

Q_SIGNALS:
    void snapshotChanged(const safecell::BudgetSnapshot &snapshot);
    void unavailable(const QString &reason);
    // A threshold was crossed (by this window's run or another process's),
    // as the ledger recorded it: once per scope, period and state.
    void alertFired(const safecell::BudgetAlert &alert);

private:
    void onSnapshot(const BudgetSnapshot &snapshot);
    void scheduleLapseRefresh(const BudgetSnapshot &snapshot);

    Settings &m_settings;
    QString m_teamPassword; // never logged
    const Clock &m_clock;
    std::unique_ptr<BudgetWatcherThread> m_watcher;
    QTimer m_lapseTimer;
};

} // namespace safecell
