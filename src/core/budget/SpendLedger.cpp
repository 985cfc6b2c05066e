#include "SpendLedger.h"

#include "LedgerRows.h"
#include "LedgerSchema.h"

#include "common/Logging.h"

#include <QSqlError>
#include <QTimeZone>
#include <QUuid>

#include <limits>

namespace safecell {

namespace {

constexpr int kBusyTimeoutMs = 10000;

} // namespace

using namespace ledgerrows;

SpendLedger::SpendLedger(QString path, QString connectionName)
    : m_path(std::move(path)), m_connectionName(std::move(connectionName))
{
}

SpendLedger::~SpendLedger()
{
    m_statements.clear();
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Expected<std::unique_ptr<SpendLedger>, LedgerError> SpendLedger::open(const QString &path)
{
    const QString name = QStringLiteral("safecell.ledger.") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    std::unique_ptr<SpendLedger> ledger(new SpendLedger(path, name));
    ledger->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    ledger->m_db.setDatabaseName(path);
    ledger->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    if (!ledger->m_db.open())
        return unexpected(LedgerError{QStringLiteral("cannot open the ledger %1: %2").arg(path, ledger->m_db.lastError().text())});
    if (auto configured = ledger->configure(); !configured)
        return unexpected(configured.error());
    if (auto migrated = ledger->migrate(); !migrated)
        return unexpected(migrated.error());
    return ledger;
}

LedgerError SpendLedger::error(const QString &what, const QSqlQuery &query) const
{
    return LedgerError{QStringLiteral("ledger %1 failed: %2").arg(what, query.lastError().text())};
}

Expected<Done, LedgerError> SpendLedger::execDirect(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return unexpected(error(sql.left(40), query));
    query.finish();
    return Done{};
}

Expected<QSqlQuery *, LedgerError> SpendLedger::prepared(const QString &sql)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        auto query = std::make_shared<QSqlQuery>(m_db);
        if (!query->prepare(sql))
            return unexpected(error(QStringLiteral("prepare"), *query));
        it = m_statements.insert(sql, std::move(query));
    }
    return it.value().get();
}

Expected<Done, LedgerError> SpendLedger::execPrepared(QSqlQuery *query, const QVariantList &values)
{
    for (qsizetype i = 0; i < values.size(); ++i)
        query->bindValue(int(i), values.at(i));
    if (!query->exec())
        return unexpected(error(query->lastQuery().left(40), *query));
    return Done{};
}

Expected<QVariant, LedgerError> SpendLedger::scalar(const QString &sql, const QVariantList &values)
{
    auto query = prepared(sql);
    if (!query)
        return unexpected(query.error());
    if (auto done = execPrepared(*query, values); !done)
        return unexpected(done.error());
    QVariant value = (*query)->next() ? (*query)->value(0) : QVariant();
    (*query)->finish();
    return value;
}

