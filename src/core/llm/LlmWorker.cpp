#include "LlmWorker.h"

#include "common/Logging.h"

#include <QNetworkAccessManager>

namespace safecell {

LlmWorker::LlmWorker(LlmServicesConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
}

LlmWorker::~LlmWorker() = default;

void LlmWorker::initialize()
{
    m_network = new QNetworkAccessManager(this);
    makeAssistant();
}

void LlmWorker::makeAssistant()
{
    if (m_assistant)
        m_assistant->deleteLater();
    // No key store: every request brings the key its sender read.
    m_assistant = new CodeAssistant(m_config, m_network, nullptr, this);
    m_configChanged = false;
    connect(m_assistant, &CodeAssistant::textDelta, this,
            [this](const QString &text) { Q_EMIT textDelta(m_currentId, text); });
    connect(m_assistant, &CodeAssistant::finished, this, &LlmWorker::onAssistantFinished);
}

void LlmWorker::start(const LlmRequest &request)
{
    if (m_assistant->isBusy()) {
        // The sender has moved on from the one answering now (it cancelled
        // or superseded it): that one ends first, then this one starts.
        if (m_queued) {
            CodeAssistantResult dropped;
            dropped.task = m_queued->task;
            dropped.status = PaidChatOutcome::Status::Cancelled;
            dropped.message = QStringLiteral("Cancelled");
            Q_EMIT finished(m_queued->id, dropped);
        }
        m_queued = request;
        m_assistant->cancel();
        return;
    }
    begin(request);
}

void LlmWorker::begin(const LlmRequest &request)
{
    if (m_configChanged)
        makeAssistant();
    m_currentId = request.id;
    qCDebug(lcCohere) << "request" << request.id << "starts";
    m_assistant->setApiKey(request.apiKey, request.apiKeyProblem);
    if (request.task == CodeAssistantResult::Task::Ask)
        m_assistant->ask(request.description, request.language);
    else
        m_assistant->explain(request.code, request.language, request.traceback);
}

void LlmWorker::cancel(quint64 id)
{
    if (m_queued && m_queued->id == id) {
        m_queued.reset();
        return;
    }
    if (id == m_currentId && m_assistant->isBusy())
        m_assistant->cancel();
}

void LlmWorker::reconfigure(const LlmServicesConfig &config)
{
    m_config = config;
    m_configChanged = true;
    if (!m_assistant->isBusy())
        makeAssistant();
}

void LlmWorker::onAssistantFinished(const CodeAssistantResult &result)
{
    const quint64 id = std::exchange(m_currentId, 0);
    qCDebug(lcCohere) << "request" << id << "ended";
    Q_EMIT finished(id, result);
    // Never inside the assistant's own signal: it may be replaced.
    if (m_queued)
        QMetaObject::invokeMethod(this, &LlmWorker::startNext, Qt::QueuedConnection);
}

void LlmWorker::startNext()
{
    if (!m_queued || m_assistant->isBusy())
        return;
    const LlmRequest next = *std::exchange(m_queued, std::nullopt);
    begin(next);
}

} // namespace safecell
