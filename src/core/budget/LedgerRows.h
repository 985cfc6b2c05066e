#pragma once
// How SpendLedger's rows map to LedgerEntry and Reservation, shared by the
// SpendLedger*.cpp files that implement its queries.

#include "LedgerTypes.h"

#include <QSqlQuery>
#include <QVariantList>

namespace safecell::ledgerrows {

// The width of an aggregate slot: 15 minutes, the finest step of any current
// UTC offset, so local midnights fall on slot edges.
constexpr qint64 kSlotMs = 15 * 60 * 1000;

qint64 slotOf(qint64 ms);
qint64 slotCeil(qint64 ms);
const char *scopeColumn(ScopeLevel level);
// A null QString binds as SQL NULL; the ledger's text columns are NOT NULL
// and an absent key is stored as ''.
QString text(const QString &value);
QVariantList scopeValues(const BudgetScopes &scopes);

extern const QString kEntryColumns;
LedgerEntry entryFrom(const QSqlQuery &q);
extern const QString kReservationColumns;
Reservation reservationFrom(const QSqlQuery &q);

} // namespace safecell::ledgerrows
