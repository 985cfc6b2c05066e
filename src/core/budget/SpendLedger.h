#pragma once

#include "LedgerConnection.h"
#include "LedgerTypes.h"

#include "common/Expected.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace safecell {

// The spend ledger: one SQLite file (WAL, synchronous=FULL) shared by every
// SafeCell thread and process on the machine. Each SpendLedger owns its own
// named connection and must be used on the thread that opened it; open one
// per thread. Writes that decide (reserve, settle) run inside one
// `BEGIN IMMEDIATE` transaction, so two writers never interleave a check and
// its write. Only storage lives here; BudgetController decides.
//
// The connection, statements and transactions are LedgerConnection's, the
// schema LedgerMigrations'; each group of queries below is implemented in
// the SpendLedger*.cpp file its heading names.
class SpendLedger {
public:
    // -- Opening and transactions (SpendLedger.cpp)
    // Opens the file at `path` on a connection of its own and brings its
    // schema up to date.
    static Expected<std::unique_ptr<SpendLedger>, LedgerError> open(const QString &path);
    // Called (on the opening thread) each time a ledger is opened: debug
    // builds and tests use it to catch an open on the GUI thread. Not
    // thread-safe to set: set it before any thread opens a ledger.
    using OpenObserver = std::function<void(const QString &path)>;
    static void setOpenObserver(OpenObserver observer);
    ~SpendLedger();
    SpendLedger(const SpendLedger &) = delete;
    SpendLedger &operator=(const SpendLedger &) = delete;

    QString path() const { return m_connection->path(); }
    // The connection, for stores that keep their own tables in the same
    // file (the run history); same thread rules as the ledger itself.
    QSqlDatabase database() const { return m_connection->database(); }
    int schemaVersion();
    // PRAGMA data_version: changes when another connection (of any process)
    // commits, so a watcher can poll it instead of re-reading everything.
    Expected<qint64, LedgerError> dataVersion();

    // How a write transaction's commit reaches the disk (see LedgerConnection.h).
    using Durability = LedgerConnection::Durability;

    // Runs `work` inside BEGIN IMMEDIATE .. COMMIT (ROLLBACK when it fails).
    Expected<Done, LedgerError> writeTransaction(const std::function<Expected<Done, LedgerError>()> &work,
                                                 Durability durability = Durability::Full);
    // Runs `work` in one read transaction: a consistent view.
    Expected<Done, LedgerError> readTransaction(const std::function<Expected<Done, LedgerError>()> &work);

    // -- What one scope has spent and holds (SpendLedgerTotals.cpp)
    // Settled spend of one scope with created time in [fromMs, toMs).
    Expected<Money, LedgerError> settled(ScopeLevel level, const QString &key, qint64 fromMs, qint64 toMs);
    // Money held by live (unexpired at nowMs) reservations of one scope.
    Expected<Money, LedgerError> reserved(ScopeLevel level, const QString &key, qint64 nowMs);
    // When the live reservations of one scope lapse: the first and the
    // last expiry (ms since the epoch); nullopt when none is held.
    struct HoldSpan {
        qint64 firstExpiryMs = 0;
        qint64 lastExpiryMs = 0;
    };
    Expected<std::optional<HoldSpan>, LedgerError> holdSpan(ScopeLevel level, const QString &key, qint64 nowMs);

    // -- Holds (SpendLedgerReservations.cpp)
    Expected<Done, LedgerError> insertReservation(const Reservation &reservation);
    // Its scopes, amount and expiry (the row with its id).
    Expected<Done, LedgerError> updateReservation(const Reservation &reservation);
    // True when it was still there.
    Expected<bool, LedgerError> deleteReservation(const QString &id);
    Expected<std::optional<Reservation>, LedgerError> findReservation(const QString &id);
    // The oldest hold taken under `idempotencyKey`, if any.
    Expected<std::optional<Reservation>, LedgerError> findReservationByKey(const QString &idempotencyKey);

