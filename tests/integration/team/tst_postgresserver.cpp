// The harness that starts a real PostgreSQL for the team ledger's tests
// (issue 21): what they rely on, shown to hold.
#include "PostgresServer.h"

#include <QFile>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <signal.h>

using safecell::test::PostgresServer;

namespace {

qint64 serverPid(const QString &dataDir)
{
    QFile pidFile(dataDir + QStringLiteral("/postmaster.pid"));
    if (!pidFile.open(QIODevice::ReadOnly))
        return 0;
    return pidFile.readLine().trimmed().toLongLong();
}

int countRows(QSqlDatabase db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("SELECT count(*) FROM kept")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

} // namespace

class TestPostgresServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // The test must never pass for want of a server: CI installs it.
        QVERIFY2(!PostgresServer::binDir().isEmpty(), "postgresql-15 is not installed; run scripts/setup");
    }

    void socketAndPasswordConnections()
    {
        auto server = PostgresServer::start();
        QVERIFY2(server, server ? "" : qPrintable(server.error()));
        QVERIFY((*server)->isRunning());
        {
            QSqlDatabase socket = (*server)->connect(QStringLiteral("socket"), QStringLiteral("postgres"),
                                                     QString::fromLatin1(PostgresServer::kSuperuser));
            QVERIFY2(socket.isOpen(), qPrintable(socket.lastError().text()));
            QSqlQuery query(socket);
            QVERIFY(query.exec(QStringLiteral("SELECT current_user, inet_server_addr() IS NULL")));
            QVERIFY(query.next());
            QCOMPARE(query.value(0).toString(), QStringLiteral("postgres"));
            QVERIFY2(query.value(1).toBool(), "the socket connection went over TCP");

            QSqlDatabase tcp = (*server)->connect(QStringLiteral("tcp"), QStringLiteral("postgres"),
                                                  QString::fromLatin1(PostgresServer::kSuperuser),
                                                  QString::fromLatin1(PostgresServer::kSuperuserPassword));
            QVERIFY2(tcp.isOpen(), qPrintable(tcp.lastError().text()));
            QSqlQuery overTcp(tcp);
            QVERIFY(overTcp.exec(QStringLiteral("SELECT host(inet_server_addr())")));
            QVERIFY(overTcp.next());
            QCOMPARE(overTcp.value(0).toString(), QStringLiteral("127.0.0.1"));

            QSqlDatabase wrong = (*server)->connect(QStringLiteral("wrong"), QStringLiteral("postgres"),
                                                    QString::fromLatin1(PostgresServer::kSuperuser),
                                                    QStringLiteral("not-the-password"));
            QVERIFY(!wrong.isOpen());
            QVERIFY2(wrong.lastError().text().contains(QStringLiteral("password authentication failed")),
                     qPrintable(wrong.lastError().text()));
        }
        for (const char *name : {"socket", "tcp", "wrong"})
            QSqlDatabase::removeDatabase(QString::fromLatin1(name));
    }

    // The team ledger's outage tests stop the server mid-run and start it
    // again: committed rows are kept, and connections fail meanwhile.
    void stopAndRestartKeepCommittedData()
    {
        auto server = PostgresServer::start();
        QVERIFY2(server, server ? "" : qPrintable(server.error()));
        const auto made = (*server)->exec(QStringLiteral("postgres"),
                                          {QStringLiteral("CREATE TABLE kept (n integer)"),
                                           QStringLiteral("INSERT INTO kept SELECT generate_series(1, 25)")});
        QVERIFY2(made, made ? "" : qPrintable(made.error()));

        const auto stopped = (*server)->stop();
        QVERIFY2(stopped, stopped ? "" : qPrintable(stopped.error()));
        QVERIFY(!(*server)->isRunning());
        {
            QSqlDatabase down = (*server)->connect(QStringLiteral("down"), QStringLiteral("postgres"),
                                                   QString::fromLatin1(PostgresServer::kSuperuser));
            QVERIFY(!down.isOpen());
        }
        QSqlDatabase::removeDatabase(QStringLiteral("down"));

        const auto restarted = (*server)->restart();
        QVERIFY2(restarted, restarted ? "" : qPrintable(restarted.error()));
        {
            QSqlDatabase up = (*server)->connect(QStringLiteral("up"), QStringLiteral("postgres"),
                                                 QString::fromLatin1(PostgresServer::kSuperuser));
            QVERIFY2(up.isOpen(), qPrintable(up.lastError().text()));
            QCOMPARE(countRows(up), 25);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("up"));
    }

    // Nothing outlives a test: the server process is gone with the harness.
    void destructionStopsTheServer()
    {
        qint64 pid = 0;
        QString socketDir;
        {
            auto server = PostgresServer::start();
            QVERIFY2(server, server ? "" : qPrintable(server.error()));
            socketDir = (*server)->socketDir();
            pid = serverPid(socketDir.chopped(QStringLiteral("socket").size()) + QStringLiteral("data"));
            QVERIFY(pid > 0);
            QCOMPARE(::kill(static_cast<pid_t>(pid), 0), 0);
        }
        QTRY_VERIFY_WITH_TIMEOUT(::kill(static_cast<pid_t>(pid), 0) != 0, 10000);
        QVERIFY(!QFile::exists(socketDir));
    }
};

QTEST_GUILESS_MAIN(TestPostgresServer)
#include "tst_postgresserver.moc"
