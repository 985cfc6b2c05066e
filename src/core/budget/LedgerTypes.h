#pragma once

#include "BudgetScope.h"
#include "CostModel.h"
#include "Money.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <variant>

namespace safecell {

struct LedgerError {
    QString message;
};

// "Nothing to return" for Expected<Done, LedgerError>.
using Done = std::monostate;

// One settled paid step.
struct LedgerEntry {
    qint64 id = 0;
    QString idempotencyKey;
    QString runId;
    QString step;
    BudgetScopes scopes;
    Charge charge;
    Money reserved; // what the step had reserved (0 without a reservation)
    QDateTime time; // UTC
    // Set on a charge on lapse: the id of the hold that lapsed unsettled and
    // was charged in full (its cost is what of it no late settle has
    // replaced since). Empty on every settled step.
    QString lapsedHold;
    bool chargedOnLapse() const { return !lapsedHold.isEmpty(); }
};

// Money held for a paid step until it settles or expires.
struct Reservation {
    QString id;
    QString idempotencyKey; // the key its settled entry gets
    QString runId;
    QString step;
    BudgetScopes scopes;
    Money amount;
    QDateTime created; // UTC
    QDateTime expires; // UTC
    // What it is charged as should it lapse unsettled.
    ChargeKind kind = ChargeKind::Llm;
    QString resource;
};

} // namespace safecell
