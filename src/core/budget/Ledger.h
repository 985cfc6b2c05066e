#pragma once

#include "BudgetScope.h"
#include "BudgetState.h"
#include "CostModel.h"
#include "Money.h"

#include "common/Expected.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace safecell {

// The vocabulary of a ledger's answers. It is the team ledger's, where the
// interface was first needed; the desktop's SQLite ledger answers in it too.
struct TeamError {
    enum class Kind {
        Unreachable,    // no connection, or it dropped: retry later
        NotInitialised, // no team schema: `safecell team init`
        Denied,         // the role may not do this
        Invalid,        // a bad argument, said by the server
        Failed,         // anything else
    };
    Kind kind = Kind::Failed;
    QString message;
};

// A reservation against the team's org and user limits.
struct TeamHold {
    QString id;
    QDateTime expires; // UTC, on the server's clock
};
struct TeamRefusal {
    ScopeLevel level = ScopeLevel::Org;
    Money used;
    Money limit;
};
struct TeamReservation {
    std::optional<TeamHold> hold;       // granted (again, for a repeated key)
    std::optional<TeamRefusal> refusal; // over a limit
    bool alreadySettled = false;        // the key's step has settled
};

struct TeamHoldRequest {
    QString idempotencyKey;
    QString runId;
    QString step;
    ChargeKind kind = ChargeKind::Llm;
    QString resource;
    Money amount;
    int ttlSeconds = 300;
};

struct TeamSettlement {
    enum class Outcome { Settled, AlreadySettled, LapseLowered, UnknownHold };
    Outcome outcome = Outcome::UnknownHold;
    Money cost; // what stands in the ledger for it
};

// One scope's figures this period, as the server sees them.
struct TeamScopeStatus {
    ScopeLevel level = ScopeLevel::Org;
    QString key;
    Money used; // settled and held
    Money held;
    std::optional<Money> limit;
    // A settle above its hold (a breach) stopped it for the period.
    bool stopped = false;
};
struct TeamStatus {
    QList<TeamScopeStatus> scopes; // the org's, then the caller's
    QDateTime periodStart;
    QDateTime serverTime;
    // The admin's, which every desktop judges the team's scopes by;
    // nullopt from a server not yet at team schema version 6.
    std::optional<BudgetThresholds> thresholds;
};

// A threshold the org's or an analyst's scope reached this period, as the
// server recorded it (once, whichever desktop's settle reached it).
struct TeamAlertRecord {
    ScopeLevel level = ScopeLevel::Org;
    QString key;
    BudgetState state = BudgetState::Warned;
    Money used;
    Money limit;
    QDateTime firedAt; // UTC, on the server's clock
};

// A ledger that keeps the org's and one analyst's scopes and decides on
// them (issue 21): two implementations, LocalLedger on the desktop's SQLite
// file and TeamLedger on a team's PostgreSQL server, answer the same way,
// which tst_ledgercontract checks by running one set of cases on both:
// - reserve holds money against every limited scope, or refuses naming the
//   scope with the least left; it is idempotent by key (the same hold back,
//   or "already settled" once its step settled);
// - settle records the actual cost once per key and frees the hold; a cost
//   above what was held is recorded as it was and stops the scopes it
//   touched for the period (a breach of the budget's invariant);
// - a hold that lapses unsettled is charged in full, once, and a late
//   settle lowers that charge to the actual cost;
// - each threshold a limited scope reaches is recorded once per period.
// Used on the thread that made it.
class Ledger {
public:
    virtual ~Ledger() = default;

    // The analyst whose user scope this ledger's holds count in.
    virtual QString analyst() const = 0;

    virtual Expected<TeamReservation, TeamError> reserve(const TeamHoldRequest &request) = 0;
    virtual Expected<TeamSettlement, TeamError> settle(const QString &holdId, const QString &idempotencyKey,
                                                       Money cost) = 0;
    // False when the hold was not the caller's or is gone.
    virtual Expected<bool, TeamError> release(const QString &holdId) = 0;
    // Re-sizes one of the caller's live holds to `amount`, lapsing
    // `ttlSeconds` from now: growing is checked against the limits as a
    // reservation is; shrinking is never refused. No hold when it is gone.
    virtual Expected<TeamReservation, TeamError> adjust(const QString &holdId, Money amount, int ttlSeconds) = 0;
    // Settles part of a live hold as an entry of its own (once per key)
    // and lowers the hold by it.
    struct PartSettlement {
        TeamSettlement settled;
        Money stillHeld;
    };
    virtual Expected<PartSettlement, TeamError> settlePart(const QString &holdId, const QString &idempotencyKey,
                                                           Money cost) = 0;
    // Charges holds that lapsed unsettled; how many.
    virtual Expected<int, TeamError> chargeLapsed() = 0;
    // The org's and the analyst's figures this period.
    virtual Expected<TeamStatus, TeamError> status() = 0;
    // This period's alerts on the org and the analyst's scope, oldest first.
    virtual Expected<QList<TeamAlertRecord>, TeamError> alerts() = 0;

protected:
    Ledger() = default;
    Ledger(const Ledger &) = default;
    Ledger &operator=(const Ledger &) = default;
};

QString teamErrorKindName(TeamError::Kind kind);

} // namespace safecell
