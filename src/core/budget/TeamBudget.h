#pragma once

#include "BudgetSnapshot.h"
#include "LedgerTypes.h"
#include "SpendLedger.h"
#include "TeamLedger.h"
#include "TeamServer.h"

#include "common/Clock.h"
#include "common/Expected.h"

#include <QDateTime>

#include <memory>
#include <optional>

namespace safecell {

// Why the team's half of a hold could not be taken.
struct TeamRefused {
    enum class Kind { OverLimit, Unreachable, Failed };
    Kind kind = Kind::Failed;
    ScopeLevel scope = ScopeLevel::Org; // OverLimit: the scope that refused
    QString scopeKey;
    Money remaining;
    QString message; // names the server (never a password) and what failed
};

// The team's figures as last read from the server, and since when they
// could not be read again.
struct TeamFigures {
    std::optional<TeamStatus> status; // nullopt: never read
    QDateTime readAt;                 // UTC, of `status`
    QDateTime unreachableSince;       // UTC; invalid while the server answers
    QString problem;                  // why it could not be read
    qint64 queuedCalls = 0;           // settles and releases not delivered yet
};

// The team ledger's half of the budget (issue 21): when a team server is
// set, the org and user scopes live there and every paid step's hold is
// taken on the server as well as in the local ledger (which keeps the
// session and task scopes, the run history and the dashboard's figures).
// A hold the server refuses, or cannot be asked for, is never taken: paid
// work fails closed. A settle or release the server cannot be told is
// queued in the local ledger's outbox (crash-safe, once per key) and
// delivered, in order, by the next call that reaches the server; until
// then the server counts the hold, and charges it in full should it lapse
// first, so a dropped connection never lets spend go uncounted. A late
// settle lowers that charge to the actual cost.
//
// Used on the local ledger's thread; opens its PostgreSQL connection there
// on first use and again after a failure.
class TeamBudget {
public:
    TeamBudget(SpendLedger &ledger, TeamServer server, const Clock &clock = SystemClock::instance());
    ~TeamBudget();
    TeamBudget(const TeamBudget &) = delete;
    TeamBudget &operator=(const TeamBudget &) = delete;

    const TeamServer &server() const { return m_server; }

    // Holds hold.amount for hold's run and step until its expiry, under the
    // key hold.id (unique to this desktop's hold), and links it to hold.id.
    Expected<Done, TeamRefused> reserve(const Reservation &hold);
    // Re-sizes the linked server hold (see BudgetController::adjust).
    Expected<Done, TeamRefused> adjust(const Reservation &hold);
    // What the server is to be told of a hold, queued in the local ledger's
    // outbox. Called inside the local write transaction that records the
    // step, so the step and its call are both kept or neither is (a crash
    // between them would have left the server to charge the hold in full);
    // deliverQueued() sends them once that transaction has committed.
    Expected<Done, LedgerError> queueSettle(const Reservation &hold, Money cost);
    Expected<Done, LedgerError> queueSettlePart(const Reservation &hold, const QString &idempotencyKey, Money cost);
    Expected<Done, LedgerError> queueRelease(const Reservation &hold);
    // Delivers the outbox now, unless the server was found away moments ago
    // (a run's settles do not each wait for a connection meanwhile).
    void deliverQueued();

    // Keeps the run in the team's audit log if, and only if, its admin has
    // turned the log on: nothing of it is sent otherwise. Best effort: a
    // server that cannot be reached now does not get it later.
    void audit(const TeamAuditRun &run);

    // Delivers queued calls; how many are left.
    qint64 flushOutbox();
    // Reads the server's figures (and flushes the outbox); the last ones
    // read, with since when they are stale, when it cannot.
    TeamFigures figures();

private:
    TeamLedger *ledger(QString &problem);
    // What a reserve's or adjust's answer refuses, noting whether the
    // server answered; nullopt when it granted.
    std::optional<TeamRefused> refusalOf(const Expected<TeamReservation, TeamError> &answer);
    // reserve() under the server key `key`.
    Expected<Done, TeamRefused> reserveKeyed(const Reservation &hold, const QString &key);
    void noteUnreachable(const QString &problem);
    void noteReached();
    Expected<Done, LedgerError> queue(const QString &action, const Reservation &hold, const QString &key, Money cost);
    // The server hold linked to `hold`; none when it was taken before the
    // team was set or on another server; an error when the ledger cannot say.
    Expected<std::optional<SpendLedger::TeamHoldLink>, QString> linkOf(const Reservation &hold);
    // Holds `hold` on the server anew, in place of `lapsedHold`'s charge on
    // lapse when it lapsed there.
    Expected<Done, TeamRefused> holdAgain(const Reservation &hold, const std::optional<QString> &lapsedHold);
    // Runs one queued call; false when the server could not be reached.
    bool deliver(const SpendLedger::TeamCall &call);

    SpendLedger &m_local;
    TeamServer m_server;
    QString m_serverName;
    const Clock &m_clock;
    std::unique_ptr<TeamLedger> m_team;
    TeamFigures m_figures;
    QDateTime m_lastAttempt; // UTC, of the last call that found the server away
};

// Puts the team server's org and user figures in `snap` (read with no
// local limit on them), judged by the team's thresholds (the server's;
// `desktopThresholds` only for a server that has none), and says how fresh
// they are. Figures never read leave those scopes Stopped: paid work
// cannot be checked against them.
void applyTeamFigures(BudgetSnapshot &snap, const TeamFigures &figures, const TeamServer &server,
                      const BudgetThresholds &desktopThresholds);

} // namespace safecell
