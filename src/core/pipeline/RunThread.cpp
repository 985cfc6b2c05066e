#include "RunThread.h"

#include <QMetaObject>
#include <QSemaphore>

#include <memory>

namespace safecell {

RunThread::RunThread(RunWorkerConfig config, QObject *parent)
    : QObject(parent)
    , m_worker(new RunWorker(std::move(config)))
{
    qRegisterMetaType<RunRequest>();
    qRegisterMetaType<RunReport>();
    qRegisterMetaType<RichResult>();
    qRegisterMetaType<RunStep>();
    m_thread.setObjectName(QStringLiteral("safecell-run"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, &RunWorker::initialize, Qt::QueuedConnection);
}

RunThread::~RunThread()
{
    // The worker stops its run and kills any cloud sandbox while its thread
    // still has an event loop to send the request; we wait for that, bounded,
    // so a dead network never holds up quitting for long.
    // Shared: the worker may release it after we stopped waiting.
    auto closed = std::make_shared<QSemaphore>();
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, closed] { worker->shutdown(closed); },
                              Qt::QueuedConnection);
    closed->tryAcquire(1, kShutdownWaitMs);
    m_thread.quit();
    m_thread.wait();
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
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, config] { worker->reconfigure(config); },
                              Qt::QueuedConnection);
}

void RunThread::renewSession(const RunWorkerConfig &config)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, config] { worker->renewSession(config); },
                              Qt::QueuedConnection);
}

void RunThread::restartSession()
{
    QMetaObject::invokeMethod(m_worker, &RunWorker::restartSession, Qt::QueuedConnection);
}

} // namespace safecell
