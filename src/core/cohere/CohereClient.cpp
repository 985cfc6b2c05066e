#include "cohere/CohereClient.h"

#include "cohere/ChatJson.h"
#include "cohere/CohereConfig.h"
#include "common/Logging.h"
#include "common/Redact.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSslError>

#include <climits>

namespace safecell {

// ---- CohereClient ---------------------------------------------------------

CohereClient::CohereClient(QNetworkAccessManager *nam, QUrl baseUrl, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_baseUrl(std::move(baseUrl))
{
}

ChatCall *CohereClient::chat(const ChatRequest &request, const QString &apiKey, ChatCallOptions options)
{
    return makeCall(request, apiKey, false, std::move(options));
}

ChatCall *CohereClient::chatStream(const ChatRequest &request, const QString &apiKey, ChatCallOptions options)
{
    return makeCall(request, apiKey, true, std::move(options));
}

ChatCall *CohereClient::makeCall(const ChatRequest &request, const QString &apiKey, bool stream,
                                 ChatCallOptions options)
{
    QNetworkRequest http(cohereChatUrl(m_baseUrl));
    http.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    http.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("SafeCell/" SAFECELL_VERSION));
    http.setRawHeader("Accept",
                      stream ? QByteArrayLiteral("text/event-stream") : QByteArrayLiteral("application/json"));
    if (stream)
        http.setRawHeader("Cache-Control", QByteArrayLiteral("no-cache"));
    http.setRawHeader("X-Client-Name", QByteArrayLiteral("safecell"));
    if (!apiKey.isEmpty())
        http.setRawHeader("Authorization", QByteArray("Bearer " + apiKey.toUtf8()));
    // A redirect would carry the key to wherever it points: treat it as an
    // error instead of following it.
    http.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    // HTTP/1.1 only: the connect timer ends on requestSent/uploadProgress,
    // which only the HTTP/1.1 path is tested to emit here (the fakes speak
    // HTTP/1.1). One request at a time gains nothing from HTTP/2.
    http.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    auto *call = new ChatCall(m_nam, std::move(http), chatRequestBody(request, stream), stream, apiKey,
                              std::move(options), this);
    call->start();
    return call;
}

// ---- ChatCall -------------------------------------------------------------

ChatCall::ChatCall(QNetworkAccessManager *nam, QNetworkRequest request, QByteArray body, bool stream, QString apiKey,
                   ChatCallOptions options, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_request(std::move(request))
    , m_body(std::move(body))
    , m_stream(stream)
    , m_apiKey(std::move(apiKey))
    , m_options(std::move(options))
{
    for (QTimer *t : {&m_connectTimer, &m_firstByteTimer, &m_stallTimer, &m_deadlineTimer, &m_retryTimer})
        t->setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        failWith(CohereError::Kind::ConnectTimeout,
                 QStringLiteral("no connection after %1 ms").arg(m_options.connectTimeoutMs));
    });
    connect(&m_firstByteTimer, &QTimer::timeout, this, [this] {
        failWith(CohereError::Kind::FirstByteTimeout,
                 QStringLiteral("no answer %1 ms after sending the request").arg(m_options.firstByteTimeoutMs));
    });
    connect(&m_stallTimer, &QTimer::timeout, this, [this] {
        if (m_stream && m_reader.complete()) {
            // message-end came and the server kept the connection open.
            finish(m_reader.reply());
            return;
        }
        failWith(CohereError::Kind::StreamStalled,
                 QStringLiteral("nothing received for %1 ms").arg(m_options.stallTimeoutMs));
    });
    connect(&m_deadlineTimer, &QTimer::timeout, this, [this] {
        failWith(CohereError::Kind::DeadlineExceeded,
                 QStringLiteral("the call's %1 ms ran out").arg(m_options.deadlineMs));
    });
    connect(&m_retryTimer, &QTimer::timeout, this, &ChatCall::startAttempt);
}

ChatCall::~ChatCall()
{
    dropReply();
}

void ChatCall::start()
{
    m_clock.start();
    m_deadlineTimer.start(int(std::clamp<qint64>(m_options.deadlineMs, 0, INT_MAX)));
    startAttempt();
}

