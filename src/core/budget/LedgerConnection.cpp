#include "LedgerConnection.h"

#include "common/Logging.h"

#include <QDeadlineTimer>
#include <QSqlError>
#include <QThread>
#include <QUuid>

#include <algorithm>

namespace safecell {

namespace {

constexpr int kBusyTimeoutMs = 10000;

} // namespace

LedgerConnection::LedgerConnection(QString path, QString connectionName)
    : m_path(std::move(path))
    , m_connectionName(std::move(connectionName))
{
}

LedgerConnection::~LedgerConnection()
{
    // The statements hold the connection open; they go first.
    m_statements.clear();
    if (m_db.isValid())
        m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

Expected<std::unique_ptr<LedgerConnection>, LedgerError> LedgerConnection::open(const QString &path)
{
    const QString name = QStringLiteral("safecell.ledger.") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    std::unique_ptr<LedgerConnection> connection(new LedgerConnection(path, name));
    connection->m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    connection->m_db.setDatabaseName(path);
    connection->m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    if (!connection->m_db.open())
        return unexpected(LedgerError{
            QStringLiteral("cannot open the ledger %1: %2").arg(path, connection->m_db.lastError().text())});
    if (auto configured = connection->configure(); !configured)
        return unexpected(configured.error());
    return connection;
}

Expected<Done, LedgerError> LedgerConnection::configure()
{
    QSqlQuery query(m_db);
    // Turning a new file to WAL takes an exclusive lock: two connections
    // doing it at once both hold a shared lock and wait for each other, so
    // SQLite answers one of them SQLITE_BUSY at once, past the busy
    // timeout. That one tries again, for about as long again (a last try
    // may itself wait out the busy timeout).
    const QDeadlineTimer deadline(kBusyTimeoutMs);
    for (int attempt = 0; !query.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !query.next(); ++attempt) {
        if (query.lastError().nativeErrorCode() != QLatin1String("5") || deadline.hasExpired())
            return unexpected(error(QStringLiteral("journal_mode"), query));
        query.finish();
        QThread::msleep(std::min(1UL << std::min(attempt, 7), 100UL));
    }
    if (query.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        return unexpected(
            LedgerError{QStringLiteral("the ledger cannot use WAL (journal mode %1)").arg(query.value(0).toString())});
    query.finish();
    for (const char *pragma : {"PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
        if (auto done = execDirect(QString::fromLatin1(pragma)); !done)
            return done;
    }
    return Done{};
}

LedgerError LedgerConnection::error(const QString &what, const QSqlQuery &query) const
{
    return LedgerError{QStringLiteral("ledger %1 failed: %2").arg(what, query.lastError().text())};
}

Expected<Done, LedgerError> LedgerConnection::execDirect(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return unexpected(error(sql.left(40), query));
    query.finish();
    return Done{};
}

Expected<QSqlQuery *, LedgerError> LedgerConnection::prepared(const QString &sql)
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

Expected<Done, LedgerError> LedgerConnection::execPrepared(QSqlQuery *query, const QVariantList &values)
{
    for (qsizetype i = 0; i < values.size(); ++i)
        query->bindValue(int(i), values.at(i));
    if (!query->exec())
        return unexpected(error(query->lastQuery().left(40), *query));
    return Done{};
}

Expected<QVariant, LedgerError> LedgerConnection::scalar(const QString &sql, const QVariantList &values)
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

int LedgerConnection::pragmaValue(const QString &name)
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA ") + name) || !query.next())
        return -1;
    return query.value(0).toInt();
}

Expected<Done, LedgerError> LedgerConnection::transaction(const QString &begin, const Work &work)
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

Expected<Done, LedgerError> LedgerConnection::writeTransaction(const Work &work, Durability durability)
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

Expected<Done, LedgerError> LedgerConnection::readTransaction(const Work &work)
{
    return transaction(QStringLiteral("BEGIN"), work);
}

} // namespace safecell
