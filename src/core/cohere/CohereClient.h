#pragma once

#include "cohere/ChatStreamReader.h"
#include "cohere/CohereError.h"
#include "cohere/CohereTypes.h"
#include "cohere/RetryPolicy.h"
#include "cohere/SseParser.h"
#include "common/Expected.h"

#include <QElapsedTimer>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace safecell {

using ChatResult = Expected<ChatReply, CohereError>;

// Limits of one call. Each timeout has its own timer: connecting, waiting
// for the first byte of the answer, and the gap between two reads of a
// response (a stalled stream). The deadline bounds the whole call,
// retries and their waits included.
struct ChatCallOptions {
    int connectTimeoutMs = 10000;
    int firstByteTimeoutMs = 60000;
    int stallTimeoutMs = 30000;
    qint64 deadlineMs = 300000;
    RetryPolicy retry;
    qsizetype maxResponseBytes = 8 * 1024 * 1024;
};

// One chat call in flight: a handle to cancel it and learn its result.
// It deletes itself (deleteLater) after finished(); keep a QPointer. It is
// a child of its CohereClient: destroying the client aborts its calls
// without a finished() signal.
class ChatCall : public QObject {
    Q_OBJECT
public:
    ~ChatCall() override;

    bool isFinished() const { return m_result.has_value(); }
    // Valid once finished() was emitted.
    const ChatResult &result() const { return *m_result; }
    int attempts() const { return m_attempt; }

    // Aborts the request at once; finished() follows, synchronously, with
    // a Cancelled error. No-op once finished.
    void cancel();

    // Runs fn(result) when the call finishes, in context's thread, unless
    // context is destroyed first.
    void then(QObject *context, std::function<void(const ChatResult &)> fn);
    // Runs fn(text) for each piece of streamed reply text, likewise bound
    // to context's lifetime.
    void onTextDelta(QObject *context, std::function<void(const QString &)> fn);

Q_SIGNALS:
    void textDelta(const QString &text);
    void retrying(int nextAttempt, qint64 delayMs);
    void finished();

private:
    friend class CohereClient;
    ChatCall(QNetworkAccessManager *nam, QNetworkRequest request, QByteArray body, bool stream, QString apiKey,
             ChatCallOptions options, QObject *parent);

    void start();
    void startAttempt();
    void onConnected();
    void onHeaders();
    void onReadyRead();
    void onReplyFinished();
    void consumeStream(const QByteArray &bytes);
    void handleHttpError(const QByteArray &body);
    void failWith(CohereError::Kind kind, const QString &message, int httpStatus = 0);
    void finish(ChatResult result);
    void dropReply();
    void stopAttemptTimers();

    QNetworkAccessManager *m_nam;
    QNetworkRequest m_request;
    QByteArray m_body;
    bool m_stream;
    QString m_apiKey;
    ChatCallOptions m_options;

    QPointer<QNetworkReply> m_reply;
    QTimer m_connectTimer;
    QTimer m_firstByteTimer;
    QTimer m_stallTimer;
    QTimer m_deadlineTimer;
    QTimer m_retryTimer;
    QElapsedTimer m_clock;
    int m_attempt = 0;
    bool m_headersSeen = false;
    QByteArray m_responseBody;
    QStringList m_tlsErrors;
    SseParser m_parser;
    ChatStreamReader m_reader;
    std::optional<ChatResult> m_result;
};

// POST /v2/chat on a QNetworkAccessManager owned by the caller's thread
// (the run worker's). The client and its calls live in that thread.
class CohereClient : public QObject {
    Q_OBJECT
public:
    CohereClient(QNetworkAccessManager *nam, QUrl baseUrl, QObject *parent = nullptr);

    QUrl baseUrl() const { return m_baseUrl; }

    // A non-streaming chat. The key is sent only in the Authorization
    // header and is redacted from every error message.
    ChatCall *chat(const ChatRequest &request, const QString &apiKey, ChatCallOptions options = {});
    // The same, streamed: textDelta() fires as the reply arrives.
    ChatCall *chatStream(const ChatRequest &request, const QString &apiKey, ChatCallOptions options = {});

private:
    ChatCall *makeCall(const ChatRequest &request, const QString &apiKey, bool stream, ChatCallOptions options);

    QNetworkAccessManager *m_nam;
    QUrl m_baseUrl;
};

} // namespace safecell
