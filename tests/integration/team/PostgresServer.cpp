#include "PostgresServer.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSqlError>
#include <QSqlQuery>
#include <QTcpServer>
#include <QUuid>

#include <pwd.h>
#include <unistd.h>

namespace safecell::test {

namespace {

constexpr int kToolTimeoutMs = 60'000;

// A loopback port nobody listens on now; the server takes it moments later.
int freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// As root the tools run as this user: initdb and postgres refuse root.
const char *kServerUser = "postgres";

bool chownTree(const QString &path, uid_t uid, gid_t gid)
{
    if (::chown(QFile::encodeName(path).constData(), uid, gid) != 0)
        return false;
    const QFileInfoList entries = QDir(path).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
    for (const QFileInfo &entry : entries) {
        if (entry.isDir() && !entry.isSymLink()
                ? !chownTree(entry.filePath(), uid, gid)
                : ::chown(QFile::encodeName(entry.filePath()).constData(), uid, gid) != 0)
            return false;
    }
    return true;
}

} // namespace

QString PostgresServer::binDir()
{
    const QString configured = qEnvironmentVariable("SAFECELL_PG_BINDIR");
    if (!configured.isEmpty())
        return configured;
    QDir versions(QStringLiteral("/usr/lib/postgresql"));
    QStringList names = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
    for (const QString &name : names) {
        const QString bin = versions.filePath(name + QStringLiteral("/bin"));
        if (QFileInfo(bin + QStringLiteral("/initdb")).isExecutable())
            return bin;
    }
    return {};
}

Expected<std::unique_ptr<PostgresServer>, QString> PostgresServer::start()
{
    std::unique_ptr<PostgresServer> server(new PostgresServer);
    server->m_binDir = binDir();
    if (server->m_binDir.isEmpty())
        return unexpected(QStringLiteral("PostgreSQL's server tools are not installed (Debian: postgresql-15; "
                                         "scripts/setup installs it)"));
    if (!server->m_root.isValid())
        return unexpected(QStringLiteral("no temporary folder: %1").arg(server->m_root.errorString()));
    if (::geteuid() == 0) {
        const passwd *user = ::getpwnam(kServerUser);
        if (!user)
            return unexpected(QStringLiteral("running as root, and there is no `postgres` user to run the server as"));
        if (!chownTree(server->m_root.path(), user->pw_uid, user->pw_gid))
            return unexpected(QStringLiteral("could not hand %1 to the postgres user").arg(server->m_root.path()));
    }
    const QString passwordFile = server->m_root.filePath(QStringLiteral("superuser-password"));
    {
        QFile file(passwordFile);
        if (!file.open(QIODevice::WriteOnly))
            return unexpected(QStringLiteral("could not write %1").arg(passwordFile));
        file.write(kSuperuserPassword);
    }
    if (::geteuid() == 0) {
        const passwd *user = ::getpwnam(kServerUser);
        if (::chown(QFile::encodeName(passwordFile).constData(), user->pw_uid, user->pw_gid) != 0)
            return unexpected(QStringLiteral("could not hand the password file to the postgres user"));
    }
    const auto initialised = server->runTool(QStringLiteral("initdb"),
                                             {QStringLiteral("-D"), server->m_root.filePath(QStringLiteral("data")),
                                              QStringLiteral("-U"), QString::fromLatin1(kSuperuser),
                                              QStringLiteral("--pwfile=%1").arg(passwordFile),
                                              QStringLiteral("--auth-local=trust"),
                                              QStringLiteral("--auth-host=scram-sha-256"),
                                              QStringLiteral("--encoding=UTF8"), QStringLiteral("--locale=C.UTF-8"),
                                              QStringLiteral("--no-sync")},
                                             kToolTimeoutMs);
    QFile::remove(passwordFile);
    if (!initialised)
        return unexpected(initialised.error());
    if (!QDir(server->m_root.path()).mkpath(QStringLiteral("socket")))
        return unexpected(QStringLiteral("could not make the socket folder"));
    if (::geteuid() == 0) {
        const passwd *user = ::getpwnam(kServerUser);
        if (::chown(QFile::encodeName(server->socketDir()).constData(), user->pw_uid, user->pw_gid) != 0)
            return unexpected(QStringLiteral("could not hand the socket folder to the postgres user"));
    }
    // A port taken between the probe and the server's bind: try another.
    for (int attempt = 0; attempt < 3; ++attempt) {
        server->m_port = freeLoopbackPort();
        const auto started = server->startServer();
        if (started)
            return server;
        if (attempt == 2)
            return unexpected(started.error());
    }
    return unexpected(QStringLiteral("unreachable"));
}

PostgresServer::~PostgresServer()
{
    if (m_running)
        (void)runTool(QStringLiteral("pg_ctl"),
                      {QStringLiteral("-D"), m_root.filePath(QStringLiteral("data")), QStringLiteral("-m"),
                       QStringLiteral("immediate"), QStringLiteral("-w"), QStringLiteral("stop")},
                      kToolTimeoutMs);
}

QString PostgresServer::socketDir() const
{
    return m_root.filePath(QStringLiteral("socket"));
}

bool PostgresServer::isRunning() const
{
    return m_running;
}

Expected<Done, QString> PostgresServer::startServer()
{
    const QString options = QStringLiteral("-k %1 -p %2 -c listen_addresses=127.0.0.1").arg(socketDir()).arg(m_port);
    const auto started = runTool(QStringLiteral("pg_ctl"),
                                 {QStringLiteral("-D"), m_root.filePath(QStringLiteral("data")), QStringLiteral("-l"),
                                  m_root.filePath(QStringLiteral("server.log")), QStringLiteral("-o"), options,
                                  QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"),
                                  QStringLiteral("start")},
                                 kToolTimeoutMs);
    if (!started) {
        QFile log(m_root.filePath(QStringLiteral("server.log")));
        const QString tail = log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll().right(2000)) : QString();
        return unexpected(QString(started.error() + QStringLiteral("\nserver log:\n") + tail));
    }
    m_running = true;
    return Done{};
}

