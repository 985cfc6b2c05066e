#pragma once

#include "BudgetScope.h"
#include "BudgetState.h"
#include "Money.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace safecell {

// One scope's figures in a snapshot.
struct ScopeSnapshot {
    ScopeLevel level = ScopeLevel::Org;
    QString key;
    Money spent; // settled in the scope's period
    // Of `spent`, what was charged for holds that lapsed unsettled (a
    // SafeCell that ended mid-step): what the provider may have billed.
    Money chargedOnLapse;
    Money reserved;                 // held by live reservations
    std::optional<Money> limit;     // nullopt: no limit
    std::optional<Money> remaining; // cap - spent - reserved, never negative
    BudgetState state = BudgetState::Active;
    double utilisation = 0; // (spent + reserved) / limit; 0 without a limit
    // A settle above its reservation this period: the scope is Stopped.
    bool breach = false;
    // When the holds lapse unless settled first: a run in progress settles
    // its hold when it ends; a crashed process's hold lapses at its expiry.
    // Invalid when nothing is held.
    QDateTime firstHoldLapses; // UTC
    QDateTime lastHoldLapses;  // UTC: from then on nothing of today's holds counts
};

// Where the org and user figures came from when a team ledger is set.
struct TeamSnapshotSource {
    QString server;         // TeamServer::describe(); empty without a team
    QDateTime readAt;       // UTC: the figures are the server's as of then
    QDateTime staleSince;   // UTC: the server has not answered since; invalid while it does
    QString problem;        // why it cannot be read
    qint64 queuedCalls = 0; // settles and releases the server has not heard yet
    bool isSet() const { return !server.isEmpty() || !problem.isEmpty(); }
};

// The budget as the gauge, `safecell budget` and `GET /api/code` show it.
// The headline figures are the deciding scope's: the one in the worst
// state (ties: the highest utilisation; no limits at all: the org scope).
struct BudgetSnapshot {
    Money spent;
    Money chargedOnLapse; // of `spent` (see ScopeSnapshot)
    Money reserved;
    std::optional<Money> remaining;
    std::optional<Money> limit;
    BudgetState state = BudgetState::Active;
    std::optional<ScopeLevel> decidingScope;
    QDateTime periodStart; // UTC
    QDateTime periodEnd;   // UTC, exclusive
    QList<ScopeSnapshot> scopes;
    // The deciding scope's holds: held until (at the latest) this time. Invalid: nothing held.
    QDateTime heldUntil; // UTC
    // The first time any scope's figures drop because a hold lapses.
    QDateTime nextHoldLapse; // UTC
    TeamSnapshotSource team;

    // The recipe's fields (`spent`, `remaining`, `state`, `limit`, dollars;
    // `remaining` and `limit` are null without a limit) plus `reserved`,
    // `chargedOnLapse` (dollars of `spent`), `periodStart`, `periodEnd`,
    // `decidingScope` and `scopes` (each with `breach` when a settle above
    // its reservation stopped it, and its own `chargedOnLapse`), and `team`
    // when a team ledger is set (server, readAt, staleSince, problem, queued).
    QJsonObject toJson() const;

    const ScopeSnapshot *scope(ScopeLevel level) const;
    // Sets the headline figures and the hold times from `scopes`.
    void decide();
    double utilisationOf(ScopeLevel level) const;
};

} // namespace safecell
