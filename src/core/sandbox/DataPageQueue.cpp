#include "DataPageQueue.h"

#include "common/Logging.h"
#include "sandbox/DataPageProtocol.h"
#include "sandbox/KernelProcess.h"

#include <QUuid>

namespace safecell {

DataPageQueue::DataPageQueue(QObject *parent)
    : QObject(parent)
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (m_inFlight && m_kernel) {
            qCInfo(lcSandbox) << "a data viewer page took too long; interrupting it";
            m_kernel->send(kernel::interruptLine(m_inFlight->id));
        }
    });
}

void DataPageQueue::enqueue(const DataPageRequest &request)
{
    if (m_waiting.size() >= kMaxWaiting) {
        answerWithError(request, tr("Too many pages were asked for at once."));
        return;
    }
    m_waiting << request;
}

void DataPageQueue::sendNext(KernelProcess *kernel)
{
    if (m_inFlight || m_waiting.isEmpty())
        return;
    if (!kernel) {
        abandon(tr("The Python session has not started: run a snippet first."));
        return;
    }
    m_inFlight = InFlight{QUuid::createUuid().toString(QUuid::WithoutBraces), m_waiting.takeFirst(), std::nullopt};
    m_kernel = kernel;
    kernel->send(kernel::dataPageLine(m_inFlight->id, m_inFlight->request));
    m_deadline.start(kPageTimeLimitMs);
}

bool DataPageQueue::take(KernelProcess *kernel, const kernel::Message &message)
{
    if (!m_inFlight || kernel != m_kernel || message.runId != m_inFlight->id)
        return false;
    if (message.type == kernel::MessageType::DataPage && message.dataPage) {
        m_inFlight->answer = *message.dataPage;
        return true;
    }
    if (message.type != kernel::MessageType::End)
        return true; // nothing else of a page's is for anyone
    InFlight done = *std::exchange(m_inFlight, std::nullopt);
    m_deadline.stop();
    DataPage page = done.answer.value_or(DataPage{});
    if (!done.answer)
        page.error = tr("The kernel did not answer with the page.");
    else if (done.yielded && !page.ok())
        page.error = tr("The page was interrupted for a run; it is read again when the run ends.");
    page.request = done.request;
    Q_EMIT pageReady(page);
    return true;
}

void DataPageQueue::yieldToRun()
{
    if (!m_inFlight || m_inFlight->yielded || !m_kernel)
        return;
    m_inFlight->yielded = true;
    m_kernel->send(kernel::interruptLine(m_inFlight->id));
}

void DataPageQueue::abandon(const QString &why)
{
    m_deadline.stop();
    QList<DataPageRequest> asked = std::exchange(m_waiting, {});
    if (m_inFlight)
        asked.prepend(std::exchange(m_inFlight, std::nullopt)->request);
    for (const DataPageRequest &request : asked)
        answerWithError(request, why);
}

void DataPageQueue::answerWithError(const DataPageRequest &request, const QString &why)
{
    DataPage page;
    page.request = request;
    page.error = why;
    Q_EMIT pageReady(page);
}

} // namespace safecell
