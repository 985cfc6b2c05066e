#include "LlmThread.h"

#include "common/RetiredThreads.h"

#include <QMetaObject>

namespace safecell {

LlmThread::LlmThread(LlmServicesConfig config, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new LlmWorker(std::move(config)))
{
    qRegisterMetaType<LlmRequest>();
    qRegisterMetaType<CodeAssistantResult>();
    m_thread->setObjectName(QStringLiteral("safecell-llm"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &LlmWorker::textDelta, this, &LlmThread::onWorkerDelta, Qt::QueuedConnection);
    connect(m_worker, &LlmWorker::finished, this, &LlmThread::onWorkerFinished, Qt::QueuedConnection);
    m_thread->start();
    QMetaObject::invokeMethod(m_worker, &LlmWorker::initialize, Qt::QueuedConnection);
}

LlmThread::~LlmThread()
{
    // The worker's assistant cancels its call and settles its hold when
    // deleted, on its thread; nobody waits for that here (the GUI thread).
    QObject::disconnect(m_worker, nullptr, this, nullptr);
    m_thread->quit();
    RetiredThreads::adopt(m_thread);
}

quint64 LlmThread::ask(const QString &description, Language language, const QString &apiKey,
                       const QString &apiKeyProblem)
{
    LlmRequest request;
    request.task = CodeAssistantResult::Task::Ask;
    request.description = description;
    request.language = language;
    request.apiKey = apiKey;
    request.apiKeyProblem = apiKeyProblem;
    return send(std::move(request));
}

quint64 LlmThread::explain(const QString &code, Language language, const QString &traceback, const QString &apiKey,
                           const QString &apiKeyProblem)
{
    LlmRequest request;
    request.task = CodeAssistantResult::Task::Explain;
    request.code = code;
    request.language = language;
    request.traceback = traceback;
    request.apiKey = apiKey;
    request.apiKeyProblem = apiKeyProblem;
    return send(std::move(request));
}

quint64 LlmThread::send(LlmRequest request)
{
    if (isBusy())
        endCurrentAsCancelled();
    request.id = ++m_lastId;
    m_currentId = request.id;
    m_currentTask = request.task;
    QMetaObject::invokeMethod(m_worker, "start", Qt::QueuedConnection, Q_ARG(safecell::LlmRequest, request));
    return request.id;
}

void LlmThread::cancel()
{
    if (!isBusy())
        return;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id = m_currentId] { worker->cancel(id); }, Qt::QueuedConnection);
    endCurrentAsCancelled();
}

void LlmThread::endCurrentAsCancelled()
{
    CodeAssistantResult result;
    result.task = m_currentTask;
    result.status = PaidChatOutcome::Status::Cancelled;
    result.message = QStringLiteral("Cancelled");
    Q_EMIT finished(std::exchange(m_currentId, 0), result);
}

void LlmThread::reconfigure(const LlmServicesConfig &config)
{
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, config] { worker->reconfigure(config); }, Qt::QueuedConnection);
}

void LlmThread::onWorkerDelta(quint64 id, const QString &text)
{
    if (id == m_currentId && id != 0)
        Q_EMIT textDelta(id, text);
}

void LlmThread::onWorkerFinished(quint64 id, const CodeAssistantResult &result)
{
    if (id != m_currentId || id == 0)
        return; // cancelled or superseded: its answer comes too late
    m_currentId = 0;
    Q_EMIT finished(id, result);
}

} // namespace safecell
