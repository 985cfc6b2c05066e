#include "TeamLedger.h"

#include "TeamSchema.h"

#include "common/Logging.h"

#include <QSqlDriver>
#include <QSqlRecord>
#include <QTimeZone>
#include <QUuid>

namespace safecell {

namespace {

constexpr int kConnectTimeoutSeconds = 5;
// Longer than any lock a reservation waits for behind other desktops'
// reservations, shorter than a user's patience.
constexpr int kStatementTimeoutMs = 15'000;

// SQLSTATE classes that mean the connection, not the statement, failed.
bool isConnectionLoss(const QSqlError &error)
{
    const QString state = error.nativeErrorCode();
    if (state.startsWith(QLatin1String("08")) || state.startsWith(QLatin1String("57P")))
        return true;
    if (!state.isEmpty())
        return false;
    // libpq's own failures carry no SQLSTATE.
    const QString text = error.databaseText() + error.driverText();
    return error.type() == QSqlError::ConnectionError || text.contains(QLatin1String("connection"))
           || text.contains(QLatin1String("server closed"));
}

QDateTime fromEpochMs(const QVariant &value)
{
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), QTimeZone::utc());
}

std::optional<Money> optionalMoney(const QVariant &value)
{
    if (value.isNull())
        return std::nullopt;
    return Money::fromNanos(value.toLongLong());
}

// A null QString binds as SQL NULL; the team's text columns are NOT NULL
// and an absent run, step or resource is ''.
QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

} // namespace

QString teamErrorKindName(TeamError::Kind kind)
{
    switch (kind) {
    case TeamError::Kind::Unreachable:
        return QStringLiteral("unreachable");
    case TeamError::Kind::NotInitialised:
        return QStringLiteral("not initialised");
    case TeamError::Kind::Denied:
        return QStringLiteral("denied");
    case TeamError::Kind::Invalid:
        return QStringLiteral("invalid");
    case TeamError::Kind::Failed:
        break;
    }
    return QStringLiteral("failed");
}

TeamLedger::TeamLedger(TeamServer server, QString connectionName)
    : m_server(std::move(server))
    , m_connectionName(std::move(connectionName))
{
}

