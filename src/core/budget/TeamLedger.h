#pragma once

#include "Ledger.h"
#include "TeamServer.h"

#include "common/Expected.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

#include <limits>
#include <memory>
#include <optional>

namespace safecell {

// One line of the admin's report: a month's spend of one analyst on one
// kind and resource (model or sandbox).
struct TeamReportRow {
    QString analyst;
    ChargeKind kind = ChargeKind::Llm;
    QString resource;
    qint64 steps = 0;
    Money cost;
};

// One run as the team audit log keeps it (only while the admin has it on).
struct TeamAuditRun {
    QString runId;
    QString language;
    QString code;
    QString output;
    QString outcome;
    Money cost;
};

// The team's shared ledger on PostgreSQL (issue 21), through Qt's QPSQL
// driver. Every decision happens on the server, in the functions of
// TeamSchema: a reservation locks the org and user scope rows, holds
// expire on the server's clock, and reserve and settle are idempotent by
// key, so a call retried after a dropped connection counts once. A call
// that finds the connection gone reconnects and retries once.
//
// Like SpendLedger, an instance owns a named connection and is used on the
// thread that opened it.
class TeamLedger final : public Ledger {
public:
    static Expected<std::unique_ptr<TeamLedger>, TeamError> open(const TeamServer &server);
    ~TeamLedger() override;
    TeamLedger(const TeamLedger &) = delete;
    TeamLedger &operator=(const TeamLedger &) = delete;

    const TeamServer &server() const { return m_server; }
    // The login role: the analyst the server charges.
    QString analyst() const override { return m_server.user; }

    // -- Set-up (admin, or the database owner for migrate)
    // Applies the migrations the database lacks, up to `upTo` (default:
    // all), in one transaction; the version it is now at.
    Expected<int, TeamError> migrate(int upTo = std::numeric_limits<int>::max());
    Expected<int, TeamError> schemaVersion();
    // Sets the org's limit (key ignored) or one analyst's; nullopt: none.
    Expected<std::monostate, TeamError> setLimit(ScopeLevel level, const QString &key, std::optional<Money> limit);
    // The thresholds every desktop judges the team's scopes by; the stop
    // threshold caps what the server lets a limit be used to.
    Expected<std::monostate, TeamError> setThresholds(const BudgetThresholds &thresholds);
    // Lets the team spend again this period after a breach stopped it
    // (the breaches stay on record, cleared); how many were cleared.
    Expected<int, TeamError> clearBreaches();
    // Lets login role `role` reserve and settle (and, with `admin`, set
    // limits and read every analyst's runs).
    Expected<std::monostate, TeamError> grant(const QString &role, bool admin);

    // -- Spending (any analyst)
    Expected<TeamReservation, TeamError> reserve(const TeamHoldRequest &request) override;
    Expected<TeamSettlement, TeamError> settle(const QString &holdId, const QString &idempotencyKey,
                                               Money cost) override;
    Expected<bool, TeamError> release(const QString &holdId) override;
    // Re-sizes one of the caller's live holds to `amount`, lapsing
    // `ttlSeconds` from now: growing is checked against the limits as a
    // reservation is; shrinking is never refused. No hold when it is gone.
    Expected<TeamReservation, TeamError> adjust(const QString &holdId, Money amount, int ttlSeconds) override;
    // Settles part of a live hold as an entry of its own (once per key)
    // and lowers the hold by it.
    Expected<PartSettlement, TeamError> settlePart(const QString &holdId, const QString &idempotencyKey,
                                                   Money cost) override;
    // Charges holds that lapsed unsettled; how many.
    Expected<int, TeamError> chargeLapsed() override;

    // -- The audit log (off by default; admin to switch)
    Expected<std::monostate, TeamError> setAudit(bool on);
    Expected<bool, TeamError> auditEnabled();
    // Keeps the run when the audit log is on (once per analyst and run);
    // false when it is off, and nothing was kept.
    Expected<bool, TeamError> recordRun(const TeamAuditRun &run);

    // -- Reading
    Expected<TeamStatus, TeamError> status() override;
    // This period's alerts on the org and the caller's scope (the admin:
    // every analyst's), oldest first.
    Expected<QList<TeamAlertRecord>, TeamError> alerts() override;
    // The month's spend by analyst, kind and resource. Analysts see their
    // own rows only (row-level security); the admin sees everyone's.
    Expected<QList<TeamReportRow>, TeamError> report(const QDate &month);

private:
    TeamLedger(TeamServer server, QString connectionName);
    Expected<std::monostate, TeamError> connect();
    // Runs `sql` with `values` bound; reconnects and runs it once more when
    // the connection was lost (every call here is safe to repeat).
    Expected<QSqlQuery, TeamError> run(const QString &sql, const QVariantList &values = {});
    // run() on one hold: `holdId` checked and bound first; its one row, positioned.
    Expected<QSqlQuery, TeamError> runForHold(const QString &holdId, const QString &sql, QVariantList values);
    TeamError errorOf(const QSqlError &error, const QString &what) const;

    TeamServer m_server;
    QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace safecell
