#include "ApiServer.h"

#include "api/HttpMapping.h"
#include "common/Logging.h"
#include "pipeline/RunThread.h"

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
    for (const auto &[name, value] : extra)
        responder.writeHeader(name, value);
    responder.writeHeader("Content-Length", QByteArray::number(bytes.size()));
    responder.writeBody(bytes);
}

// Compares without an early exit, so the time taken says nothing about
// how much of a guessed token was right.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

ApiServer::ApiServer(ApiServerConfig config, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_config(std::move(config))
{
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
    const quint16 bound = listen(address, port);
    if (bound == 0)
        return unexpected(QStringLiteral("cannot listen on %1:%2 (is the port in use?)").arg(address.toString()).arg(port));
    qCInfo(lcApi) << "listening on" << address.toString() << bound;
    return bound;
}

bool ApiServer::authorised(const QHttpServerRequest &request) const
{
    const QByteArray header = request.value("Authorization");
    const QByteArray prefix = "Bearer ";
    if (!header.startsWith(prefix))
        return false;
    return constantTimeEquals(header.mid(prefix.size()).trimmed(), m_config.token.toUtf8());
}

bool ApiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (request.url().path() != kPath)
        return false; // missingHandler answers 404
    QHttpServerResponder responder = makeResponder(request, socket);
    if (!authorised(request)) {
        reply(responder, 401, errorBody(QStringLiteral("missing or invalid bearer token (send Authorization: Bearer <token>; `safecell token` prints it)")),
              {{"WWW-Authenticate", "Bearer"}});
        return true;
    }
    switch (request.method()) {
    case QHttpServerRequest::Method::Post:
        if (request.body().size() > m_config.maxBodyBytes) {
            reply(responder, 413, errorBody(QStringLiteral("body: must be at most %1 bytes (got %2)")
                                                .arg(m_config.maxBodyBytes).arg(request.body().size())));
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
        return true;
    }
}

void ApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    reply(responder, 404, errorBody(QStringLiteral("not found: the API is at %1").arg(kPath)));
}

void ApiServer::getCode(const QHttpServerRequest &request, QTcpSocket *socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    if (!m_budgetProvider) {
        reply(responder, 503, errorBody(QStringLiteral("the budget is not available")));
        return;
    }
    const auto snapshot = m_budgetProvider();
    if (!snapshot) {
        reply(responder, 503, errorBody(snapshot.error()));
        return;
    }
    reply(responder, 200, *snapshot);
}

void ApiServer::postCode(const QHttpServerRequest &request, QTcpSocket *socket)
{
    auto parsed = parseRunRequestJson(request.body(), m_config.worker.requestLimits);
    if (!parsed) {
        QHttpServerResponder responder = makeResponder(request, socket);
        reply(responder, 400, invalidBody(parsed.error()));
        return;
    }
    if (m_inFlight >= m_config.maxRunsInFlight) {
        QHttpServerResponder responder = makeResponder(request, socket);
        reply(responder, 429, errorBody(QStringLiteral("too many runs in flight (at most %1); retry shortly")
                                            .arg(m_config.maxRunsInFlight)),
              {{"Retry-After", "1"}});
        return;
    }

    // The run answers later; keep the responder and watch its socket, which
    // the client may close before the run ends.
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
    QPointer<QTcpSocket> client(socket);
    auto *runner = new RunThread(m_config.worker, this);
    ++m_inFlight;
    connect(runner->worker(), &RunWorker::finished, this, [this, runner, responder, client](const RunReport &report) {
        --m_inFlight;
        if (client && client->state() == QAbstractSocket::ConnectedState)
            reply(*responder, httpStatusFor(report.outcome), responseBody(report));
        else
            qCInfo(lcApi) << "run" << report.runId << "ended after its client left";
        runner->deleteLater();
    });
    // A client that gives up stops its run, so nothing runs for nobody.
    connect(socket, &QTcpSocket::disconnected, runner, &RunThread::cancel);
    runner->start(*parsed);
}

} // namespace safecell::api
