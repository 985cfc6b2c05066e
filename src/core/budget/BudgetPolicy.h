#pragma once

#include "BudgetScope.h"
#include "BudgetState.h"
#include "Money.h"
#include "TeamServer.h"

#include <array>
#include <optional>

namespace safecell {

class Settings;

// What the controller enforces: an optional limit per scope level, the
// state thresholds, where a monthly period starts and how long a
// reservation holds money before it lapses.
struct BudgetPolicy {
    std::array<std::optional<Money>, 4> limits; // by ScopeLevel; nullopt = no limit
    BudgetThresholds thresholds;
    int periodFirstDay = 1;
    // Longer than any paid step (a Cohere call's deadline is 5 minutes), so
    // a live run keeps its hold and only a crashed process's holds lapse;
    // a lapsed hold is charged in full. Holds that cover longer (an E2B
    // sandbox's lifetime) give their own, longer, time.
    qint64 reservationTtlMs = 30 * 60 * 1000;

    // A team's shared ledger (issue 21): the org and user scopes are the
    // server's, with the limits set there; the limits above for them are
    // not used. `teamProblem` says why a team server that was set cannot be
    // used (a bad URL): paid steps then fail closed rather than spend
    // outside the team's limits.
    std::optional<TeamServer> team;
    QString teamProblem;
    bool hasTeam() const { return team || !teamProblem.isEmpty(); }
    // What the local ledger checks: without the org and user limits when
    // the team's server checks them.
    BudgetPolicy localPart() const;

    std::optional<Money> limit(ScopeLevel level) const { return limits[size_t(level)]; }
    BudgetPolicy &setLimit(ScopeLevel level, std::optional<Money> limit)
    {
        limits[size_t(level)] = limit;
        return *this;
    }

    // The org's monthly limit, the user, session and task limits (empty: no
    // limit), the thresholds and the period's first day from the user's
    // settings, and the team server (Settings > Team, else
    // $SAFECELL_TEAM_URL). A negative or unreadable limit counts as $0 (fail closed: paid steps
    // stop, local runs go on); invalid thresholds fall back to the defaults.
    static BudgetPolicy fromSettings(const Settings &settings);
};

} // namespace safecell
