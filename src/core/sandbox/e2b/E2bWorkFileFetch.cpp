#include "E2bSandbox.h"

#include "common/Logging.h"
#include "sandbox/e2b/E2bLifetime.h"
#include "sandbox/e2b/E2bSandboxRequests.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QUrlQuery>

namespace safecell {

namespace {
// All of a run's copies, after its code has ended: a bound on how long the
// run's end waits for them (what is not copied by then is listed next time).
constexpr int kFetchTimeoutMs = 60000;
constexpr double kFetchEndSlackS = 1.0;
} // namespace

void E2bSandbox::fetchWorkFiles()
{
    if (!m_mirror)
        m_mirror = std::make_unique<E2bWorkMirror>();
    if (!m_mirror->isValid()) {
        qCWarning(lcE2b) << "no folder to copy the sandbox's files to";
        m_toFetch.clear();
        finishFetching();
        return;
    }
    // Within the sandbox's paid lifetime (the run's keep-warm steps start
    // after it), so a copy never meets a sandbox ended under it.
    const double leftS = m_lifetime->secondsLeft(m_session->life) - kFetchEndSlackS;
    m_phase = Phase::Fetching;
    m_toFetch = m_mirror->update(m_session->id, *std::exchange(m_remoteFiles, std::nullopt));
    if (leftS <= 0) {
        qCInfo(lcE2b) << "no time left in the sandbox's lifetime to copy its files; they wait for the next run";
        m_toFetch.clear();
    }
    m_deadline.start(int(qMin<double>(kFetchTimeoutMs, qMax(leftS, 0.0) * 1000)));
    fetchNextWorkFile();
}

void E2bSandbox::fetchNextWorkFile()
{
    if (m_toFetch.isEmpty() || !m_session || m_cancelled) {
        finishFetching();
        return;
    }
    // envd's file download, as the official SDK reads a file
    // (Filesystem.read): GET /files?path=... on port 49983.
    QNetworkRequest request = tokenRequest(QStringLiteral("/files"), kEnvdPort);
    QUrl url = request.url();
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("path"),
                       QString::fromLatin1(QUrl::toPercentEncoding(QLatin1String(kE2bHome) + QLatin1Char('/')
                                                                   + m_toFetch.first().path)));
    url.setQuery(query);
    request.setUrl(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QVariant());
    request.setTransferTimeout(int(qMin<qint64>(m_config.requestTimeoutMs, INT_MAX)));
    m_fetched.clear();
    m_fetchOversize = false;
    m_fetch = m_network->get(request);
    connect(m_fetch, &QNetworkReply::readyRead, this, [this] {
        if (!m_fetch)
            return;
        const QByteArray bytes = m_fetch->readAll();
        if (m_fetchOversize)
            return;
        m_fetched += bytes;
        // More than it was listed at, or than a copy may hold: not kept. The
        // abort waits for the event loop (not from within the reply's signal).
        if (m_fetched.size() > qMin(m_toFetch.first().size, E2bWorkMirror::kMaxFileBytes)) {
            m_fetchOversize = true;
            m_fetched.clear();
            QMetaObject::invokeMethod(m_fetch, &QNetworkReply::abort, Qt::QueuedConnection);
        }
    });
    connect(m_fetch, &QNetworkReply::finished, this, &E2bSandbox::onWorkFileFetched);
}

void E2bSandbox::onWorkFileFetched()
{
    QNetworkReply *reply = m_fetch;
    if (!reply)
        return;
    m_fetch = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    const WorkFile file = m_toFetch.takeFirst();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() == QNetworkReply::NoError && !m_fetchOversize)
        m_fetched += reply->readAll();
    QString error;
    if (status != 200 || reply->error() != QNetworkReply::NoError || m_fetchOversize || m_fetched.size() != file.size)
        qCInfo(lcE2b) << "a file of the session was not copied (HTTP" << status << reply->error()
                      << "): it changed meanwhile or is gone";
    else if (!m_mirror->store(m_session ? m_session->id : QString(), file, m_fetched, &error))
        qCWarning(lcE2b) << "could not keep a copy of a session's file:" << error;
    m_fetched.clear();
    if (m_phase != Phase::Fetching) // stopped: the deadline or cancel()
        m_toFetch.clear();
    fetchNextWorkFile();
}

void E2bSandbox::finishFetching()
{
    m_deadline.stop();
    m_toFetch.clear();
    if (m_mirror && m_mirror->isValid())
        Q_EMIT workFilesListed(m_mirror->listing());
    ExecutionOutcome outcome = *std::exchange(m_ranOutcome, std::nullopt);
    finishRun(std::move(outcome));
}

} // namespace safecell
