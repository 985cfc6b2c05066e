#pragma once

#include "LedgerTypes.h"

#include "common/Expected.h"

#include <QList>

namespace safecell {

class SpendLedger;

// A settle above what its reservation held: spend that nothing covered,
// so the budget's invariant did not hold for it. The entry records the true
// amount; this records that it broke the invariant.
struct Breach {
    QString idempotencyKey; // the entry's
    QString runId;
    QString step;
    BudgetScopes scopes;
    Money held;
    Money settled;
    QDateTime time; // UTC
};

// The ledger's breach records (schema version 4), kept on the ledger's own
// connection so that a breach is written in its settle's transaction. A
// breach stops every scope it touched for the rest of that scope's period.
class LedgerBreaches {
public:
    explicit LedgerBreaches(SpendLedger &ledger)
        : m_ledger(ledger)
    {
    }

    // Once per entry: recording the same entry's breach again changes nothing.
    Expected<Done, LedgerError> record(const Breach &breach);
    // Breaches of one scope recorded in [fromMs, toMs).
    Expected<qint64, LedgerError> count(ScopeLevel level, const QString &key, qint64 fromMs, qint64 toMs);
    // Oldest first.
    Expected<QList<Breach>, LedgerError> all();

private:
    SpendLedger &m_ledger;
};

} // namespace safecell