TeamLedger::~TeamLedger()
{
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Expected<std::unique_ptr<TeamLedger>, TeamError> TeamLedger::open(const TeamServer &server)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return unexpected(TeamError{TeamError::Kind::Failed,
                                    QStringLiteral("Qt's PostgreSQL driver (QPSQL) is not installed; on Debian: "
                                                   "apt-get install libqt6sql6-psql")});
    const QString name = QStringLiteral("safecell-team-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    std::unique_ptr<TeamLedger> ledger(new TeamLedger(server, name));
    ledger->m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    if (auto connected = ledger->connect(); !connected)
        return unexpected(std::move(connected).error());
    return ledger;
}

Expected<std::monostate, TeamError> TeamLedger::connect()
{
    // A server made in code rather than from a URL gets the URL's default.
    if (m_server.tlsMode.isEmpty())
        m_server.tlsMode = TeamServer::defaultTlsMode(m_server.host);
    m_db.close();
    m_db.setHostName(m_server.host);
    m_db.setPort(m_server.port);
    m_db.setDatabaseName(m_server.database);
    m_db.setUserName(m_server.user);
    m_db.setPassword(m_server.password);
    // Keepalives notice a server that vanished without closing the socket.
    m_db.setConnectOptions(QStringLiteral("connect_timeout=%1;sslmode=%2;application_name=safecell;"
                                          "keepalives_idle=10;keepalives_interval=5;keepalives_count=3")
                               .arg(kConnectTimeoutSeconds)
                               .arg(m_server.tlsMode));
    if (!m_db.open()) {
        const QString why = m_db.lastError().databaseText().trimmed();
        qCDebug(lcBudget) << "team ledger: cannot connect to" << m_server.describe();
        const bool denied = why.contains(QLatin1String("authentication")) || why.contains(QLatin1String("password"))
                            || why.contains(QLatin1String("permission denied"));
        return unexpected(
            TeamError{denied ? TeamError::Kind::Denied : TeamError::Kind::Unreachable,
                      QStringLiteral("cannot connect to the team server (%1): %2").arg(m_server.describe(), why)});
    }
    QSqlQuery setup(m_db);
    if (!setup.exec(QStringLiteral("SET statement_timeout = %1").arg(kStatementTimeoutMs)))
        return unexpected(errorOf(setup.lastError(), QStringLiteral("setting the statement timeout")));
    return std::monostate{};
}

TeamError TeamLedger::errorOf(const QSqlError &error, const QString &what) const
{
    const QString state = error.nativeErrorCode();
    const QString text = error.databaseText().trimmed().isEmpty() ? error.text() : error.databaseText().trimmed();
    TeamError::Kind kind = TeamError::Kind::Failed;
    if (isConnectionLoss(error))
        kind = TeamError::Kind::Unreachable;
    else if (state == QLatin1String("42501"))
        kind = TeamError::Kind::Denied;
    else if (state == QLatin1String("3F000") || state == QLatin1String("42P01") || state == QLatin1String("42883")
             || state == QLatin1String("42703"))
        kind = TeamError::Kind::NotInitialised;
    else if (state.startsWith(QLatin1String("22")) || state.startsWith(QLatin1String("23")))
        kind = TeamError::Kind::Invalid;
    QString message = QStringLiteral("%1 on the team server (%2): %3").arg(what, m_server.describe(), text);
    if (kind == TeamError::Kind::NotInitialised)
        message += QStringLiteral(" (has `safecell team init` been run on this database?)");
    return TeamError{kind, message};
}

Expected<QSqlQuery, TeamError> TeamLedger::run(const QString &sql, const QVariantList &values)
{
    // A connection that failed before (the server was down) is tried
    // again first: the ledger resumes by itself when the server is back.
    if (!m_db.isOpen()) {
        if (auto again = connect(); !again)
            return unexpected(std::move(again).error());
    }
    for (int attempt = 0;; ++attempt) {
        QSqlQuery query(m_db);
        bool ok = false;
        if (values.isEmpty()) {
            // Unprepared: the server cannot prepare utility statements (GRANT).
            ok = query.exec(sql);
        } else if ((ok = query.prepare(sql))) {
            for (const QVariant &value : values)
                query.addBindValue(value);
            ok = query.exec();
        }
        if (ok)
            return query;
        const QSqlError error = query.lastError();
        if (attempt == 0 && isConnectionLoss(error)) {
            qCInfo(lcBudget) << "team ledger: the connection was lost; reconnecting to" << m_server.describe();
            if (auto again = connect(); !again)
                return unexpected(std::move(again).error());
            continue;
        }
        return unexpected(errorOf(error, sql.section(QLatin1Char('('), 0, 0).simplified()));
    }
}

Expected<QSqlQuery, TeamError> TeamLedger::runForHold(const QString &holdId, const QString &sql, QVariantList values)
{
    if (QUuid::fromString(holdId).isNull())
        return unexpected(TeamError{TeamError::Kind::Invalid, QStringLiteral("not a team hold id: %1").arg(holdId)});
    values.prepend(holdId);
    auto query = run(sql, values);
    if (!query)
        return unexpected(std::move(query).error());
    if (!query->next())
        return unexpected(
            TeamError{TeamError::Kind::Failed,
                      QStringLiteral("the team server answered no row to %1").arg(sql.section(u'(', 0, 0))});
    return query;
}

Expected<int, TeamError> TeamLedger::schemaVersion()
{
    auto query = run(QStringLiteral("SELECT to_regclass('safecell.migrations') IS NOT NULL"));
    if (!query)
        return unexpected(std::move(query).error());
    if (!query->next() || !query->value(0).toBool())
        return 0;
    auto version = run(QStringLiteral("SELECT coalesce(max(version), 0) FROM safecell.migrations"));
    if (!version)
        return unexpected(std::move(version).error());
    return version->next() ? version->value(0).toInt() : 0;
}

Expected<int, TeamError> TeamLedger::migrate(int upTo)
{
    if (!m_db.transaction())
        return unexpected(errorOf(m_db.lastError(), QStringLiteral("starting the migration")));
    auto fail = [this](const QSqlError &error, const QString &what) {
        TeamError failure = errorOf(error, what);
        m_db.rollback();
        return unexpected(std::move(failure));
    };
    QSqlQuery query(m_db);
    // Two `team init`s at once: the second waits, then finds nothing to do.
    if (!query.exec(QStringLiteral("SELECT pg_advisory_xact_lock(5358411)")))
        return fail(query.lastError(), QStringLiteral("locking the schema"));
    // Two statements: the server resolves every table a statement names
    // before it runs, so one that reads a missing table fails.
    if (!query.exec(QStringLiteral("SELECT to_regclass('safecell.migrations') IS NOT NULL")) || !query.next())
        return fail(query.lastError(), QStringLiteral("reading the schema version"));
    int version = 0;
    if (query.value(0).toBool()) {
        if (!query.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM safecell.migrations")) || !query.next())
            return fail(query.lastError(), QStringLiteral("reading the schema version"));
        version = query.value(0).toInt();
    }
    for (const TeamMigration &migration : teamMigrations()) {
        if (migration.version <= version || migration.version > upTo)
            continue;
        for (const QString &statement : migration.statements) {
            if (!query.exec(statement))
                return fail(query.lastError(), QStringLiteral("migration %1").arg(migration.version));
        }
        query.prepare(QStringLiteral("INSERT INTO safecell.migrations (version, summary) VALUES (?, ?)"));
        query.addBindValue(migration.version);
        query.addBindValue(migration.summary);
        if (!query.exec())
            return fail(query.lastError(), QStringLiteral("recording migration %1").arg(migration.version));
        version = migration.version;
        qCInfo(lcBudget) << "team ledger: migrated to version" << version << "on" << m_server.describe();
    }
    if (!m_db.commit())
        return fail(m_db.lastError(), QStringLiteral("committing the migration"));
    return version;
}

Expected<std::monostate, TeamError> TeamLedger::setLimit(ScopeLevel level, const QString &key,
                                                         std::optional<Money> limit)
{
    if (level != ScopeLevel::Org && level != ScopeLevel::User)
        return unexpected(TeamError{TeamError::Kind::Invalid,
                                    QStringLiteral("a team limit is on the org or a user; %1 limits stay local")
                                        .arg(scopeLevelName(level))});
    auto query = run(QStringLiteral("SELECT safecell.set_limit(?, ?, ?)"),
                     {scopeLevelName(level), key,
                      limit ? QVariant(limit->nanos()) : QVariant(QMetaType::fromType<qlonglong>())});
    if (!query)
        return unexpected(std::move(query).error());
    return std::monostate{};
}

Expected<std::monostate, TeamError> TeamLedger::setThresholds(const BudgetThresholds &thresholds)
{
    auto query = run(QStringLiteral("SELECT safecell.set_thresholds(?, ?, ?)"),
                     {thresholds.warnPpm, thresholds.degradePpm, thresholds.stopPpm});
    if (!query)
        return unexpected(std::move(query).error());
    return std::monostate{};
}

Expected<int, TeamError> TeamLedger::clearBreaches()
{
    auto query = run(QStringLiteral("SELECT safecell.clear_breaches()"));
    if (!query)
        return unexpected(std::move(query).error());
    return query->next() ? query->value(0).toInt() : 0;
}

Expected<std::monostate, TeamError> TeamLedger::setAudit(bool on)
{
    auto query = run(QStringLiteral("SELECT safecell.set_audit(?)"), {on});
    if (!query)
        return unexpected(std::move(query).error());
    return std::monostate{};
}

Expected<bool, TeamError> TeamLedger::auditEnabled()
{
    auto query = run(QStringLiteral("SELECT value FROM safecell.options WHERE name = 'audit'"));
    if (!query)
        return unexpected(std::move(query).error());
    return query->next() && query->value(0).toBool();
}

Expected<bool, TeamError> TeamLedger::recordRun(const TeamAuditRun &audited)
{
    auto query = run(QStringLiteral("SELECT safecell.record_run(?, ?, ?, ?, ?, ?)"),
                     {text(audited.runId), text(audited.language), text(audited.code), text(audited.output),
                      text(audited.outcome), audited.cost.nanos()});
    if (!query)
        return unexpected(std::move(query).error());
    return query->next() && query->value(0).toBool();
}

Expected<std::monostate, TeamError> TeamLedger::grant(const QString &role, bool admin)
{
    if (role.isEmpty())
        return unexpected(TeamError{TeamError::Kind::Invalid, QStringLiteral("name the role to grant")});
    const QString quoted = m_db.driver()->escapeIdentifier(role, QSqlDriver::TableName);
    auto query = run(QStringLiteral("GRANT %1 TO %2")
                         .arg(admin ? QStringLiteral("safecell_admin") : QStringLiteral("safecell_analyst"), quoted));
    if (!query)
        return unexpected(std::move(query).error());
    return std::monostate{};
}

Expected<TeamReservation, TeamError> TeamLedger::reserve(const TeamHoldRequest &request)
{
    auto query = run(QStringLiteral("SELECT outcome, hold_id::text, (extract(epoch FROM expires_at) * 1000)::bigint, "
                                    "refused_level, used_nanos, limit_nanos "
                                    "FROM safecell.reserve(?, ?, ?, ?, ?, ?, ?)"),
                     {text(request.idempotencyKey), text(request.runId), text(request.step),
                      chargeKindName(request.kind), text(request.resource), request.amount.nanos(),
                      request.ttlSeconds});
    if (!query)
        return unexpected(std::move(query).error());
    if (!query->next())
        return unexpected(TeamError{TeamError::Kind::Failed, QStringLiteral("the team server's reserve said nothing")});
    TeamReservation reservation;
    const QString outcome = query->value(0).toString();
    if (outcome == QLatin1String("held")) {
        reservation.hold = TeamHold{query->value(1).toString(), fromEpochMs(query->value(2))};
    } else if (outcome == QLatin1String("refused")) {
        const auto level = scopeLevelFromName(query->value(3).toString());
        reservation.refusal = TeamRefusal{level.value_or(ScopeLevel::Org),
                                          Money::fromNanos(query->value(4).toLongLong()),
                                          Money::fromNanos(query->value(5).toLongLong())};
    } else {
        reservation.alreadySettled = true;
    }
    return reservation;
}

Expected<TeamSettlement, TeamError> TeamLedger::settle(const QString &holdId, const QString &idempotencyKey, Money cost)
{
    auto query = runForHold(holdId, QStringLiteral("SELECT outcome, cost_nanos FROM safecell.settle(?::uuid, ?, ?)"),
                            {idempotencyKey, cost.nanos()});
    if (!query)
        return unexpected(std::move(query).error());
    const QString outcome = query->value(0).toString();
    TeamSettlement settlement;
    settlement.cost = Money::fromNanos(query->value(1).toLongLong());
    if (outcome == QLatin1String("settled"))
        settlement.outcome = TeamSettlement::Outcome::Settled;
    else if (outcome == QLatin1String("already"))
        settlement.outcome = TeamSettlement::Outcome::AlreadySettled;
    else if (outcome == QLatin1String("lapsed"))
        settlement.outcome = TeamSettlement::Outcome::LapseLowered;
    return settlement;
}

Expected<bool, TeamError> TeamLedger::release(const QString &holdId)
{
    auto query = runForHold(holdId, QStringLiteral("SELECT safecell.release(?::uuid)"), {});
    if (!query)
        return unexpected(std::move(query).error());
    return query->value(0).toBool();
}

Expected<TeamReservation, TeamError> TeamLedger::adjust(const QString &holdId, Money amount, int ttlSeconds)
{
    auto query = runForHold(holdId,
                            QStringLiteral(
                                "SELECT outcome, (extract(epoch FROM expires_at) * 1000)::bigint, "
                                "refused_level, used_nanos, limit_nanos FROM safecell.adjust(?::uuid, ?, ?)"),
                            {amount.nanos(), ttlSeconds});
    if (!query)
        return unexpected(std::move(query).error());
    TeamReservation reservation;
    const QString outcome = query->value(0).toString();
    if (outcome == QLatin1String("held")) {
        reservation.hold = TeamHold{holdId, fromEpochMs(query->value(1))};
    } else if (outcome == QLatin1String("refused")) {
        const auto level = scopeLevelFromName(query->value(2).toString());
        reservation.refusal = TeamRefusal{level.value_or(ScopeLevel::Org),
                                          Money::fromNanos(query->value(3).toLongLong()),
                                          Money::fromNanos(query->value(4).toLongLong())};
    }
    return reservation;
}

Expected<TeamLedger::PartSettlement, TeamError> TeamLedger::settlePart(const QString &holdId,
                                                                       const QString &idempotencyKey, Money cost)
{
    auto query = runForHold(holdId,
                            QStringLiteral(
                                "SELECT outcome, cost_nanos, held_nanos FROM safecell.settle_part(?::uuid, ?, ?)"),
                            {idempotencyKey, cost.nanos()});
    if (!query)
        return unexpected(std::move(query).error());
    const QString outcome = query->value(0).toString();
    PartSettlement part;
    part.settled.cost = Money::fromNanos(query->value(1).toLongLong());
    part.stillHeld = Money::fromNanos(query->value(2).toLongLong());
    if (outcome == QLatin1String("settled"))
        part.settled.outcome = TeamSettlement::Outcome::Settled;
    else if (outcome == QLatin1String("already"))
        part.settled.outcome = TeamSettlement::Outcome::AlreadySettled;
    return part;
}

Expected<int, TeamError> TeamLedger::chargeLapsed()
{
    auto query = run(QStringLiteral("SELECT safecell.charge_lapsed()"));
    if (!query)
        return unexpected(std::move(query).error());
    return query->next() ? query->value(0).toInt() : 0;
}

Expected<TeamStatus, TeamError> TeamLedger::status()
{
    // Every column by name: a server not yet migrated to version 6 has no
    // stopped scopes or thresholds of its own, and its figures still count.
    auto query = run(QStringLiteral("SELECT s.*, (extract(epoch FROM s.period_start) * 1000)::bigint AS period_ms, "
                                    "(extract(epoch FROM s.server_time) * 1000)::bigint AS server_ms "
                                    "FROM safecell.status() s"));
    if (!query)
        return unexpected(std::move(query).error());
    const QSqlRecord columns = query->record();
    const auto value = [&](const char *name) { return query->value(columns.indexOf(QLatin1String(name))); };
    const bool hasThresholds = columns.indexOf(QLatin1String("stop_ppm")) >= 0;
    TeamStatus status;
    while (query->next()) {
        TeamScopeStatus scope;
        scope.level = scopeLevelFromName(value("level").toString()).value_or(ScopeLevel::Org);
        scope.key = value("key").toString();
        scope.used = Money::fromNanos(value("used_nanos").toLongLong());
        scope.held = Money::fromNanos(value("held_nanos").toLongLong());
        scope.limit = optionalMoney(value("limit_nanos"));
        status.periodStart = fromEpochMs(value("period_ms"));
        status.serverTime = fromEpochMs(value("server_ms"));
        if (hasThresholds) {
            scope.stopped = value("stopped").toBool();
            status.thresholds = BudgetThresholds{value("warn_ppm").toLongLong(), value("degrade_ppm").toLongLong(),
                                                 value("stop_ppm").toLongLong()};
        }
        status.scopes.append(scope);
    }
    return status;
}

} // namespace safecell
