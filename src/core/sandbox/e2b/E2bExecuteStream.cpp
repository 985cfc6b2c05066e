#include "E2bSandbox.h"

#include "common/Logging.h"
#include "sandbox/e2b/E2bSandboxRequests.h"
#include "sandbox/e2b/E2bVariables.h"
#include "sandbox/e2b/E2bWorkFiles.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace safecell {

namespace {
constexpr int kListingTimeoutMs = 5000;
} // namespace

void E2bSandbox::sendExecute()
{
    m_phase = m_ranOutcome ? Phase::Listing : Phase::Executing;
    m_parser = NdjsonParser();
    m_stdout.emplace(m_config.outputCapBytes);
    m_stderr.emplace(m_config.outputCapBytes);
    m_sawEnd = false;
    m_error.reset();
    QNetworkRequest request = tokenRequest(QStringLiteral("/execute"), kJupyterPort);
    // An inactivity bound: E2B sends a keepalive every ~5 s while a run is quiet.
    request.setTransferTimeout(int(qMin<qint64>(m_config.requestTimeoutMs, INT_MAX)));
    const QJsonObject body{{QStringLiteral("code"), m_code}, {QStringLiteral("context_id"), m_session->contextId}};
    m_stream = m_network->post(request, compactJson(body));
    connect(m_stream, &QNetworkReply::readyRead, this, &E2bSandbox::onStreamData);
    connect(m_stream, &QNetworkReply::finished, this, &E2bSandbox::onStreamFinished);
    m_deadline.start(m_phase == Phase::Listing ? kListingTimeoutMs
                                               : int(qMin<qint64>(qMax<qint64>(m_request.timeLimitMs, 1), INT_MAX)));
}

