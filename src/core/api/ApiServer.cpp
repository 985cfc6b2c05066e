#include "ApiServer.h"

#include "api/HttpMapping.h"
#include "api/OpenApiDocument.h"
#include "api/RequestGate.h"
#include "api/RunStream.h"
#include "common/Logging.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <utility>
#include <vector>

namespace safecell::api {

namespace {

const QByteArray kCodePath = "/api/code";
const QByteArray kSessionsPath = "/api/sessions/";
const QByteArray kOpenApiPath = "/api/openapi.json";

const QList<GateRoute> &routes()
{
    static const QList<GateRoute> all{{kCodePath, false, {"GET", "POST"}},
                                      {kSessionsPath, true, {"DELETE"}},
                                      {kOpenApiPath, false, {"GET"}}};
    return all;
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    default:
        return "OTHER";
    }
}

using Headers = std::vector<std::pair<QByteArray, QByteArray>>;

void reply(QHttpServerResponder &responder, int status, const QJsonObject &body, const Headers &extra = {})
{
    const QByteArray bytes = QJsonDocument(body).toJson(QJsonDocument::Compact);
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    responder.writeHeader("Content-Type", "application/json");
    responder.writeHeader("Cache-Control", "no-store");
    // One request per connection: the next one has to come through the
    // gate (RequestGate) again.
    responder.writeHeader("Connection", "close");
    for (const auto &[name, value] : extra)
        responder.writeHeader(name, value);
    responder.writeHeader("Content-Length", QByteArray::number(bytes.size()));
    responder.writeBody(bytes);
}

// 204: no body, so no Content-Length either (RFC 9110, 8.6).
void replyNoContent(QHttpServerResponder &responder)
{
    responder.writeStatusLine(QHttpServerResponder::StatusCode::NoContent);
    responder.writeHeader("Cache-Control", "no-store");
    responder.writeHeader("Connection", "close");
    responder.writeBody(QByteArray());
}

QJsonObject sessionErrorBody(const QString &message, const QString &sessionId)
{
    QJsonObject body = errorBody(message);
    body.insert(QStringLiteral("sessionId"), sessionId);
    return body;
}

// After the answer: the connection ends, once what was written is out.
// A client that stops reading could keep what was written for it (and its
// connection) forever: after this long the connection is dropped.
constexpr int kCloseGraceMs = 30000;

void close(QTcpSocket *socket)
{
    if (!socket)
        return;
    socket->disconnectFromHost();
    if (socket->state() != QAbstractSocket::UnconnectedState)
        QTimer::singleShot(kCloseGraceMs, socket, [socket] { socket->abort(); });
}

} // namespace

ApiServer::ApiServer(ApiServerConfig config, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_config(std::move(config))
    , m_pool(new RunPool(m_config.maxRunsInFlight, m_config.worker, this))
{
    connect(m_pool, &RunPool::finished, this, &ApiServer::runFinished);
    connect(m_pool, &RunPool::stdoutReceived, this,
            [this](RunPool::Ticket ticket, const QString &text) { streamLine(ticket, stdoutEvent(text)); });
    connect(m_pool, &RunPool::stderrReceived, this,
            [this](RunPool::Ticket ticket, const QString &text) { streamLine(ticket, stderrEvent(text)); });
    connect(m_pool, &RunPool::resultReceived, this,
            [this](RunPool::Ticket ticket, const RichResult &result) { streamLine(ticket, resultEvent(result)); });
    m_pool->setSessionRules({std::max(0, m_config.maxSessions), m_config.sessionIdleTimeoutMs});
    m_pool->setWarm(m_config.warmKernels);
}

ApiServer::~ApiServer() = default;

Expected<quint16, QString> ApiServer::listenLocal(const QHostAddress &address, quint16 port)
{
    if (!address.isLoopback()) {
        return unexpected(QStringLiteral("refusing to listen on %1: the API only listens on a "
                                         "loopback address such as 127.0.0.1")
                              .arg(address.toString()));
    }
    if (m_config.token.size() < 16)
        return unexpected(QStringLiteral("refusing to listen without a bearer token"));
    // The gate answers what needs no body (host, token, declared size)
    // before a byte of the body is read; only what passes reaches us.
    auto *gate = new RequestGate({m_config.token.toUtf8(), m_config.maxBodyBytes, routes()}, this);
    if (!gate->listen(address, port)) {
        delete gate;
        return unexpected(
            QStringLiteral("cannot listen on %1:%2 (is the port in use?)").arg(address.toString()).arg(port));
    }
    bind(gate);
    qCInfo(lcApi) << "listening on" << address.toString() << gate->serverPort();
    return gate->serverPort();
}

bool ApiServer::authorised(const QHttpServerRequest &request) const
{
    return tokenMatches(request.value("Authorization"), m_config.token.toUtf8());
}

bool ApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // One request per connection: Qt would parse whatever follows on it as
    // the next request, behind the gate's back.
    QObject::disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    QHttpServerResponder responder = makeResponder(request, socket);
    // The gate has judged the head already. Judged again, so that nothing
    // reaches a run without these checks, whatever let it in.
    if (!isLoopbackHost(request.value("Host"), socket->localPort())) {
        reply(responder, 421, errorBody(QStringLiteral("the Host header must be this server's loopback address")));
        close(socket);
        return true;
    }
    // Encoded: an id is checked as it was sent, as the gate saw it.
    const QByteArray path = request.url().path(QUrl::FullyEncoded).toUtf8();
    const GateRoute *route = findRoute(routes(), path);
    if (!route) {
        reply(responder, 404, errorBody(notFoundMessage(routes())));
        close(socket);
        return true;
    }
    if (!authorised(request)) {
        reply(responder, 401,
              errorBody(QStringLiteral(
                  "missing or invalid bearer token (send Authorization: Bearer <token>; `safecell token` prints it)")),
              {{"WWW-Authenticate", "Bearer"}});
        close(socket);
        return true;
    }
    if (!route->methods.contains(methodName(request.method()))) {
        reply(responder, 405,
              errorBody(
                  QStringLiteral("method not allowed: use %1").arg(QString::fromUtf8(route->methods.join(" or ")))),
              {{"Allow", route->methods.join(", ")}});
        close(socket);
        return true;
    }
    if (route->prefix) {
        deleteSession(request, socket, QString::fromUtf8(path.mid(route->path.size())));
        return true;
    }
    if (route->path == kOpenApiPath) {
        // The description the tests check the real answers against.
        const QByteArray document = openApiDocument();
        responder.writeStatusLine(QHttpServerResponder::StatusCode::Ok);
        responder.writeHeader("Content-Type", "application/json");
        responder.writeHeader("Cache-Control", "no-store");
        responder.writeHeader("Connection", "close");
        responder.writeHeader("Content-Length", QByteArray::number(document.size()));
        responder.writeBody(document);
        close(socket);
        return true;
    }
    if (request.method() == QHttpServerRequest::Method::Get) {
        getCode(request, socket);
        return true;
    }
    if (request.body().size() > m_config.maxBodyBytes) {
        reply(responder, 413,
              errorBody(QStringLiteral("body: must be at most %1 bytes (got %2)")
                            .arg(m_config.maxBodyBytes)
                            .arg(request.body().size())));
        close(socket);
        return true;
    }
    postCode(request, socket);
    return true;
}

void ApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    reply(responder, 404, errorBody(notFoundMessage(routes())));
    close(socket);
}

void ApiServer::getCode(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    if (!m_budgetProvider) {
        reply(responder, 503, errorBody(QStringLiteral("the budget is not available")));
        close(socket);
        return;
    }
    const auto snapshot = m_budgetProvider();
    if (!snapshot)
        reply(responder, 503, errorBody(snapshot.error()));
    else
        reply(responder, 200, *snapshot);
    close(socket);
}

void ApiServer::deleteSession(const QHttpServerRequest &request, QTcpSocket *socket, const QString &id)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    if (!isValidSessionId(id)) {
        reply(responder, 400,
              errorBody(QStringLiteral("sessionId: the path's id must be 1 to 64 letters, digits, '_', '.' or '-'")));
    } else if (!m_pool->endSession(id, QStringLiteral("ended by DELETE"))) {
        reply(responder, 404,
              sessionErrorBody(QStringLiteral("no session %1 (it ended, idled out, or never started)").arg(id), id));
    } else {
        replyNoContent(responder);
    }
    close(socket);
}

void ApiServer::postCode(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto parsed = parseRunRequestJson(request.body(), m_config.worker.requestLimits);
    const auto sessionId = sessionIdOf(request.body());
    const auto refuse = [&](int status, const QJsonObject &body, const Headers &extra = {}) {
        QHttpServerResponder responder = makeResponder(request, socket);
        reply(responder, status, body, extra);
        close(socket);
    };
    if (!parsed || !sessionId) {
        ValidationError error = parsed ? ValidationError{} : parsed.error();
        if (!sessionId)
            error.fields << sessionId.error();
        return refuse(400, invalidBody(error));
    }
    const QString &id = *sessionId;
    const auto tooManyRuns = [&] {
        refuse(429,
               errorBody(
                   QStringLiteral("too many runs in flight (at most %1); retry shortly").arg(m_config.maxRunsInFlight)),
               {{"Retry-After", "1"}});
    };
    // A session busy with a run says so (409), even when the server is full.
    const PooledWorker *sessionWorker = id.isEmpty() ? nullptr : m_pool->sessionWorker(id);
    if (m_pool->busy() >= m_config.maxRunsInFlight && !(sessionWorker && !sessionWorker->isIdle()))
        return tooManyRuns();
    // Without a session each request is a session of its own: what it
    // allows ends with it. A named session keeps what its first request
    // allowed, and its E2B sandbox lives as long as the session may.
    RunWorkerConfig session = m_config.worker;
    if (session.e2b) {
        session.e2b->allowInternet = parsed->allowInternet;
        // Without a session the sandbox ends with its run, so no keep-warm
        // step is asked (and held in the budget) for a sandbox about to go.
        session.e2b->idleTimeoutMs = id.isEmpty() ? 0 : m_config.sessionIdleTimeoutMs;
    }
    std::optional<RunPool::Ticket> ticket;
    if (id.isEmpty()) {
        ticket = m_pool->submit(session, *parsed);
        if (!ticket)
            return tooManyRuns();
    } else {
        const RunWorkerConfig *kept = m_pool->sessionConfig(id);
        if (kept && kept->e2b && kept->e2b->allowInternet != parsed->allowInternet) {
            return refuse(409, sessionErrorBody(QStringLiteral("allowInternet: session %1 was started with "
                                                               "allowInternet %2, which holds for the whole session; "
                                                               "DELETE /api/sessions/%1 to start it again")
                                                    .arg(id, kept->e2b->allowInternet ? QStringLiteral("true")
                                                                                      : QStringLiteral("false")),
                                                id));
        }
        const auto started = m_pool->submitInSession(id, session, *parsed);
        if (!started && started.error() == RunPool::Refusal::SessionBusy) {
            return refuse(409,
                          sessionErrorBody(QStringLiteral("session %1 is busy with another run; a session runs one "
                                                          "request at a time (retry when that one has answered)")
                                               .arg(id),
                                           id),
                          {{"Retry-After", "1"}});
        }
        if (!started) {
            return refuse(429,
                          sessionErrorBody(QStringLiteral(
                                               "too many sessions (at most %1): end one with DELETE "
                                               "/api/sessions/{id}, or wait for one to idle out (after %2 s)")
                                               .arg(m_pool->sessionRules().maxSessions)
                                               .arg(m_config.sessionIdleTimeoutMs / 1000),
                                           id),
                          {{"Retry-After", "1"}});
        }
        ticket = *started;
    }
    // The run answers later; keep the responder and watch its socket, which
    // the client may close before the run ends.
    m_waiting.insert(*ticket, {std::make_shared<QHttpServerResponder>(makeResponder(request, socket)), socket, id,
                               wantsStream(request.value("Accept"))});
    // A client that gives up stops its run, so nothing runs for nobody. By
    // its ticket: the worker may be serving another client by the time this
    // socket goes, and that run is not this client's to stop.
    connect(socket, &QTcpSocket::disconnected, this, [this, ticket = *ticket] { m_pool->cancel(ticket); });
}