Expected<Done, LedgerError> SpendLedger::configure()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !query.next())
        return unexpected(error(QStringLiteral("journal_mode"), query));
    if (query.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        return unexpected(LedgerError{QStringLiteral("the ledger cannot use WAL (journal mode %1)").arg(query.value(0).toString())});
    query.finish();
    for (const char *pragma : {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
        if (auto done = execDirect(QString::fromLatin1(pragma)); !done)
            return done;
    }
    return Done{};
}

int SpendLedger::schemaVersion()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

Expected<Done, LedgerError> SpendLedger::migrate()
{
    return writeTransaction([this]() -> Expected<Done, LedgerError> {
        const int current = schemaVersion();
        if (current < 0)
            return unexpected(LedgerError{QStringLiteral("cannot read the ledger's schema version")});
        if (current > latestLedgerVersion())
            return unexpected(LedgerError{
                QStringLiteral("the ledger has schema version %1, newer than this SafeCell knows (%2)")
                    .arg(current)
                    .arg(latestLedgerVersion())});
        for (const LedgerMigration &migration : ledgerMigrations()) {
            if (migration.version <= current)
                continue;
            for (const QString &statement : migration.statements) {
                if (auto done = execDirect(statement); !done)
                    return done;
            }
            if (auto done = execDirect(QStringLiteral("PRAGMA user_version=%1").arg(migration.version)); !done)
                return done;
            qCInfo(lcBudget) << "ledger schema migrated to version" << migration.version;
        }
        return Done{};
    });
}

Expected<Done, LedgerError> SpendLedger::transaction(const QString &begin,
                                                     const std::function<Expected<Done, LedgerError>()> &work)
{
    if (m_inTransaction)
        return work(); // nested: part of the enclosing transaction
    if (auto began = execDirect(begin); !began)
        return began;
    m_inTransaction = true;
    auto result = work();
    m_inTransaction = false;
    for (auto &statement : m_statements)
        statement->finish();
    if (!result) {
        if (auto rolledBack = execDirect(QStringLiteral("ROLLBACK")); !rolledBack)
            qCWarning(lcBudget) << rolledBack.error().message;
        return result;
    }
    if (auto committed = execDirect(QStringLiteral("COMMIT")); !committed) {
        if (auto rolledBack = execDirect(QStringLiteral("ROLLBACK")); !rolledBack)
            qCCritical(lcBudget) << "COMMIT failed and so did ROLLBACK:" << rolledBack.error().message;
        return committed;
    }
    return Done{};
}

Expected<Done, LedgerError> SpendLedger::writeTransaction(const std::function<Expected<Done, LedgerError>()> &work,
                                                          Durability durability)
{
    if (durability == Durability::Full || m_inTransaction)
        return transaction(QStringLiteral("BEGIN IMMEDIATE"), work);
    if (auto relaxed = execDirect(QStringLiteral("PRAGMA synchronous=NORMAL")); !relaxed)
        return relaxed;
    auto result = transaction(QStringLiteral("BEGIN IMMEDIATE"), work);
    if (auto restored = execDirect(QStringLiteral("PRAGMA synchronous=FULL")); !restored) {
        // Never leave the connection relaxed: settles must stay durable.
        qCCritical(lcBudget) << restored.error().message;
        m_db.close();
        return restored;
    }
    return result;
}

Expected<Done, LedgerError> SpendLedger::readTransaction(const std::function<Expected<Done, LedgerError>()> &work)
{
    return transaction(QStringLiteral("BEGIN"), work);
}

Expected<Money, LedgerError> SpendLedger::settled(ScopeLevel level, const QString &key, qint64 fromMs, qint64 toMs)
{
    auto value = scalar(QStringLiteral("SELECT COALESCE(SUM(cost_nanos), 0) FROM spend_slots"
                                       " WHERE level = ? AND scope_key = ? AND slot >= ? AND slot < ?"),
                        {int(level), text(key), slotOf(fromMs), slotCeil(toMs)});
    if (!value)
        return unexpected(value.error());
    return Money::fromNanos(value->toLongLong());
}

Expected<Money, LedgerError> SpendLedger::reserved(ScopeLevel level, const QString &key, qint64 nowMs)
{
    auto value = scalar(QStringLiteral("SELECT COALESCE(SUM(amount_nanos), 0) FROM reservations WHERE %1 = ?"
                                       " AND expires_ms > ?")
                            .arg(QLatin1String(scopeColumn(level))),
                        {text(key), nowMs});
    if (!value)
        return unexpected(value.error());
    return Money::fromNanos(value->toLongLong());
}

Expected<std::optional<SpendLedger::HoldSpan>, LedgerError> SpendLedger::holdSpan(ScopeLevel level, const QString &key,
                                                                                  qint64 nowMs)
{
    auto value = scalar(QStringLiteral("SELECT COALESCE(MIN(expires_ms), 0) || '/' || COALESCE(MAX(expires_ms), 0)"
                                       " FROM reservations WHERE %1 = ? AND expires_ms > ?")
                            .arg(QLatin1String(scopeColumn(level))),
                        {text(key), nowMs});
    if (!value)
        return unexpected(value.error());
    const QStringList parts = value->toString().split(QLatin1Char('/'));
    const qint64 first = parts.value(0).toLongLong();
    if (first <= 0)
        return std::optional<HoldSpan>();
    return std::optional<HoldSpan>(HoldSpan{first, parts.value(1).toLongLong()});
}

Expected<Done, LedgerError> SpendLedger::insertReservation(const Reservation &r)
{
    auto query = prepared(QStringLiteral("INSERT INTO reservations (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                              .arg(kReservationColumns));
    if (!query)
        return unexpected(query.error());
    QVariantList values{text(r.id), text(r.idempotencyKey), text(r.runId), text(r.step)};
    values << scopeValues(r.scopes);
    values << r.amount.nanos() << r.created.toMSecsSinceEpoch() << r.expires.toMSecsSinceEpoch()
           << chargeKindName(r.kind) << text(r.resource);
    return execPrepared(*query, values);
}

Expected<Done, LedgerError> SpendLedger::updateReservation(const Reservation &r)
{
    auto query = prepared(QStringLiteral("UPDATE reservations SET org_key = ?, user_key = ?, session_key = ?,"
                                         " task_key = ?, amount_nanos = ?, expires_ms = ?, run_id = ?, kind = ?,"
                                         " resource = ? WHERE id = ?"));
    if (!query)
        return unexpected(query.error());
    QVariantList values = scopeValues(r.scopes);
    values << r.amount.nanos() << r.expires.toMSecsSinceEpoch() << text(r.runId) << chargeKindName(r.kind)
           << text(r.resource) << text(r.id);
    return execPrepared(*query, values);
}

Expected<bool, LedgerError> SpendLedger::deleteReservation(const QString &id)
{
    auto query = prepared(QStringLiteral("DELETE FROM reservations WHERE id = ?"));
    if (!query)
        return unexpected(query.error());
    if (auto done = execPrepared(*query, {id}); !done)
        return unexpected(done.error());
    return (*query)->numRowsAffected() > 0;
}

Expected<std::optional<Reservation>, LedgerError> SpendLedger::findReservation(const QString &id)
{
    auto query = prepared(QStringLiteral("SELECT %1 FROM reservations WHERE id = ?").arg(kReservationColumns));
    if (!query)
        return unexpected(query.error());
    if (auto done = execPrepared(*query, {id}); !done)
        return unexpected(done.error());
    std::optional<Reservation> found;
    if ((*query)->next())
        found = reservationFrom(**query);
    (*query)->finish();
    return found;
}

Expected<std::optional<LedgerEntry>, LedgerError> SpendLedger::findEntry(const QString &idempotencyKey)
{
    auto query = prepared(QStringLiteral("SELECT %1 FROM entries WHERE idempotency_key = ?").arg(kEntryColumns));
    if (!query)
        return unexpected(query.error());
    if (auto done = execPrepared(*query, {idempotencyKey}); !done)
        return unexpected(done.error());
    std::optional<LedgerEntry> found;
    if ((*query)->next())
        found = entryFrom(**query);
    (*query)->finish();
    return found;
}

Expected<QList<LedgerEntry>, LedgerError> SpendLedger::entriesForRun(const QString &runId)
{
    auto query = prepared(QStringLiteral("SELECT %1 FROM entries WHERE run_id = ? ORDER BY id").arg(kEntryColumns));
    if (!query)
        return unexpected(query.error());
    if (auto done = execPrepared(*query, {runId}); !done)
        return unexpected(done.error());
    QList<LedgerEntry> entries;
    while ((*query)->next())
        entries << entryFrom(**query);
    (*query)->finish();
    return entries;
}

Expected<SpendLedger::InsertResult, LedgerError> SpendLedger::insertEntry(const LedgerEntry &e)
{
    auto insert = prepared(QStringLiteral("INSERT INTO entries (idempotency_key, run_id, step, org_key, user_key,"
                                          " session_key, task_key, kind, resource, input_tokens, output_tokens,"
                                          " duration_ms, cost_nanos, reserved_nanos, created_ms, lapsed_hold)"
                                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                          " ON CONFLICT (idempotency_key) DO NOTHING"));
    if (!insert)
        return unexpected(insert.error());
    QVariantList values{text(e.idempotencyKey), text(e.runId), text(e.step)};
    values << scopeValues(e.scopes);
    values << chargeKindName(e.charge.kind) << text(e.charge.resource) << std::max<qint64>(0, e.charge.inputTokens)
           << std::max<qint64>(0, e.charge.outputTokens) << std::max<qint64>(0, e.charge.durationMs)
           << e.charge.cost.nanos() << e.reserved.nanos() << e.time.toMSecsSinceEpoch() << text(e.lapsedHold);
    if (auto done = execPrepared(*insert, values); !done)
        return unexpected(done.error());
    if ((*insert)->numRowsAffected() == 0) {
        auto existing = findEntry(e.idempotencyKey);
        if (!existing)
            return unexpected(existing.error());
        if (!*existing)
            return unexpected(LedgerError{QStringLiteral("entry %1 conflicts but cannot be read").arg(e.idempotencyKey)});
        return InsertResult{**existing, false};
    }
    LedgerEntry stored = e;
    stored.id = (*insert)->lastInsertId().toLongLong();

    auto upsert = prepared(QStringLiteral("INSERT INTO spend_slots (level, scope_key, slot, cost_nanos, entries)"
                                          " VALUES (?, ?, ?, ?, 1) ON CONFLICT (level, scope_key, slot) DO UPDATE"
                                          " SET cost_nanos = cost_nanos + excluded.cost_nanos,"
                                          " entries = entries + 1"));
    if (!upsert)
        return unexpected(upsert.error());
    const qint64 slot = slotOf(e.time.toMSecsSinceEpoch());
    for (ScopeLevel level : kScopeLevels) {
        if (e.scopes.key(level).isEmpty())
            continue;
        if (auto done = execPrepared(*upsert, {int(level), e.scopes.key(level), slot, e.charge.cost.nanos()}); !done)
            return unexpected(done.error());
    }
    return InsertResult{stored, true};
}

Expected<bool, LedgerError> SpendLedger::recordAlert(ScopeLevel level, const QString &key, qint64 periodStartMs,
                                                     const QString &state, qint64 nowMs)
{
    auto query = prepared(QStringLiteral("INSERT OR IGNORE INTO alerts (level, scope_key, period_start_ms, state,"
                                         " fired_ms) VALUES (?, ?, ?, ?, ?)"));
    if (!query)
        return unexpected(query.error());
    if (auto done = execPrepared(*query, {int(level), text(key), periodStartMs, state, nowMs}); !done)
        return unexpected(done.error());
    return (*query)->numRowsAffected() > 0;
}

Expected<bool, LedgerError> SpendLedger::aggregatesMatchEntries()
{
    for (ScopeLevel level : kScopeLevels) {
        const QString column = QLatin1String(scopeColumn(level));
        auto fromEntries = scalar(QStringLiteral("SELECT COALESCE(SUM(cost_nanos), 0) || '/' || COUNT(*)"
                                                 " FROM entries WHERE %1 <> ''").arg(column), {});
        auto fromSlots = scalar(QStringLiteral("SELECT COALESCE(SUM(cost_nanos), 0) || '/' || COALESCE(SUM(entries), 0)"
                                               " FROM spend_slots WHERE level = ?"), {int(level)});
        if (!fromEntries)
            return unexpected(fromEntries.error());
        if (!fromSlots)
            return unexpected(fromSlots.error());
        if (fromEntries->toString() != fromSlots->toString())
            return false;
    }
    return true;
}

} // namespace safecell
