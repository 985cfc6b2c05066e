#include "routing/CircuitBreaker.h"

#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace safecell;

class TestCircuitBreaker : public QObject {
    Q_OBJECT
private:
    ManualClock m_clock{QDateTime::currentDateTimeUtc()};

    void fail(CircuitBreaker &b, int times)
    {
        for (int i = 0; i < times; ++i) {
            QVERIFY(b.tryAcquire());
            b.recordFailure();
        }
    }

private Q_SLOTS:
    void opensAfterFiveConsecutiveFailures()
    {
        CircuitBreaker b(m_clock);
        fail(b, 4);
        QCOMPARE(b.state(), BreakerState::Closed);
        QVERIFY(b.tryAcquire());
        b.recordFailure();
        QCOMPARE(b.state(), BreakerState::Open);
        QVERIFY(!b.tryAcquire());
    }

    void aSuccessResetsTheCount()
    {
        CircuitBreaker b(m_clock);
        fail(b, 4);
        QVERIFY(b.tryAcquire());
        b.recordSuccess();
        QCOMPARE(b.consecutiveFailures(), 0);
        fail(b, 4);
        QCOMPARE(b.state(), BreakerState::Closed);
    }

    void halfOpenAfterTheCoolDownAllowsExactlyOneTrial()
    {
        CircuitBreaker b(m_clock); // default cool-down: 60 s
        fail(b, 5);
        m_clock.advanceMs(59'999);
        QCOMPARE(b.state(), BreakerState::Open);
        QVERIFY(!b.tryAcquire());
        QCOMPARE(b.msUntilTrial(), 1);
        m_clock.advanceMs(1);
        QCOMPARE(b.state(), BreakerState::HalfOpen);
        QVERIFY(b.tryAcquire());  // the trial
        QVERIFY(!b.tryAcquire()); // no second one while it runs
        QVERIFY(!b.tryAcquire());
        b.recordSuccess();
        QCOMPARE(b.state(), BreakerState::Closed);
        QVERIFY(b.tryAcquire());
        QVERIFY(b.tryAcquire());
    }

    void aFailedTrialReopensForAnotherCoolDown()
    {
        CircuitBreaker b(m_clock, {5, 1000});
        fail(b, 5);
        m_clock.advanceMs(1000);
        QVERIFY(b.tryAcquire());
        b.recordFailure();
        QCOMPARE(b.state(), BreakerState::Open);
        m_clock.advanceMs(999);
        QVERIFY(!b.tryAcquire());
        m_clock.advanceMs(1);
        QVERIFY(b.tryAcquire());
        b.recordSuccess();
        QCOMPARE(b.state(), BreakerState::Closed);
    }

    void anAbandonedTrialFreesTheSlot()
    {
        CircuitBreaker b(m_clock, {5, 1000});
        fail(b, 5);
        m_clock.advanceMs(1000);
        QVERIFY(b.tryAcquire());
        b.recordAbandoned();
        QCOMPARE(b.state(), BreakerState::HalfOpen);
        QVERIFY(b.tryAcquire());
    }

    void lateRepliesDoNotMoveAnOpenBreaker()
    {
        CircuitBreaker b(m_clock, {5, 1000});
        fail(b, 5);
        b.recordSuccess(); // from a call started before it opened
        QCOMPARE(b.state(), BreakerState::Open);
        m_clock.advanceMs(500);
        b.recordFailure(); // does not extend the cool-down
        m_clock.advanceMs(500);
        QCOMPARE(b.state(), BreakerState::HalfOpen);
    }

    void oneTrialAcrossThreads()
    {
        CircuitBreaker b(m_clock, {5, 1000});
        fail(b, 5);
        m_clock.advanceMs(1000);
        std::atomic<int> granted{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 1000; ++i)
                    granted += b.tryAcquire() ? 1 : 0;
            });
        for (auto &t : threads)
            t.join();
        QCOMPARE(granted.load(), 1);
    }

    void registryKeepsOneBreakerPerModel()
    {
        CircuitBreakers breakers(m_clock);
        CircuitBreaker &a = breakers.forModel(QStringLiteral("a"));
        QCOMPARE(&breakers.forModel(QStringLiteral("a")), &a);
        QVERIFY(&breakers.forModel(QStringLiteral("b")) != &a);
    }
};

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
