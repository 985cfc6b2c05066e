// Retiring a thread never waits; the application's end waits for every
// retired thread to finish its work, so none runs while static objects go.
#include "common/RetiredThreads.h"

#include <QPointer>
#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace safecell;

class TestRetiredThreads : public QObject {
    Q_OBJECT
private:
    // A thread that works until `gate` is released, then sets `done`.
    static QThread *blockedThread(QSemaphore &gate, std::atomic<bool> &done)
    {
        auto *thread = QThread::create([&gate, &done] {
            gate.acquire();
            done = true;
        });
        thread->start();
        return thread;
    }

private Q_SLOTS:
    void adoptingReturnsAtOnceAndTheThreadGoesWhenItFinishes()
    {
        QSemaphore gate;
        std::atomic<bool> done = false;
        QPointer<QThread> thread = blockedThread(gate, done);
        RetiredThreads::adopt(thread);
        // Still working, and adopting did not wait for it.
        QVERIFY(!done);
        QCOMPARE(RetiredThreads::running(), 1);
        gate.release();
        QTRY_VERIFY(thread.isNull()); // deleted on this thread once finished
        QVERIFY(done);
        QCOMPARE(RetiredThreads::running(), 0);
    }

    // A thread that has emitted finished() but is still deleting its
    // objects (a run thread closing its ledger) is not over: adopting it
    // then must neither drop it nor delete it while it runs.
    void aThreadStillInItsFinishIsNotTakenForEnded()
    {
        QSemaphore inFinish;
        QSemaphore gate;
        QPointer<QThread> thread = QThread::create([] {});
        connect(
            thread, &QThread::finished, thread,
            [&] {
            inFinish.release();
            gate.acquire();
            },
            Qt::DirectConnection);
        thread->start();
        inFinish.acquire();
        QVERIFY(thread->isFinished()); // what Qt says, though it still runs
        RetiredThreads::adopt(thread);
        QCOMPARE(RetiredThreads::running(), 1);
        QTest::qWait(50); // events run: it must still be there
        QVERIFY(!thread.isNull());
        gate.release();
        QTRY_VERIFY(thread.isNull());
        QCOMPARE(RetiredThreads::running(), 0);
    }

    void theEndWaitsForWorkStillGoing()
    {
        QSemaphore gate;
        std::atomic<bool> done = false;
        QThread *thread = blockedThread(gate, done);
        RetiredThreads::adopt(thread);
        // Released from another thread a while after the end began to wait.
        auto *releaser = QThread::create([&gate] {
            QThread::msleep(300);
            gate.release();
        });
        releaser->start();
        RetiredThreads::waitAtExit();
        QVERIFY(done); // the retired thread's work is over: nothing left running
        QCOMPARE(RetiredThreads::running(), 0);
        releaser->wait();
        delete releaser;
    }
};

QTEST_GUILESS_MAIN(TestRetiredThreads)
#include "tst_retiredthreads.moc"
