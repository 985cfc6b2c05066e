#pragma once

#include "BudgetController.h"
#include "Ledger.h"

#include <memory>

namespace safecell {

class SpendLedger;

// The Ledger interface on the desktop's SQLite ledger: the org's and one
// analyst's scopes, decided by a BudgetController with the org and user
// limits of `policy` (its other scopes' limits are not used). Several
// LocalLedgers (threads, processes) may share one file, as several
// desktops share a team's server.
//
// Holds are the controller's: reserve takes one in a single IMMEDIATE
// transaction that checks every scope. Keys are each analyst's own (the
// ledger stores them under the analyst's name), as on the server. Looking
// a key up first makes reserve idempotent for a call repeated after its
// answer; two calls with one key racing each other may each take a hold
// (a desktop never does that: its keys are its own hold ids).
class LocalLedger final : public Ledger {
public:
    LocalLedger(SpendLedger &ledger, QString orgKey, QString analyst, const BudgetPolicy &policy,
                const Clock &clock = SystemClock::instance());
    ~LocalLedger() override;

    QString analyst() const override { return m_analyst; }

    Expected<TeamReservation, TeamError> reserve(const TeamHoldRequest &request) override;
    Expected<TeamSettlement, TeamError> settle(const QString &holdId, const QString &idempotencyKey,
                                               Money cost) override;
    Expected<bool, TeamError> release(const QString &holdId) override;
    Expected<TeamReservation, TeamError> adjust(const QString &holdId, Money amount, int ttlSeconds) override;
    Expected<PartSettlement, TeamError> settlePart(const QString &holdId, const QString &idempotencyKey,
                                                   Money cost) override;
    Expected<int, TeamError> chargeLapsed() override;
    Expected<TeamStatus, TeamError> status() override;
    Expected<QList<TeamAlertRecord>, TeamError> alerts() override;

private:
    BudgetScopes scopes() const;
    // The key the ledger keeps for the analyst's `idempotencyKey`.
    QString keyOf(const QString &idempotencyKey) const;
    // The caller's live hold `holdId`: nullopt when it is gone or is not
    // on this ledger's scopes.
    Expected<std::optional<Reservation>, TeamError> liveHold(const QString &holdId);
    // What a controller's refusal says, as the server says it.
    Expected<TeamReservation, TeamError> refusalOf(const BudgetError &error) const;
    Charge chargeOf(const Reservation &hold, Money cost) const;

    SpendLedger &m_ledger;
    QString m_orgKey;
    QString m_analyst;
    const Clock &m_clock;
    std::unique_ptr<BudgetController> m_controller;
};

} // namespace safecell