void ChatCall::startAttempt()
{
    ++m_attempt;
    m_headersSeen = false;
    m_responseBody.clear();
    m_tlsErrors.clear();
    m_parser = SseParser();
    m_reader = ChatStreamReader();
    qCDebug(lcCohere) << "POST" << m_request.url().toDisplayString() << "attempt" << m_attempt
                      << (m_stream ? "stream" : "");

    QNetworkReply *reply = m_nam->post(m_request, m_body);
    m_reply = reply;
    connect(reply, &QNetworkReply::requestSent, this, &ChatCall::onConnected);
    connect(reply, &QNetworkReply::encrypted, this, &ChatCall::onConnected);
    connect(reply, &QNetworkReply::uploadProgress, this, [this](qint64 sent, qint64) {
        if (sent > 0)
            onConnected();
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, &ChatCall::onHeaders);
    connect(reply, &QNetworkReply::readyRead, this, &ChatCall::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &ChatCall::onReplyFinished);
    connect(reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        // Recorded for the message, never ignored: the handshake then fails.
        for (const QSslError &e : errors)
            m_tlsErrors.append(e.errorString());
    });
    m_connectTimer.start(m_options.connectTimeoutMs);
}

void ChatCall::onConnected()
{
    if (!m_connectTimer.isActive())
        return;
    m_connectTimer.stop();
    if (!m_headersSeen)
        m_firstByteTimer.start(m_options.firstByteTimeoutMs);
}

void ChatCall::onHeaders()
{
    if (m_headersSeen || !m_reply)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    m_headersSeen = true;
    m_connectTimer.stop();
    m_firstByteTimer.stop();
    m_stallTimer.start(m_options.stallTimeoutMs);
}

void ChatCall::onReadyRead()
{
    if (!m_reply)
        return;
    onHeaders();
    const QByteArray bytes = m_reply->readAll();
    if (m_headersSeen)
        m_stallTimer.start(m_options.stallTimeoutMs);
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_stream && status >= 200 && status < 300) {
        consumeStream(bytes);
        return;
    }
    if (m_responseBody.size() + bytes.size() > m_options.maxResponseBytes) {
        failWith(CohereError::Kind::MalformedResponse,
                 QStringLiteral("the response is larger than %1 bytes").arg(m_options.maxResponseBytes), status);
        return;
    }
    m_responseBody += bytes;
}

void ChatCall::consumeStream(const QByteArray &bytes)
{
    const QList<SseEvent> events = m_parser.feed(bytes);
    if (m_parser.pendingBytes() > m_options.maxResponseBytes) {
        failWith(CohereError::Kind::MalformedResponse, QStringLiteral("a stream line is too long"));
        return;
    }
    QString delta;
    for (const SseEvent &event : events) {
        if (std::optional<CohereError> error = m_reader.handle(event, &delta)) {
            if (!delta.isEmpty())
                Q_EMIT textDelta(delta);
            if (!isFinished())
                finish(unexpected(*error));
            return;
        }
    }
    if (!delta.isEmpty()) {
        const QPointer<ChatCall> self(this);
        Q_EMIT textDelta(delta);
        if (!self || isFinished())
            return; // a receiver cancelled the call
    }
    if (m_reader.state() == ChatStreamReader::State::Done)
        finish(m_reader.reply());
}

void ChatCall::onReplyFinished()
{
    if (!m_reply || isFinished())
        return;
    onHeaders();
    if (m_reply->bytesAvailable() > 0)
        onReadyRead();
    if (!m_reply || isFinished())
        return;
    stopAttemptTimers();
    const QNetworkReply::NetworkError netError = m_reply->error();
    const QString netMessage = m_reply->errorString();
    const QVariant statusValue = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);

    if (!statusValue.isValid()) {
        // No HTTP answer at all: refused, reset, DNS, TLS.
        if (netError == QNetworkReply::SslHandshakeFailedError || !m_tlsErrors.isEmpty()) {
            QString why = m_tlsErrors.isEmpty() ? netMessage : m_tlsErrors.join(QStringLiteral("; "));
            failWith(CohereError::Kind::Tls, why);
        } else {
            failWith(CohereError::Kind::Network, netMessage);
        }
        return;
    }
    const int status = statusValue.toInt();
    if (status >= 200 && status < 300) {
        if (m_stream) {
            QString delta;
            for (const SseEvent &event : m_parser.finish()) {
                if (std::optional<CohereError> error = m_reader.handle(event, &delta)) {
                    finish(unexpected(*error));
                    return;
                }
            }
            if (!delta.isEmpty()) {
                const QPointer<ChatCall> self(this);
                Q_EMIT textDelta(delta);
                if (!self || isFinished())
                    return;
            }
            if (std::optional<CohereError> error = m_reader.finish()) {
                if (netError != QNetworkReply::NoError)
                    error->message += QStringLiteral(" (") + netMessage + QStringLiteral(")");
                finish(unexpected(*error));
                return;
            }
            finish(m_reader.reply());
            return;
        }
        if (netError != QNetworkReply::NoError) {
            failWith(CohereError::Kind::Network, QStringLiteral("the response was cut: ") + netMessage, status);
            return;
        }
        ChatResult parsed = parseChatResponse(m_responseBody);
        if (!parsed) {
            CohereError error = std::move(parsed).error();
            error.httpStatus = status;
            finish(unexpected(std::move(error)));
            return;
        }
        finish(std::move(parsed));
        return;
    }
    handleHttpError(m_responseBody);
}

