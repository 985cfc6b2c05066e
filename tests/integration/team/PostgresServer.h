#pragma once

#include "budget/TeamServer.h"
#include "common/Expected.h"

#include <QSqlDatabase>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <variant>

namespace safecell::test {

using Done = std::monostate;

// A real PostgreSQL server of the test's own (issue 21): initdb into a
// temporary folder and pg_ctl, from Debian's postgresql-15, listening on a
// Unix socket in that folder and on a loopback port. initdb and the server
// refuse to run as root, so as root (CI) they run as the `postgres` user
// the package creates. Stopped (immediately) and removed when destroyed.
//
// The superuser `postgres` may connect over the socket without a password
// (trust), and over TCP with kSuperuserPassword (scram-sha-256), so tests
// can try both ways a desktop connects.
class PostgresServer {
public:
    static constexpr char kSuperuser[] = "postgres";
    static constexpr char kSuperuserPassword[] = "test-superuser-password";

    // initdb and start; the error names the step that failed and its output.
    static Expected<std::unique_ptr<PostgresServer>, QString> start();
    ~PostgresServer();
    PostgresServer(const PostgresServer &) = delete;
    PostgresServer &operator=(const PostgresServer &) = delete;

    QString socketDir() const;
    int port() const { return m_port; }
    bool isRunning() const;

    // pg_ctl stop -m fast: committed work is kept, connections are cut.
    Expected<Done, QString> stop();
    // Starts it again on the same socket and port.
    Expected<Done, QString> restart();

    // A new QPSQL connection named `connectionName` (removed by the caller
    // with QSqlDatabase::removeDatabase), opened on the socket, or on
    // 127.0.0.1 when `password` is given.
    QSqlDatabase connect(const QString &connectionName, const QString &database, const QString &user,
                         const QString &password = {}) const;

    // How `user` reaches `database` here, as a desktop would: over the
    // socket, without TLS (a socket has nothing for it to protect).
    TeamServer teamServer(const QString &database, const QString &user) const;
    // The same as a URL, for the CLI and the client processes.
    QString teamUrl(const QString &database, const QString &user) const;

    // Runs statements as the superuser over the socket; the first error.
    Expected<Done, QString> exec(const QString &database, const QStringList &statements) const;

    // Where Debian's server binaries are: SAFECELL_PG_BINDIR, or the
    // newest /usr/lib/postgresql/N/bin holding initdb; empty when none.
    static QString binDir();

private:
    PostgresServer() = default;
    Expected<Done, QString> runTool(const QString &tool, const QStringList &arguments, int timeoutMs) const;
    Expected<Done, QString> startServer();

    QTemporaryDir m_root;
    QString m_binDir;
    int m_port = 0;
    bool m_running = false;
};

} // namespace safecell::test
