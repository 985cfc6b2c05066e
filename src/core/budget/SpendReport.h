#pragma once

#include "LedgerTypes.h"
#include "Money.h"

#include "common/Expected.h"

#include <QDate>
#include <QList>
#include <QString>

#include <optional>

namespace safecell {

class SpendLedger;

// Read-only figures for the spend dashboard, from settled ledger entries
// with created time in [from, to) (UTC).
struct SpendReport {
    struct Day {
        QDate date; // UTC
        Money cost;
    };
    struct Share {
        QString name; // model id or sandbox name
        Money cost;
    };
    struct RunCost {
        QString runId;
        Money cost;
        QDateTime time;       // UTC, of its last entry
        Money chargedOnLapse; // of `cost`: holds it left unsettled, charged in full
    };
    QList<Day> daily;       // days with spend, oldest first
    QList<Share> byModel;   // LLM spend per model, costliest first
    QList<Share> bySandbox; // sandbox spend per sandbox, costliest first
    Money llm;
    Money sandbox;
    QList<RunCost> costliestRuns; // costliest first
    Money total() const { return llm + sandbox; }
};

// Reads the spend of [from, to) from `ledger`, on the ledger's thread.
Expected<SpendReport, LedgerError> readSpendReport(SpendLedger &ledger, const QDateTime &from, const QDateTime &to,
                                                   int topRuns = 10);

// The day the limit will be reached at the burn rate so far (spend from the
// period's start to `today`, inclusive); nullopt when nothing is spent yet
// or the limit is not reached before the period ends. Already reached:
// the first day the cumulative spend met it.
std::optional<QDate> forecastLimitDay(const QList<SpendReport::Day> &daily, Money limit, QDate periodStart,
                                      QDate periodEnd, QDate today);

} // namespace safecell
