#include "E2bSandbox.h"

#include "common/Logging.h"
#include "sandbox/DataPageQueue.h"
#include "sandbox/e2b/E2bDataView.h"
#include "sandbox/e2b/E2bSandboxRequests.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace safecell {

// The table viewer's pages on E2B: each is a cell of its own in the
// session's context (E2bDataView.h), sent only between runs and one at a
// time, since a Jupyter context runs one cell at a time. A page costs no
// run: no history, no budget; the sandbox is kept warm meanwhile as for
// any activity of the analyst's.

void E2bSandbox::requestDataPage(const DataPageRequest &request)
{
    if (m_pagesWaiting.size() >= DataPageQueue::kMaxWaiting) {
        DataPage page;
        page.request = request;
        page.error = tr("Too many pages were asked for at once.");
        Q_EMIT dataPageReady(page);
        return;
    }
    m_pagesWaiting << request;
    noteActivity();
    sendNextPage();
}

void E2bSandbox::abandonPages(const QString &why)
{
    for (const DataPageRequest &request : std::exchange(m_pagesWaiting, {})) {
        DataPage page;
        page.request = request;
        page.error = why;
        Q_EMIT dataPageReady(page);
    }
}

void E2bSandbox::sendNextPage()
{
    if (m_page || m_running || m_pagesWaiting.isEmpty())
        return;
    if (!m_session) {
        abandonPages(tr("The E2B session has ended, and its variables with it: run the snippet again."));
        return;
    }
    if (m_session->contextSuspect) {
        // The next run proves the context free (or restarts it) first.
        abandonPages(tr("The E2B session is still busy with a stopped run: run a snippet, then open the table "
                        "again."));
        return;
    }
    m_page.emplace();
    m_page->request = m_pagesWaiting.takeFirst();
    QNetworkRequest request = tokenRequest(QStringLiteral("/execute"), kJupyterPort);
    request.setTransferTimeout(int(qMin<qint64>(m_config.requestTimeoutMs, INT_MAX)));
    const QJsonObject body{{QStringLiteral("code"), e2bDataPageCode(m_page->request, m_generation)},
                           {QStringLiteral("context_id"), m_session->contextId}};
    m_page->reply = m_network->post(request, compactJson(body));
    connect(m_page->reply, &QNetworkReply::readyRead, this, &E2bSandbox::onPageData);
    connect(m_page->reply, &QNetworkReply::finished, this, &E2bSandbox::onPageFinished);
    m_pageDeadline.start(DataPageQueue::kPageTimeLimitMs);
}

void E2bSandbox::onPageData()
{
    if (!m_page || !m_page->reply || m_page->sawEnd
        || m_page->reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return;
    for (const NdjsonEvent &event : m_page->parser.feed(m_page->reply->readAll())) {
        if (event.kind == NdjsonEvent::Kind::DataPage)
            m_page->answer = event.dataPage;
        else if (event.kind == NdjsonEvent::Kind::End)
            m_page->sawEnd = true;
        // Nothing else a page's cell sends is for anyone.
    }
}

void E2bSandbox::onPageFinished()
{
    if (!m_page || !m_page->reply)
        return;
    QNetworkReply *reply = m_page->reply;
    reply->disconnect(this);
    reply->deleteLater();
    m_pageDeadline.stop();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 200 && reply->error() == QNetworkReply::NoError) {
        onPageData();
        if (!m_page->sawEnd)
            for (const NdjsonEvent &event : m_page->parser.finish())
                if (event.kind == NdjsonEvent::Kind::DataPage)
                    m_page->answer = event.dataPage;
    }
    PageInFlight done = *std::exchange(m_page, std::nullopt);
    DataPage page = done.answer.value_or(DataPage{});
    if (!done.sawEnd && m_session)
        m_session->contextSuspect = true; // E2B interrupts the cell when it sees the connection closed
    if (!m_session)
        page.error = tr("The E2B session ended before the page arrived.");
    else if (done.timedOut)
        page.error = tr("The page took longer than %1 s and was stopped.").arg(DataPageQueue::kPageTimeLimitMs / 1000);
    else if (status != 200 && status != 0)
        page.error = redacted(
            E2bError::fromHttp(status, reply->readAll(),
                               reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString())
                .message);
    else if (!done.sawEnd)
        page.error = redacted(tr("E2B: the connection to the sandbox was lost: %1").arg(reply->errorString()));
    else if (!done.answer)
        page.error = tr("E2B did not answer with the page.");
    page.request = done.request;
    Q_EMIT dataPageReady(page);

    if (m_runAfterPage) {
        // From the event loop, not from here: this may be inside a kill
        // (the budget's, with E2bLifetime mid-signal), and a run start
        // could create a sandbox in it.
        m_runAfterPage = false;
        QMetaObject::invokeMethod(
            this,
            [this, generation = m_generation] {
            if (m_running && generation == m_generation)
                startRun();
            },
            Qt::QueuedConnection);
        return;
    }
    sendNextPage();
}

} // namespace safecell