void ChatCall::handleHttpError(const QByteArray &body)
{
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    CohereError error = errorFromHttpResponse(status, body);
    const std::optional<qint64> retryAfter = parseRetryAfter(m_reply->rawHeader("Retry-After"),
                                                             QDateTime::currentDateTimeUtc());
    qCInfo(lcCohere) << "HTTP" << status << "on attempt" << m_attempt;
    if (!error.retryable() || m_attempt >= m_options.retry.maxAttempts) {
        finish(unexpected(error));
        return;
    }
    const qint64 delay = retryDelayMs(m_options.retry, m_attempt, retryAfter, *QRandomGenerator::global());
    const qint64 remaining = m_options.deadlineMs - m_clock.elapsed();
    if (delay >= remaining) {
        error.message += QStringLiteral(" (not retried: waiting %1 ms would pass the deadline)").arg(delay);
        finish(unexpected(error));
        return;
    }
    dropReply();
    Q_EMIT retrying(m_attempt + 1, delay);
    if (isFinished())
        return; // cancelled by a receiver
    m_retryTimer.start(int(delay));
}

void ChatCall::failWith(CohereError::Kind kind, const QString &message, int httpStatus)
{
    CohereError error;
    error.kind = kind;
    error.message = message;
    error.httpStatus = httpStatus;
    finish(unexpected(error));
}

void ChatCall::finish(ChatResult result)
{
    if (isFinished())
        return;
    stopAttemptTimers();
    m_deadlineTimer.stop();
    m_retryTimer.stop();
    dropReply();
    if (!result) {
        CohereError error = std::move(result).error();
        error.message = redactSecrets(error.message, {m_apiKey});
        error.attempts = m_attempt;
        qCInfo(lcCohere).noquote() << "call failed:" << error.kindName() << error.describe();
        m_result.emplace(unexpected(std::move(error)));
    } else {
        m_result.emplace(std::move(result));
    }
    Q_EMIT finished();
    deleteLater();
}

void ChatCall::cancel()
{
    failWith(CohereError::Kind::Cancelled, QStringLiteral("cancelled"));
}

void ChatCall::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    // Disconnect first: abort() emits finished(), which must not run the
    // normal completion path a second time.
    disconnect(reply, nullptr, this, nullptr);
    if (reply->isRunning())
        reply->abort();
    reply->deleteLater();
}

void ChatCall::stopAttemptTimers()
{
    m_connectTimer.stop();
    m_firstByteTimer.stop();
    m_stallTimer.stop();
}

void ChatCall::then(QObject *context, std::function<void(const ChatResult &)> fn)
{
    const QPointer<QObject> target(context);
    connect(this, &ChatCall::finished, this, [this, target, fn = std::move(fn)] {
        if (!target)
            return;
        QMetaObject::invokeMethod(target.data(), [fn, r = result()] { fn(r); });
    });
}

void ChatCall::onTextDelta(QObject *context, std::function<void(const QString &)> fn)
{
    const QPointer<QObject> target(context);
    connect(this, &ChatCall::textDelta, this, [target, fn = std::move(fn)](const QString &text) {
        if (target)
            QMetaObject::invokeMethod(target.data(), [fn, text] { fn(text); });
    });
}

} // namespace safecell