    // -- Holds that lapse unsettled (SpendLedgerLapses.cpp)
    // Charges every hold lapsed at nowMs (expired unsettled: its process
    // died, and the provider may have billed all of it) in full and deletes
    // it, in one transaction: a charge on lapse (LedgerEntry::lapsedHold)
    // dated at the expiry, under the hold's run, scopes, kind and resource.
    // Counted once whoever sees the lapse first (the entry's key names the
    // hold and its expiry). Returns the charges made.
    Expected<QList<LedgerEntry>, LedgerError> chargeLapsedReservations(qint64 nowMs);
    // Whether any hold has lapsed at nowMs and is not charged yet; a read.
    Expected<bool, LedgerError> hasLapsedReservations(qint64 nowMs);
    // What holds of one scope that lapsed in [fromMs, toMs) and are not
    // charged yet will be charged (toMs at most now + 1); a read, for
    // read-only connections that cannot charge them.
    Expected<Money, LedgerError> lapsedUncharged(ScopeLevel level, const QString &key, qint64 fromMs, qint64 toMs);
    // The newest charge on lapse of hold `holdId`; nullopt when it never lapsed.
    Expected<std::optional<LedgerEntry>, LedgerError> lapseCharge(const QString &holdId);
    // Lowers a charge on lapse by `by` (at most its cost), with its scopes'
    // aggregates: a late settle or release of its hold says what of it was
    // not billed.
    Expected<Done, LedgerError> lowerLapseCharge(const LedgerEntry &charge, Money by);
    // What of one scope's settled spend in [fromMs, toMs) is charged on lapse.
    Expected<Money, LedgerError> chargedOnLapse(ScopeLevel level, const QString &key, qint64 fromMs, qint64 toMs);

    // -- Settled entries (SpendLedgerEntries.cpp)
    // Inserts the entry and adds it to its scopes' aggregates. When an entry
    // with the same idempotency key exists, changes nothing and returns it.
    struct InsertResult {
        LedgerEntry entry;
        bool inserted = false;
    };
    Expected<InsertResult, LedgerError> insertEntry(const LedgerEntry &entry);
    Expected<std::optional<LedgerEntry>, LedgerError> findEntry(const QString &idempotencyKey);
    Expected<QList<LedgerEntry>, LedgerError> entriesForRun(const QString &runId);

    // -- Alerts (SpendLedgerAlerts.cpp)
    // Records that an alert fired; false when it had already fired.
    Expected<bool, LedgerError> recordAlert(ScopeLevel level, const QString &key, qint64 periodStartMs,
                                            const QString &state, qint64 nowMs);
    // The alerts of one scope and period that have fired, by any process:
    // their state names ("warned", ...), oldest first.
    Expected<QStringList, LedgerError> firedAlerts(ScopeLevel level, const QString &key, qint64 periodStartMs);

    // -- A team ledger's half of each hold (SpendLedgerTeam.cpp)
    // `server` is TeamServer::describe(): never a password.
    struct TeamHoldLink {
        QString teamHold;
        QString server;
        QString idempotencyKey;
    };
    Expected<Done, LedgerError> linkTeamHold(const QString &localId, const TeamHoldLink &link);
    Expected<std::optional<TeamHoldLink>, LedgerError> teamHold(const QString &localId);
    Expected<Done, LedgerError> unlinkTeamHold(const QString &localId);
    // A settle, part settle or release the server has not heard yet.
    struct TeamCall {
        qint64 id = 0;
        QString action; // "settle", "part" or "release"
        QString teamHold;
        QString idempotencyKey;
        Money cost;
        qint64 queuedMs = 0;
        int attempts = 0;
    };
    // Queued once per action and key: queuing it again changes nothing.
    Expected<Done, LedgerError> queueTeamCall(const QString &server, const TeamCall &call);
    // Oldest first, at most `limit`.
    Expected<QList<TeamCall>, LedgerError> queuedTeamCalls(const QString &server, int limit);
    Expected<qint64, LedgerError> queuedTeamCallCount(const QString &server);
    Expected<Done, LedgerError> removeTeamCall(qint64 id);
    Expected<Done, LedgerError> noteTeamCallFailed(qint64 id, const QString &error);

    // -- Self-checks, for checks and tests (SpendLedgerChecks.cpp)
    Expected<qint64, LedgerError> entryCount();
    Expected<Money, LedgerError> totalSettled();
    // True when every scope level's aggregates sum to the entries' total.
    Expected<bool, LedgerError> aggregatesMatchEntries();
    Expected<QString, LedgerError> integrityCheck();
    // PRAGMA synchronous of this connection (2 = FULL).
    int synchronousMode();

private:
    explicit SpendLedger(std::unique_ptr<LedgerConnection> connection);
    // The oldest hold matching `condition` (one `?`, bound to `value`).
    Expected<std::optional<Reservation>, LedgerError> firstReservation(const QString &condition, const QString &value);

    // Every query goes through it: statements, errors, transactions.
    std::unique_ptr<LedgerConnection> m_connection;
};

} // namespace safecell