void ApiServer::streamLine(RunPool::Ticket ticket, const QByteArray &line)
{
    const auto found = m_waiting.find(ticket);
    if (found == m_waiting.end() || !found->stream || !found->client
        || found->client->state() != QAbstractSocket::ConnectedState)
        return;
    if (found->client->bytesToWrite() > m_config.maxStreamBacklogBytes) {
        // The client does not read what its run sends: stop the run rather
        // than hold its output here without bound.
        qCWarning(lcApi) << "a streaming client fell" << found->client->bytesToWrite()
                         << "bytes behind; its run is stopped and its connection dropped";
        m_pool->cancel(ticket);
        found->client->abort();
        return;
    }
    QHttpServerResponder &responder = *found->responder;
    if (!found->headSent) {
        // The sandbox sent something, so the checks were passed and the code
        // runs: from here the answer is 200, and the run's own ending is in
        // the `end` line.
        responder.writeStatusLine(QHttpServerResponder::StatusCode::Ok);
        responder.writeHeader("Content-Type", kNdjsonType);
        responder.writeHeader("Cache-Control", "no-store");
        responder.writeHeader("Connection", "close");
        responder.writeHeader("Transfer-Encoding", "chunked");
        found->headSent = true;
    }
    responder.writeBody(httpChunk(line));
}

void ApiServer::runFinished(RunPool::Ticket ticket, const RunReport &report)
{
    const Waiting waiting = m_waiting.take(ticket);
    if (!waiting.client || waiting.client->state() != QAbstractSocket::ConnectedState) {
        qCInfo(lcApi) << "run" << report.runId << "ended after its client left";
        return;
    }
    const int status = httpStatusFor(report.outcome);
    QJsonObject response = responseBody(report);
    if (!waiting.sessionId.isEmpty())
        response.insert(QStringLiteral("sessionId"), waiting.sessionId);
    if (waiting.stream && waiting.headSent) {
        waiting.responder->writeBody(httpChunk(endEvent(status, response)) + lastHttpChunk());
    } else if (waiting.stream) {
        // Refused before its code ran: the status says so, and the body is
        // the stream's one `end` line.
        const QByteArray body = endEvent(status, response);
        waiting.responder->writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
        waiting.responder->writeHeader("Content-Type", kNdjsonType);
        waiting.responder->writeHeader("Cache-Control", "no-store");
        waiting.responder->writeHeader("Connection", "close");
        waiting.responder->writeHeader("Content-Length", QByteArray::number(body.size()));
        waiting.responder->writeBody(body);
    } else {
        reply(*waiting.responder, status, response);
    }
    close(waiting.client);
}

} // namespace safecell::api
