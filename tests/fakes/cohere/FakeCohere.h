#pragma once

#include "cohere/ScriptedResponse.h"

#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QUrl>

class QTcpServer;
class QTcpSocket;

namespace safecell::fake {

// A request as FakeCohere received it. Header names are lower-cased.
struct RecordedRequest {
    QByteArray method;
    QByteArray path;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const;
    QJsonObject json() const; // the body, when it is a JSON object
};

// An in-process HTTP/1.1 server imitating POST /v2/chat of Cohere's API v2
// (protocols.md Part 2): the JSON and SSE bodies, error bodies, Retry-After,
// plus slow, stalled and dropped responses. Each test queues the responses
// it wants (enqueue); with an empty queue it answers like the real API
// would to a valid request (a chat reply, or a stream when "stream":true),
// and rejects what the real API rejects (no model, no key, wrong key).
class FakeCohere : public QObject {
    Q_OBJECT
public:
    explicit FakeCohere(QObject *parent = nullptr);
    ~FakeCohere() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:<port>

    void enqueue(ScriptedResponse response);
    qsizetype queued() const;
    // When set, a request without "Authorization: Bearer <key>" gets the
    // real 401 ("no api key supplied" / "invalid api token").
    void setExpectedKey(const QString &key);
    // Serves /fake/enqueue, /fake/requests and /fake/reset (the standalone
    // server's scripting interface).
    void setControlEndpoints(bool on) { m_control = on; }

    // Every /v2 request received so far (thread-safe).
    QList<RecordedRequest> requests() const;
    void clearRequests();
    int openConnections() const { return int(m_buffers.size()); }

Q_SIGNALS:
    void requestReceived();

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void handle(QTcpSocket *socket, const RecordedRequest &request);
    bool handleControl(QTcpSocket *socket, const RecordedRequest &request);
    ScriptedResponse automaticResponse(const RecordedRequest &request) const;
    void send(QTcpSocket *socket, ScriptedResponse response, bool closeAfter);
    void writeStep(QPointer<QTcpSocket> socket, std::shared_ptr<ScriptedResponse> response, int index, bool closeAfter);

    QTcpServer *m_server;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    mutable QMutex m_mutex; // guards m_queue, m_requests, m_expectedKey
    QQueue<ScriptedResponse> m_queue;
    QList<RecordedRequest> m_requests;
    QString m_expectedKey;
    bool m_control = false;
};

} // namespace safecell::fake
