#include "ApiServer.h"

#include "api/HttpMapping.h"
#include "api/RequestGate.h"
#include "api/RunStream.h"
#include "common/Logging.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>

#include <utility>
#include <vector>

namespace safecell::api {

namespace {

const QString kPath = QStringLiteral("/api/code");

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

// After the answer: the connection ends, once what was written is out.
void close(QTcpSocket *socket)
{
    if (socket)
        socket->disconnectFromHost();
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
    auto *gate = new RequestGate({m_config.token.toUtf8(), m_config.maxBodyBytes, kPath}, this);
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
    if (request.url().path() != kPath) {
        reply(responder, 404, errorBody(QStringLiteral("not found: the API is at %1").arg(kPath)));
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
    switch (request.method()) {
    case QHttpServerRequest::Method::Post:
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
    case QHttpServerRequest::Method::Get:
        getCode(request, socket);
        return true;
    default:
        reply(responder, 405, errorBody(QStringLiteral("method not allowed: use GET or POST")),
              {{"Allow", "GET, POST"}});
        close(socket);
        return true;
    }
}

void ApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    reply(responder, 404, errorBody(QStringLiteral("not found: the API is at %1").arg(kPath)));
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

void ApiServer::postCode(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto parsed = parseRunRequestJson(request.body(), m_config.worker.requestLimits);
    if (!parsed) {
        QHttpServerResponder responder = makeResponder(request, socket);
        reply(responder, 400, invalidBody(parsed.error()));
        close(socket);
        return;
    }
    // Each request is a session of its own: what it allows ends with it.
    RunWorkerConfig session = m_config.worker;
    if (session.e2b)
        session.e2b->allowInternet = parsed->allowInternet;
    const auto ticket = m_pool->busy() < m_config.maxRunsInFlight ? m_pool->submit(session, *parsed) : std::nullopt;
    if (!ticket) {
        QHttpServerResponder responder = makeResponder(request, socket);
        reply(responder, 429,
              errorBody(
                  QStringLiteral("too many runs in flight (at most %1); retry shortly").arg(m_config.maxRunsInFlight)),
              {{"Retry-After", "1"}});
        close(socket);
        return;
    }
    // The run answers later; keep the responder and watch its socket, which
    // the client may close before the run ends.
    m_waiting.insert(*ticket, {std::make_shared<QHttpServerResponder>(makeResponder(request, socket)), socket,
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
    if (waiting.stream && waiting.headSent) {
        waiting.responder->writeBody(httpChunk(endEvent(status, responseBody(report))) + lastHttpChunk());
    } else if (waiting.stream) {
        // Refused before its code ran: the status says so, and the body is
        // the stream's one `end` line.
        const QByteArray body = endEvent(status, responseBody(report));
        waiting.responder->writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
        waiting.responder->writeHeader("Content-Type", kNdjsonType);
        waiting.responder->writeHeader("Cache-Control", "no-store");
        waiting.responder->writeHeader("Connection", "close");
        waiting.responder->writeHeader("Content-Length", QByteArray::number(body.size()));
        waiting.responder->writeBody(body);
    } else {
        reply(*waiting.responder, status, responseBody(report));
    }
    close(waiting.client);
}

} // namespace safecell::api
