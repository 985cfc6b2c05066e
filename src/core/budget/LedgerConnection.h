#pragma once

#include "LedgerTypes.h"

#include "common/Expected.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>

namespace safecell {

// One named SQLite connection to the ledger file, in WAL with
// synchronous=FULL, and what every ledger query runs through: the
// prepared-statement cache, the exec helpers (SQL failures come back as
// LedgerError values) and the transactions. A connection belongs to the
// thread that opened it. It knows nothing of the ledger's tables.
class LedgerConnection {
public:
    using Work = std::function<Expected<Done, LedgerError>()>;

    // How a write transaction's commit reaches the disk.
    enum class Durability {
        // synchronous=FULL: the commit is on disk when it returns (money
        // that was spent: settled entries).
        Full,
        // synchronous=NORMAL for this commit only: atomic and immediately
        // visible to every other connection and process (so limits still
        // hold), durable with the next Full commit. For releases: a release
        // lost with the machine leaves a hold that is charged when it
        // lapses, which overstates spend and never hides it; saves one fsync.
        UntilNextFullCommit,
    };

    // A new connection to the file at `path`, configured; the schema is
    // not touched (see LedgerMigrations.h).
    static Expected<std::unique_ptr<LedgerConnection>, LedgerError> open(const QString &path);
    ~LedgerConnection();
    LedgerConnection(const LedgerConnection &) = delete;
    LedgerConnection &operator=(const LedgerConnection &) = delete;

    QString path() const { return m_path; }
    QSqlDatabase database() const { return m_db; }

    // Runs `work` inside BEGIN IMMEDIATE .. COMMIT (ROLLBACK when it fails).
    // Inside another transaction, `work` is part of that one.
    Expected<Done, LedgerError> writeTransaction(const Work &work, Durability durability = Durability::Full);
    // Runs `work` in one read transaction: a consistent view.
    Expected<Done, LedgerError> readTransaction(const Work &work);

    // A prepared statement, prepared once per connection; it stays owned
    // by the connection.
    Expected<QSqlQuery *, LedgerError> prepared(const QString &sql);
    // Binds `values` in order and runs the statement.
    Expected<Done, LedgerError> execPrepared(QSqlQuery *query, const QVariantList &values);
    // Runs one statement that is not worth caching (pragmas, BEGIN, DDL).
    Expected<Done, LedgerError> execDirect(const QString &sql);
    // The first column of the first row (null when there is none).
    Expected<QVariant, LedgerError> scalar(const QString &sql, const QVariantList &values);
    // `PRAGMA name` read as a number; -1 when it cannot be read.
    int pragmaValue(const QString &name);
    LedgerError error(const QString &what, const QSqlQuery &query) const;

private:
    LedgerConnection(QString path, QString connectionName);
    Expected<Done, LedgerError> configure();
    Expected<Done, LedgerError> transaction(const QString &begin, const Work &work);

    QString m_path;
    QString m_connectionName;
    QSqlDatabase m_db;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
    bool m_inTransaction = false;
};

} // namespace safecell