Expected<Done, QString> PostgresServer::stop()
{
    const auto stopped = runTool(QStringLiteral("pg_ctl"),
                                 {QStringLiteral("-D"), m_root.filePath(QStringLiteral("data")), QStringLiteral("-m"),
                                  QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("stop")},
                                 kToolTimeoutMs);
    if (stopped)
        m_running = false;
    return stopped;
}

Expected<Done, QString> PostgresServer::restart()
{
    return startServer();
}

Expected<Done, QString> PostgresServer::runTool(const QString &tool, const QStringList &arguments, int timeoutMs) const
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    const QString program = m_binDir + QLatin1Char('/') + tool;
    if (::geteuid() == 0)
        process.start(QStringLiteral("runuser"),
                      QStringList{QStringLiteral("-u"), QString::fromLatin1(kServerUser), QStringLiteral("--"), program}
                          + arguments);
    else
        process.start(program, arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return unexpected(QStringLiteral("%1 did not finish within %2 s").arg(tool).arg(timeoutMs / 1000));
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return unexpected(QStringLiteral("%1 failed (exit %2): %3")
                              .arg(tool)
                              .arg(process.exitCode())
                              .arg(QString::fromLocal8Bit(process.readAll()).trimmed()));
    return Done{};
}

QSqlDatabase PostgresServer::connect(const QString &connectionName, const QString &database, const QString &user,
                                     const QString &password) const
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setDatabaseName(database);
    db.setUserName(user);
    if (password.isEmpty()) {
        db.setHostName(socketDir());
    } else {
        db.setHostName(QStringLiteral("127.0.0.1"));
        db.setPassword(password);
    }
    db.setPort(m_port);
    db.setConnectOptions(QStringLiteral("connect_timeout=5"));
    db.open();
    return db;
}

TeamServer PostgresServer::teamServer(const QString &database, const QString &user) const
{
    TeamServer server;
    server.host = socketDir();
    server.port = m_port;
    server.database = database;
    server.user = user;
    server.tlsMode = QStringLiteral("disable");
    return server;
}

QString PostgresServer::teamUrl(const QString &database, const QString &user) const
{
    return QStringLiteral("postgresql://%1@/%2?host=%3&port=%4&sslmode=disable")
        .arg(user, database, socketDir())
        .arg(m_port);
}

Expected<Done, QString> PostgresServer::exec(const QString &database, const QStringList &statements) const
{
    const QString name = QStringLiteral("pg-test-admin-") + QUuid::createUuid().toString(QUuid::Id128);
    QString error;
    {
        QSqlDatabase db = connect(name, database, QString::fromLatin1(kSuperuser));
        if (!db.isOpen()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            for (const QString &statement : statements) {
                if (!query.exec(statement)) {
                    error = QStringLiteral("%1: %2").arg(statement, query.lastError().text());
                    break;
                }
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    if (!error.isEmpty())
        return unexpected(error);
    return Done{};
}

} // namespace safecell::test
