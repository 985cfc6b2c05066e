#include "budget/BudgetController.h"
#include "budget/SpendLedger.h"

#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace safecell;
using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kDollar = 1'000'000'000;
constexpr qint64 kLargestEstimate = 6'000'000;

QString client()
{
    return qEnvironmentVariable("LEDGER_CLIENT");
}
} // namespace

class TestLedgerProcesses : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(QFile::exists(client())); }

    void twoProcessesNeverOverspendTogether()
    {
        const QString path = m_dir.filePath(u"contend.sqlite"_s);
        {
            QVERIFY(SpendLedger::open(path));
        } // create it before the race
        QElapsedTimer timer;
        timer.start();
        QProcess a, b;
        a.start(client(), {u"contend"_s, path, u"1000"_s, u"11"_s});
        b.start(client(), {u"contend"_s, path, u"1000"_s, u"22"_s});
        QVERIFY(a.waitForFinished(120'000));
        QVERIFY(b.waitForFinished(120'000));
        QCOMPARE(a.exitCode(), 0);
        QCOMPARE(b.exitCode(), 0);
        qint64 reportedNanos = 0;
        int reserved = 0, refused = 0;
        static const QRegularExpression done(u"done reserved=(\\d+) refused=(\\d+) settled_nanos=(\\d+)"_s);
        for (QProcess *p : {&a, &b}) {
            const auto m = done.match(QString::fromUtf8(p->readAllStandardOutput()));
            QVERIFY2(m.hasMatch(), p->readAllStandardError().constData());
            reserved += m.captured(1).toInt();
            refused += m.captured(2).toInt();
            reportedNanos += m.captured(3).toLongLong();
        }
        QCOMPARE(reserved + refused, 2000);

        auto ledger = SpendLedger::open(path);
        QVERIFY(ledger);
        const qint64 total = (*ledger)->totalSettled()->nanos();
        qInfo() << "two processes:" << reserved << "settled," << refused << "refused, total" << total
                << "nanodollars in" << timer.elapsed() << "ms";
        QVERIFY2(total <= kDollar, qPrintable(u"settled %1 > $1"_s.arg(total)));
        QCOMPARE(total, reportedNanos);
        QCOMPARE(*(*ledger)->entryCount(), qint64(reserved));
        QVERIFY(refused > 0);                        // the limit was reached...
        QVERIFY(total > kDollar - kLargestEstimate); // ...and used up
        QVERIFY(*(*ledger)->aggregatesMatchEntries());
        QCOMPARE(*(*ledger)->integrityCheck(), u"ok"_s);
    }

    void twoThreadsNeverOverspendTogether()
    {
        const QString path = m_dir.filePath(u"threads.sqlite"_s);
        {
            QVERIFY(SpendLedger::open(path));
        }
        std::atomic<qint64> settled{0};
        std::atomic<int> errors{0};
        auto worker = [&](quint32 seed) {
            auto ledger = SpendLedger::open(path); // one connection per thread
            if (!ledger) {
                ++errors;
                return;
            }
            BudgetPolicy policy;
            policy.setLimit(ScopeLevel::Org, Money::fromNanos(100'000'000)); // $0.10
            BudgetController budget(**ledger, policy);
            QRandomGenerator random(seed);
            for (int i = 0; i < 150; ++i) {
                const qint64 estimate = 2'000'000 + qint64(random.bounded(4'000'001));
                auto r = budget.reserve(Money::fromNanos(estimate), BudgetScopes::of(u"acme"_s));
                if (!r) {
                    errors += r.error().kind == BudgetError::Kind::OverBudget ? 0 : 1;
                    continue;
                }
                Charge c;
                c.cost = Money::fromNanos(estimate);
                auto s = budget.settle(*r, c);
                if (!s)
                    ++errors;
                else
                    settled += s->entry.charge.cost.nanos();
            }
        };
        std::thread t1(worker, 1), t2(worker, 2);
        t1.join();
        t2.join();
        QCOMPARE(errors.load(), 0);
        auto ledger = SpendLedger::open(path);
        QVERIFY(ledger);
        QCOMPARE((*ledger)->totalSettled()->nanos(), settled.load());
        QVERIFY(settled.load() <= 100'000'000);
        QVERIFY(settled.load() > 100'000'000 - kLargestEstimate);
    }

    void killedWhileSettlingLosesNothingAndCountsNothingTwice()
    {
        const QString path = m_dir.filePath(u"crash.sqlite"_s);
        {
            QVERIFY(SpendLedger::open(path));
        }
        QHash<QString, qint64> confirmed; // key -> cost, printed after commit
        QRandomGenerator random(42);
        int next = 0;
        for (int round = 0; round < 6; ++round) {
            // Each round starts a little before the last confirmed entry, so
            // entries are settled again after the crash (a retry).
            const int first = std::max(0, next - 3);
            QProcess child;
            child.start(client(), {u"settle"_s, path, QString::number(first), u"100000"_s});
            QVERIFY(child.waitForStarted());
            QVERIFY(child.waitForReadyRead(10'000)); // "ready"
            QTest::qWait(50 + int(random.bounded(250)));
            child.kill(); // SIGKILL
            QVERIFY(child.waitForFinished(10'000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
            const QStringList lines = QString::fromUtf8(child.readAllStandardOutput()).split(u'\n');
            for (const QString &line : lines) {
                const QStringList parts = line.split(u' ');
                if (parts.size() == 3 && parts.at(0) == u"settled"_s) {
                    confirmed.insert(parts.at(1), parts.at(2).toLongLong());
                    next = std::max(next, parts.at(1).mid(6).toInt() + 1);
                }
            }
        }
        QVERIFY2(confirmed.size() > 10, "the children settled too little to test anything");

        auto ledger = SpendLedger::open(path);
        QVERIFY(ledger);
        QCOMPARE(*(*ledger)->integrityCheck(), u"ok"_s);
        for (auto it = confirmed.cbegin(); it != confirmed.cend(); ++it) {
            auto entry = (*ledger)->findEntry(it.key());
            QVERIFY2(entry && *entry, qPrintable(it.key() + u" was confirmed but is missing"_s));
            QCOMPARE((*entry)->charge.cost.nanos(), it.value());
        }
        // Exactly once: keys are unique, and every entry is crash-0 .. crash-(n-1)
        // with at most one committed-but-unconfirmed entry per kill.
        auto entries = (*ledger)->entriesForRun(u"run-crash"_s);
        QVERIFY(entries);
        QSet<QString> keys;
        qint64 sum = 0;
        for (const LedgerEntry &e : *entries) {
            QVERIFY(!keys.contains(e.idempotencyKey));
            keys.insert(e.idempotencyKey);
            sum += e.charge.cost.nanos();
        }
        QVERIFY(keys.size() >= confirmed.size());
        QVERIFY(keys.size() <= confirmed.size() + 6);
        QCOMPARE((*ledger)->totalSettled()->nanos(), sum);
        QVERIFY(*(*ledger)->aggregatesMatchEntries());
        qInfo() << confirmed.size() << "confirmed settles," << keys.size() << "entries after 6 kills";
    }
};

QTEST_GUILESS_MAIN(TestLedgerProcesses)
#include "tst_ledgerprocesses.moc"
