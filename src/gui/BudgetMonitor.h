#pragma once

#include "budget/BudgetController.h"
#include "budget/SpendLedger.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <optional>

namespace safecell {

class Clock;
class Settings;

// Reads the budget for the gauge: a snapshot of the local user's scopes
// from the shared spend ledger (a fraction of a millisecond, so it runs on
// the GUI thread), and notices when the state has worsened since the last
// snapshot, whichever process spent the money. When money is held, it
// reads again as the first hold lapses, so a crashed process's hold stops
// counting on time even when nothing else happens.
class BudgetMonitor : public QObject {
    Q_OBJECT
public:
    // ledgerPath empty: the default ledger (SAFECELL_DATA_DIR aware).
    explicit BudgetMonitor(Settings &settings, QString ledgerPath = {}, QObject *parent = nullptr,
                           const Clock &clock = SystemClock::instance());
    ~BudgetMonitor() override;

    // When the next refresh for a lapsing hold is due; nullopt: none is.
    std::optional<qint64> msUntilLapseRefresh() const;

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void snapshotChanged(const safecell::BudgetSnapshot &snapshot);
    void unavailable(const QString &reason);
    // The state is worse than at the previous snapshot (Active -> Warned ...).
    void thresholdCrossed(safecell::BudgetState state, const safecell::BudgetSnapshot &snapshot);

private:
    bool ensureOpen();
    void scheduleLapseRefresh(const BudgetSnapshot &snapshot);

    Settings &m_settings;
    QString m_path;
    const Clock &m_clock;
    std::unique_ptr<SpendLedger> m_ledger;
    std::unique_ptr<BudgetController> m_controller;
    std::optional<BudgetState> m_lastState;
    QTimer m_lapseTimer;
};

} // namespace safecell
