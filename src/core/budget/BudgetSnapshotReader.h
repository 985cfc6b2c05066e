#pragma once

#include "BudgetPeriod.h"
#include "BudgetPolicy.h"
#include "BudgetSnapshot.h"
#include "LedgerTypes.h"

#include "common/Expected.h"

namespace safecell {

class SpendLedger;

// Reads a budget snapshot from a ledger in one read transaction: settled
// spend, live holds and breaches of each scope, judged by `policy`. Writes
// nothing, so it works on a read-only connection; holds lapsed at nowMs that
// nobody has charged yet are counted as the charge on lapse they will become
// (a writer charges them in full, dated at their expiry).
class BudgetSnapshotReader {
public:
    BudgetSnapshotReader(SpendLedger &ledger, const BudgetPolicy &policy)
        : m_ledger(ledger)
        , m_policy(policy)
    {
    }

    Expected<BudgetSnapshot, LedgerError> read(const BudgetScopes &scopes, const BudgetPeriod &period, qint64 nowMs);

private:
    Expected<ScopeSnapshot, LedgerError> readScope(ScopeLevel level, const QString &key, const BudgetPeriod &period,
                                                   qint64 nowMs);

    SpendLedger &m_ledger;
    const BudgetPolicy &m_policy;
};

} // namespace safecell
