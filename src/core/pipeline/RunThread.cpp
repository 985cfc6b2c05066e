#include "RunThread.h"

#include "common/RetiredThreads.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QSemaphore>
#include <QTimer>

#include <memory>

namespace safecell {

RunThread::RunThread(RunWorkerConfig config, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new RunWorker(std::move(config)))
{
    qRegisterMetaType<RunRequest>();
    qRegisterMetaType<RunReport>();
    qRegisterMetaType<RichResult>();
    qRegisterMetaType<VariableListing>();
    qRegisterMetaType<WorkFileListing>();
    qRegisterMetaType<RunStep>();
    qRegisterMetaType<DataPageRequest>();
    qRegisterMetaType<DataPage>();
    m_thread->setObjectName(QStringLiteral("safecell-run"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
    QMetaObject::invokeMethod(m_worker, &RunWorker::initialize, Qt::QueuedConnection);
}

RunThread::~RunThread()
{
    // Nothing it says from now on is for its owner (a stale sessionEnded).
    QObject::disconnect(m_worker, nullptr, nullptr, nullptr);
    // The worker stops its run and kills any cloud sandbox while its thread
    // still has an event loop to send the request; its thread quits once
    // that is done, or after a bound, so a dead network never keeps it long.
    // Nobody waits here: the owner is usually the GUI thread.
    QMetaObject::invokeMethod(
        m_worker,
        [worker = m_worker] {
        auto closed = std::make_shared<QSemaphore>();
        worker->shutdown(closed);
        if (closed->tryAcquire())
            return QThread::currentThread()->quit();
        // The kills end on this thread's event loop, which polling leaves free.
        auto *poll = new QTimer(worker);
        QElapsedTimer waited;
        waited.start();
        QObject::connect(poll, &QTimer::timeout, worker, [closed, waited] {
            if (closed->tryAcquire() || waited.hasExpired(kShutdownWaitMs))
                QThread::currentThread()->quit();
        });
        poll->start(kShutdownPollMs);
        },
        Qt::QueuedConnection);
    RetiredThreads::adopt(m_thread);
}

void RunThread::start(const RunRequest &request)
{
    QMetaObject::invokeMethod(m_worker, "start", Qt::QueuedConnection, Q_ARG(safecell::RunRequest, request));
}

void RunThread::cancel()
{
    QMetaObject::invokeMethod(m_worker, &RunWorker::cancel, Qt::QueuedConnection);
}

void RunThread::reconfigure(const RunWorkerConfig &config)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, config] { worker->reconfigure(config); }, Qt::QueuedConnection);
}

void RunThread::renewSession(const RunWorkerConfig &config)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, config] { worker->renewSession(config); }, Qt::QueuedConnection);
}

void RunThread::restartSession()
{
    QMetaObject::invokeMethod(m_worker, &RunWorker::restartSession, Qt::QueuedConnection);
}

void RunThread::requestDataPage(const DataPageRequest &request)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, request] { worker->requestDataPage(request); }, Qt::QueuedConnection);
}

} // namespace safecell
