#pragma once

#include "api/RunPool.h"
#include "common/Expected.h"
#include "pipeline/RunWorker.h"

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QJsonObject>

#include <QHash>
#include <QPointer>

#include <functional>
#include <memory>

class QHttpServerResponder;
class QTcpSocket;

namespace safecell::api {

struct ApiServerConfig {
    QString token;                                // the bearer token every request must carry
    RunWorkerConfig worker;                       // each request's session starts from it
    int maxRunsInFlight = 4;                      // the pool's workers; more runs at once (sessions' too) answer 429
    int warmKernels = 2;                          // idle workers kept started, kernel up (at most maxRunsInFlight)
    int maxSessions = 8;                          // named sessions alive at once; a new one past it answers 429
    qint64 sessionIdleTimeoutMs = 10 * 60 * 1000; // a session with no run this long ends
    qint64 maxBodyBytes = 1 << 20;                // larger bodies answer 413
    // What a streamed answer may have waiting for a client that does not
    // read: past it, the run is stopped and the connection dropped. A run's
    // output is capped (4 MB by default), so a reading client never gets here.
    qint64 maxStreamBacklogBytes = 32 << 20;
};

// The local HTTP API: `POST /api/code` runs a snippet through the same
// pipeline as the window, `GET /api/code` reports the budget, `DELETE
// /api/sessions/{id}` ends a session. A POST without `sessionId` runs on a
// fresh session that no other request has used (a warm worker's); with
// one, on that session's own worker, whose kernel or E2B sandbox (and so
// its variables) lasts until DELETE, the idle timeout, or a run that ends
// Unavailable. A session serves one run at a time: a second answers 409.
// Loopback only, behind a RequestGate that refuses what it can from a
// request's head before any body is read; one request per connection.
// QAbstractHttpServer rather than QHttpServer: a run answers later, and Qt
// 6.4's QHttpServer cannot tell a late answer that its client has gone.
class ApiServer : public QAbstractHttpServer {
    Q_OBJECT
public:
    using BudgetProvider = std::function<Expected<QJsonObject, QString>()>;

    explicit ApiServer(ApiServerConfig config, QObject *parent = nullptr);
    ~ApiServer() override;

    // Refuses any address that is not loopback: the API has no TLS and
    // must never be reachable from the network.
    Expected<quint16, QString> listenLocal(const QHostAddress &address, quint16 port);

    void setBudgetProvider(BudgetProvider provider) { m_budgetProvider = std::move(provider); }
    int runsInFlight() const { return m_pool->busy(); }
    // For tests: the workers runs are served on.
    RunPool &pool() const { return *m_pool; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    bool authorised(const QHttpServerRequest &request) const;
    void postCode(const QHttpServerRequest &request, QTcpSocket *socket);
    void getCode(const QHttpServerRequest &request, QTcpSocket *socket);
    void deleteSession(const QHttpServerRequest &request, QTcpSocket *socket, const QString &id);

    void runFinished(RunPool::Ticket ticket, const RunReport &report);
    // A streamed run's next NDJSON line (RunStream.h), after the head if it
    // is the first. Nothing for a run answered as one JSON body.
    void streamLine(RunPool::Ticket ticket, const QByteArray &line);

    struct Waiting {
        std::shared_ptr<QHttpServerResponder> responder;
        QPointer<QTcpSocket> client;
        QString sessionId;     // empty: none
        bool stream = false;   // Accept: application/x-ndjson
        bool headSent = false; // the stream's 200 and headers are out
    };

    ApiServerConfig m_config;
    BudgetProvider m_budgetProvider;
    RunPool *m_pool;
    QHash<RunPool::Ticket, Waiting> m_waiting; // runs whose client awaits the answer
};

} // namespace safecell::api
