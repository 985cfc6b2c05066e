#include "RetiredThreads.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QList>
#include <QMutex>
#include <QThread>
#include <QTimer>

namespace safecell {

namespace {

QMutex &lock()
{
    static QMutex mutex;
    return mutex;
}

QList<QThread *> &retired()
{
    static QList<QThread *> threads;
    return threads;
}

bool take(QThread *thread)
{
    const QMutexLocker locked(&lock());
    return retired().removeOne(thread);
}

void waitAtAppEnd()
{
    RetiredThreads::waitAtExit();
}

// QThread::isFinished() is already true while the thread still runs its
// finish (deleting its objects): only wait() says it is over.
bool hasEnded(QThread *thread)
{
    return thread->wait(QDeadlineTimer(0));
}

// On the thread that owns the QThread object.
void reapWhenEnded(QThread *thread)
{
    if (!hasEnded(thread)) {
        QTimer::singleShot(RetiredThreads::kReapPollMs, thread, [thread] { reapWhenEnded(thread); });
        return;
    }
    if (take(thread)) // not taken by waitAtExit meanwhile
        delete thread;
}

} // namespace

void RetiredThreads::adopt(QThread *thread)
{
    if (!thread)
        return;
    {
        const QMutexLocker locked(&lock());
        static bool hooked = false;
        // The post routine runs as QCoreApplication is destroyed: every
        // program (the window, the CLI, a test) gets its wait.
        if (!hooked && QCoreApplication::instance()) {
            qAddPostRoutine(waitAtAppEnd);
            hooked = true;
        }
        retired() << thread;
    }
    // Queued to the thread that owns the QThread object: it is deleted there.
    QObject::connect(thread, &QThread::finished, thread, [thread] { reapWhenEnded(thread); });
    // finished() may have been emitted before the connection was made.
    if (thread->isFinished())
        reapWhenEnded(thread);
}

int RetiredThreads::running()
{
    const QMutexLocker locked(&lock());
    int count = 0;
    for (QThread *thread : std::as_const(retired()))
        count += hasEnded(thread) ? 0 : 1;
    return count;
}

void RetiredThreads::waitAtExit()
{
    QList<QThread *> threads;
    {
        const QMutexLocker locked(&lock());
        threads.swap(retired());
    }
    const QDeadlineTimer slow(kSlowExitMs);
    for (QThread *thread : std::as_const(threads)) {
        if (!thread->wait(slow)) {
            qCWarning(lcPipeline).noquote()
                << "waiting for" << thread->objectName() << "to finish its work before quitting";
            thread->wait();
        }
        delete thread;
    }
}

} // namespace safecell
