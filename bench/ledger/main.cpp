// bench_ledger [DIR] [ENTRIES]
// Prints figures; asserts nothing. DIR (default: the current folder) should
// be on the disk SafeCell's data folder uses: on tmpfs fsync costs nothing.
#include "budget/BudgetController.h"
#include "budget/SpendLedger.h"
#include "budget/TeamLedger.h"
#include "common/Clock.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>

#ifdef SAFECELL_BENCH_POSTGRES
#include "PostgresServer.h"
#endif

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <vector>

using namespace safecell;

namespace {

struct Stats {
    double p50 = 0, p99 = 0, max = 0;
};

Stats stats(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * double(ms.size())))]; };
    return {at(0.50), at(0.99), ms.back()};
}

void print(const char *what, const Stats &s, size_t n)
{
    std::printf("%-44s p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms  (n=%zu)\n", what, s.p50, s.p99, s.max, n);
    std::fflush(stdout);
}

double elapsedMs(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

const char *fsName(long type)
{
    switch (type) {
    case 0xEF53:
        return "ext2/3/4";
    case 0x01021994:
        return "tmpfs (fsync is free: figures are not disk figures)";
    case 0x794c7630:
        return "overlayfs";
    case 0x9123683E:
        return "btrfs";
    case 0x58465342:
        return "xfs";
    default:
        return "other";
    }
}

void benchFsync(const QString &dir)
{
    const QByteArray path = QDir(dir).filePath(QStringLiteral("fsync.probe")).toLocal8Bit();
    const int fd = ::open(path.constData(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    if (fd < 0)
        return;
    char block[4096] = {};
    for (const bool data : {true, false}) {
        std::vector<double> ms;
        for (int i = 0; i < 200; ++i) {
            QElapsedTimer t;
            t.start();
            if (::pwrite(fd, block, sizeof block, off_t(i % 16) * 4096) != ssize_t(sizeof block))
                break;
            data ? ::fdatasync(fd) : ::fsync(fd);
            ms.push_back(elapsedMs(t));
        }
        print(data ? "4 KiB write + fdatasync" : "4 KiB write + fsync", stats(ms), ms.size());
    }
    ::close(fd);
    ::unlink(path.constData());
}

QString sqliteVersion()
{
    QString version;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("bench.version"));
        db.setDatabaseName(QStringLiteral(":memory:"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT sqlite_version()")) && q.next())
                version = q.value(0).toString();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench.version"));
    return version;
}

void benchReserveSettle(BudgetController &budget, const BudgetScopes &scopes, const char *label, int n)
{
    std::vector<double> reserveMs, settleMs, pairMs;
    for (int i = 0; i < n; ++i) {
        QElapsedTimer t;
        t.start();
        auto r = budget.reserve(Money::fromNanos(1'000'000), scopes, QStringLiteral("bench-run"),
                                QStringLiteral("step-%1-%2").arg(QLatin1String(label)).arg(i));
        const double reserved = elapsedMs(t);
        if (!r) {
            std::printf("reserve failed: %s\n", qPrintable(r.error().message));
            return;
        }
        Charge c;
        c.kind = ChargeKind::Llm;
        c.resource = QStringLiteral("command-r-08-2024");
        c.inputTokens = 900;
        c.outputTokens = 300;
        c.cost = Money::fromNanos(315'000);
        if (!budget.settle(*r, c)) {
            std::printf("settle failed\n");
            return;
        }
        const double total = elapsedMs(t);
        reserveMs.push_back(reserved);
        settleMs.push_back(total - reserved);
        pairMs.push_back(total);
    }
    std::printf("-- %s\n", label);
    print("reserve (BEGIN IMMEDIATE, check, hold)", stats(reserveMs), reserveMs.size());
    print("settle (entry + aggregates + free hold)", stats(settleMs), settleMs.size());
    print("reserve + settle", stats(pairMs), pairMs.size());
}

void benchSnapshot(BudgetController &budget, const BudgetScopes &scopes, const char *label)
{
    std::vector<double> ms;
    Money spent;
    for (int i = 0; i < 200; ++i) {
        QElapsedTimer t;
        t.start();
        auto s = budget.snapshot(scopes);
        ms.push_back(elapsedMs(t));
        if (s)
            spent = s->spent;
    }
    std::printf("-- %s (spent in period %s)\n", label, qPrintable(spent.toString()));
    print("snapshot (org, user, session)", stats(ms), ms.size());
}

bool populate(SpendLedger &ledger, qint64 entries, const BudgetPeriod &period)
{
    QRandomGenerator random(7);
    const qint64 span = period.start.msecsTo(period.end) - 1;
    const qint64 batch = 50'000;
    QElapsedTimer timer;
    timer.start();
    for (qint64 done = 0; done < entries;) {
        auto ok = ledger.writeTransaction([&]() -> Expected<Done, LedgerError> {
            for (qint64 i = 0; i < batch && done < entries; ++i, ++done) {
                LedgerEntry e;
                e.idempotencyKey = QStringLiteral("bulk-%1").arg(done);
                e.runId = QStringLiteral("run-%1").arg(done / 2);
                e.step = QStringLiteral("generate");
                e.scopes = BudgetScopes::of(QStringLiteral("acme"), QStringLiteral("user-%1").arg(done % 5),
                                            QStringLiteral("session-%1").arg(done % 1000), e.runId);
                e.charge.kind = ChargeKind::Llm;
                e.charge.resource = QStringLiteral("command-r7b-12-2024");
                e.charge.inputTokens = 500;
                e.charge.outputTokens = 200;
                e.charge.cost = Money::fromNanos(48'750);
                e.time = period.start.addMSecs(qint64(random.bounded(double(span))));
                if (auto r = ledger.insertEntry(e); !r)
                    return unexpected(r.error());
            }
            return Done{};
        });
        if (!ok) {
            std::printf("populate failed: %s\n", qPrintable(ok.error().message));
            return false;
        }
        std::printf("\r  populated %lld entries (%.0f s)", (long long)done, double(timer.elapsed()) / 1000);
        std::fflush(stdout);
    }
    std::printf("\n");
    return true;
}

#ifdef SAFECELL_BENCH_POSTGRES
// The team ledger (issue 21) on a PostgreSQL of its own over a Unix socket:
// what a desktop pays per paid step when its team shares one ledger.
void benchTeamLedger(TeamLedger &ledger, const char *label, int n)
{
    std::vector<double> reserveMs, settleMs, pairMs;
    for (int i = 0; i < n; ++i) {
        TeamHoldRequest request;
        request.idempotencyKey = QStringLiteral("bench-%1-%2").arg(QLatin1String(label)).arg(i);
        request.runId = QStringLiteral("bench-run");
        request.step = QStringLiteral("generate");
        request.kind = ChargeKind::Llm;
        request.resource = QStringLiteral("command-r-08-2024");
        request.amount = Money::fromNanos(1'000'000);
        QElapsedTimer t;
        t.start();
        const auto held = ledger.reserve(request);
        const double reserved = elapsedMs(t);
        if (!held || !held->hold) {
            std::printf("team reserve failed: %s\n", held ? "refused" : qPrintable(held.error().message));
            return;
        }
        const auto settled = ledger.settle(held->hold->id, request.idempotencyKey, Money::fromNanos(315'000));
        if (!settled) {
            std::printf("team settle failed: %s\n", qPrintable(settled.error().message));
            return;
        }
        const double total = elapsedMs(t);
        reserveMs.push_back(reserved);
        settleMs.push_back(total - reserved);
        pairMs.push_back(total);
    }
    std::printf("-- PostgreSQL team ledger, Unix socket: %s\n", label);
    print("reserve (lock org + user rows, check, hold)", stats(reserveMs), reserveMs.size());
    print("settle (entry, free hold)", stats(settleMs), settleMs.size());
    print("reserve + settle", stats(pairMs), pairMs.size());
}

int benchPostgres(qint64 entries, const QString &dir)
{
    auto server = test::PostgresServer::start();
    if (!server) {
        std::printf("PostgreSQL: not measured (%s)\n", qPrintable(server.error().section(QLatin1Char('\n'), 0, 0)));
        return 1;
    }
    const auto made = (*server)->exec(QStringLiteral("postgres"), {QStringLiteral("CREATE DATABASE team")});
    if (!made) {
        std::printf("PostgreSQL: %s\n", qPrintable(made.error()));
        return 1;
    }
    const TeamServer where = (*server)->teamServer(QStringLiteral("team"),
                                                   QString::fromLatin1(test::PostgresServer::kSuperuser));
    auto ledger = TeamLedger::open(where);
    if (!ledger || !(*ledger)->migrate()) {
        std::printf("PostgreSQL: cannot set the team ledger up\n");
        return 1;
    }
    if (!(*ledger)->setLimit(ScopeLevel::Org, {}, Money::fromUsd(1'000'000).value())) {
        std::printf("PostgreSQL: cannot set the limit\n");
        return 1;
    }
    benchTeamLedger(**ledger, "empty ledger", 1000);
    {
        // What a paid step pays with a team set: the hold on the server, then
        // the desktop's; the settle on the desktop, then the server's.
        auto local = SpendLedger::open(QDir(dir).filePath(QStringLiteral("team-desktop.sqlite")));
        if (!local) {
            std::printf("PostgreSQL: %s\n", qPrintable(local.error().message));
            return 1;
        }
        BudgetPolicy policy;
        policy.team = where;
        BudgetController budget(**local, policy);
        benchReserveSettle(budget, BudgetScopes::of(QStringLiteral("acme"), where.user, QStringLiteral("session-1")),
                           "BudgetController: desktop SQLite + team PostgreSQL", 300);
    }
    QElapsedTimer timer;
    timer.start();
    const auto populated = (*server)->exec(
        QStringLiteral("team"),
        // Without the entries' triggers row by row (a month of steps does not
        // arrive in one statement; their totals and alerts, one settle at a
        // time), then the totals as the trigger keeps them.
        {QStringLiteral("ALTER TABLE safecell.entries DISABLE TRIGGER USER"),
         QStringLiteral("INSERT INTO safecell.entries (idempotency_key, analyst, run_id, step, kind, resource, "
                        "cost_nanos, created_at) SELECT 'bulk-' || n, 'user-' || (n % 5), 'run-' || (n / 2), "
                        "'generate', 'llm', 'command-r7b-12-2024', 48750, "
                        "date_trunc('month', now()) + (n % 86400) * interval '1 second' "
                        "FROM generate_series(1, %1) AS n")
             .arg(entries),
         QStringLiteral("ALTER TABLE safecell.entries ENABLE TRIGGER USER"),
         QStringLiteral("DELETE FROM safecell.totals"),
         QStringLiteral("INSERT INTO safecell.totals (level, key, period_start, settled_nanos) "
                        "SELECT 'org', 'team', safecell.period_start(created_at), sum(cost_nanos) "
                        "FROM safecell.entries GROUP BY 3 UNION ALL "
                        "SELECT 'user', analyst, safecell.period_start(created_at), sum(cost_nanos) "
                        "FROM safecell.entries GROUP BY 2, 3"),
         QStringLiteral("ANALYZE safecell.entries")});
    if (!populated) {
        std::printf("PostgreSQL: populating failed: %s\n", qPrintable(populated.error()));
        return 1;
    }
    std::printf("-- populated %lld entries in this month (%.0f s)\n", (long long)entries,
                double(timer.elapsed()) / 1000);
    benchTeamLedger(**ledger, "ledger with the entries above", 300);
    return 0;
}
#endif

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString base = args.size() > 1 ? args.at(1) : QDir::currentPath();
    const qint64 entries = args.size() > 2 ? args.at(2).toLongLong() : 1'000'000;
    QTemporaryDir dir(QDir(base).filePath(QStringLiteral("ledger-bench-XXXXXX")));
    if (!dir.isValid()) {
        std::printf("cannot create a folder in %s\n", qPrintable(base));
        return 1;
    }
    struct statfs fs {};
    ::statfs(QFile::encodeName(dir.path()).constData(), &fs);
    std::printf("ledger benchmark in %s\nfile system: %s; SQLite %s; journal WAL, synchronous=FULL\n",
                qPrintable(dir.path()), fsName(long(fs.f_type)), qPrintable(sqliteVersion()));
    benchFsync(dir.path());

    auto ledger = SpendLedger::open(dir.filePath(QStringLiteral("ledger.sqlite")));
    if (!ledger) {
        std::printf("%s\n", qPrintable(ledger.error().message));
        return 1;
    }
    BudgetPolicy policy;
    policy.setLimit(ScopeLevel::Org, Money::fromUsd(1'000'000).value())
        .setLimit(ScopeLevel::User, Money::fromUsd(100'000).value());
    BudgetController budget(**ledger, policy);
    const BudgetScopes scopes = BudgetScopes::of(QStringLiteral("acme"), QStringLiteral("user-1"),
                                                 QStringLiteral("session-1"), QStringLiteral("bench-task"));

    benchReserveSettle(budget, scopes, "empty ledger", 1000);
    std::printf("-- populating %lld entries in this month\n", (long long)entries);
    if (!populate(**ledger, entries, budget.currentPeriod()))
        return 1;
    benchSnapshot(budget, scopes, "snapshot after populating");
    benchReserveSettle(budget, scopes, "ledger with the entries above", 1000);
    std::printf("ledger file: %.1f MiB\n",
                double(QFileInfo(dir.filePath(QStringLiteral("ledger.sqlite"))).size()) / (1024.0 * 1024.0));
#ifdef SAFECELL_BENCH_POSTGRES
    return benchPostgres(entries, dir.path());
#else
    std::printf("PostgreSQL team ledger: not measured (build with tests: it uses their PostgreSQL harness)\n");
    return 0;
#endif
}