void E2bSandbox::onStreamData()
{
    if (!m_stream)
        return;
    if (m_stream->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return; // an error body: read whole at the end
    handleEvents(m_parser.feed(m_stream->readAll()));
}

void E2bSandbox::handleEvents(const QList<NdjsonEvent> &events)
{
    for (const NdjsonEvent &event : events) {
        switch (event.kind) {
        case NdjsonEvent::Kind::Stdout:
            if (m_phase == Phase::Listing)
                break; // what the listing prints is not the run's
            if (const QString text = m_stdout->feed(event.text.toUtf8()); !text.isEmpty())
                Q_EMIT stdoutReceived(text);
            break;
        case NdjsonEvent::Kind::Stderr:
            if (m_phase == Phase::Listing)
                break;
            if (const QString text = m_stderr->feed(event.text.toUtf8()); !text.isEmpty())
                Q_EMIT stderrReceived(text);
            break;
        case NdjsonEvent::Kind::Result:
            if (m_phase == Phase::Listing)
                break; // the listing shows nothing of the run's
            Q_EMIT resultReceived(event.result);
            break;
        case NdjsonEvent::Kind::Variables:
            if (m_phase == Phase::Listing) // in a run's own output it is only the snippet's data
                Q_EMIT variablesListed(event.variables);
            break;
        case NdjsonEvent::Kind::Error:
            if (m_phase == Phase::Listing)
                break;
            m_error = event.error;
            m_error->traceback = redacted(m_error->traceback);
            break;
        case NdjsonEvent::Kind::End:
            m_sawEnd = true;
            break;
        case NdjsonEvent::Kind::Malformed:
            qCWarning(lcE2b) << "ignoring a malformed line from /execute:" << redacted(event.text);
            break;
        case NdjsonEvent::Kind::WorkFiles:
            if (m_phase == Phase::Listing)
                m_remoteFiles = event.workFiles;
            break;
        case NdjsonEvent::Kind::ExecutionCount:
        case NdjsonEvent::Kind::DataPage: // the viewer's, never a run's (a snippet shows its own data)
            break;
        }
    }
}

void E2bSandbox::abortStream()
{
    if (m_stream)
        m_stream->abort(); // finished() follows at once: onStreamFinished decides
}

void E2bSandbox::onStreamFinished()
{
    QNetworkReply *reply = m_stream;
    if (!reply)
        return;
    m_stream = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    m_deadline.stop();
    if (m_phase == Phase::Listing) {
        onListingFinished(reply);
        return;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();

    if (m_timedOut || m_cancelled) {
        if (m_session && !m_sawEnd)
            m_session->contextSuspect = true; // checked before the next run
        if (m_timedOut)
            finishRun(
                {ExecutionStatus::TimedOut, std::nullopt,
                 QStringLiteral("The run was stopped at its time limit (%1 s).").arg(m_request.timeLimitMs / 1000.0),
                 0});
        else
            finishRun({ExecutionStatus::Cancelled, std::nullopt, QStringLiteral("The run was stopped."), 0});
        return;
    }
    if (status == 200) {
        if (!m_sawEnd)
            handleEvents(m_parser.feed(reply->readAll()));
        if (!m_sawEnd && reply->error() != QNetworkReply::NoError) {
            // Not our abort (that was handled above): the transfer timeout, or a dropped connection.
            const bool silent = reply->error() == QNetworkReply::OperationCanceledError
                                || reply->error() == QNetworkReply::TimeoutError;
            failRun({silent ? E2bError::Kind::Timeout : E2bError::Kind::Network, 0,
                     silent ? QStringLiteral("E2B: the sandbox sent nothing for %1 s, not even a keepalive.")
                                  .arg(m_config.requestTimeoutMs / 1000.0)
                            : redacted(QStringLiteral("E2B: the connection to the sandbox was lost mid-run: %1")
                                           .arg(reply->errorString()))},
                    true);
            return;
        }
        if (!m_sawEnd)
            handleEvents(m_parser.finish()); // EOF ends the stream too
        if (!m_sawEnd) {
            // E2B always ends with end_of_execution: without it the stream
            // was cut (Qt may report a reset mid-chunk as a clean end), so
            // the run's output and outcome are unknown.
            failRun({E2bError::Kind::Network, 0,
                     QStringLiteral("E2B: the connection to the sandbox was lost mid-run (the stream ended "
                                    "before the end of the execution); its output may be incomplete.")},
                    true);
            return;
        }
        ExecutionOutcome outcome;
        outcome.status = m_error ? ExecutionStatus::Raised : ExecutionStatus::Completed;
        outcome.error = m_error;
        if (m_parser.malformedLines() > 0)
            outcome.message = QStringLiteral("%1 malformed line(s) from E2B were ignored.")
                                  .arg(m_parser.malformedLines());
        listVariablesThenFinish(std::move(outcome));
        return;
    }
    if (status == 0) {
        const bool timeout = reply->error() == QNetworkReply::OperationCanceledError
                             || reply->error() == QNetworkReply::TimeoutError;
        handleRequestError(
            {timeout ? E2bError::Kind::Timeout : E2bError::Kind::Network, 0,
             redacted(
                 timeout
                     ? QStringLiteral("E2B: the sandbox sent nothing for %1 s.").arg(m_config.requestTimeoutMs / 1000.0)
                     : QStringLiteral("E2B: could not reach the sandbox: %1").arg(reply->errorString()))});
        return;
    }
    E2bError error = E2bError::fromHttp(status, reply->readAll(),
                                        reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
    error.message = redacted(error.message);
    handleRequestError(error);
}

void E2bSandbox::listVariablesThenFinish(ExecutionOutcome outcome)
{
    if (!m_request.listVariables || m_request.language != Language::Python || !m_session || m_cancelled || m_timedOut) {
        finishRun(std::move(outcome));
        return;
    }
    // The run's time is its code's; the listing's is not the snippet's.
    outcome.durationMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    m_ranOutcome = std::move(outcome);
    m_remoteFiles.reset();
    m_code = e2bVariablesCode() + QLatin1Char('\n') + e2bWorkFilesCode();
    sendExecute();
}

void E2bSandbox::onListingFinished(QNetworkReply *reply)
{
    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200 && !m_sawEnd
        && reply->error() == QNetworkReply::NoError) {
        handleEvents(m_parser.feed(reply->readAll()));
        if (!m_sawEnd)
            handleEvents(m_parser.finish());
    }
    if (!m_sawEnd) {
        // Stopped or cut: the context may still be busy with it.
        qCInfo(lcE2b) << "the variable listing did not finish; the run's outcome stands";
        if (m_session)
            m_session->contextSuspect = true;
    }
    // The run's own outcome, whatever became of the listing.
    if (m_remoteFiles && m_session && m_sawEnd && !m_cancelled) {
        fetchWorkFiles();
        return;
    }
    ExecutionOutcome outcome = *std::exchange(m_ranOutcome, std::nullopt);
    finishRun(std::move(outcome));
}

} // namespace safecell
