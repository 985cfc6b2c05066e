#include "FakeE2b.h"
#include "FakeSqlRunner.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <optional>
#include <utility>

namespace safecell::fake {

using Headers = QList<QPair<QByteArray, QByteArray>>;

struct FakeE2b::Execution {
    Connection *connection = nullptr; // null once the client has gone
    Context *context = nullptr;
    FakeScript steps;
    qsizetype index = 0;
    QTimer *stepTimer = nullptr;
    QTimer *keepalive = nullptr;
};

struct FakeE2b::Context {
    QString id, language, cwd;
    Sandbox *sandbox = nullptr;
    int executionCount = 0;
    QHash<QString, qint64> variables;
    Execution *active = nullptr;
    QList<QPair<Connection *, QString>> pending; // queued behind `active`, as E2B's per-context lock
};

struct FakeE2b::Sandbox {
    QString id, templateId, envdToken, trafficToken;
    QJsonObject metadata;
    bool internet = true;
    QDateTime startedAt;
    QList<std::shared_ptr<Context>> contexts;
    QTimer *lifetime = nullptr;
};

struct FakeE2b::Connection {
    QTcpSocket *socket = nullptr;
    HttpRequestParser parser;
    bool busy = false;
    bool closeAfter = false;
    Execution *execution = nullptr;
    bool closed = false;                    // disconnected; deleted once the current call stack has unwound
    std::optional<FakeFault> replaceAnswer; // a fault that took effect: its bytes replace the answer
};

FakeStep FakeStep::stall()
{
    FakeStep s;
    s.kind = Kind::Stall;
    return s;
}
FakeStep FakeStep::truncate(const QByteArray &partial)
{
    FakeStep s;
    s.kind = Kind::Truncate;
    s.text = QString::fromUtf8(partial);
    return s;
}

FakeFault FakeFault::resetMidBody(const QByteArray &json, bool takeEffect)
{
    QByteArray whole = httpResponse(201, json, "application/json; charset=utf-8");
    whole.chop(json.size() / 2);
    return {whole, End::Drop, takeEffect};
}

FakeFault FakeFault::stallMidBody(const QByteArray &json, bool takeEffect)
{
    QByteArray whole = httpResponse(201, json, "application/json; charset=utf-8");
    whole.chop(json.size() / 2);
    return {whole, End::Stall, takeEffect};
}

FakeFault FakeFault::malformed(int status, const QByteArray &body, bool takeEffect)
{
    return {httpResponse(status, body, "application/json; charset=utf-8"), End::Complete, takeEffect};
}

FakeStep FakeStep::out(const QString &text)
{
    FakeStep s;
    s.kind = Kind::Stdout;
    s.text = text;
    return s;
}
FakeStep FakeStep::err(const QString &text)
{
    FakeStep s;
    s.kind = Kind::Stderr;
    s.text = text;
    return s;
}
FakeStep FakeStep::result(const PyFields &fields, bool isMainResult)
{
    FakeStep s;
    s.kind = Kind::Result;
    s.fields = fields;
    s.isMainResult = isMainResult;
    return s;
}
FakeStep FakeStep::error(const QString &name, const QString &value, const QString &traceback)
{
    FakeStep s;
    s.kind = Kind::Error;
    s.name = name;
    s.value = value;
    s.traceback = traceback;
    return s;
}
FakeStep FakeStep::sleep(int ms)
{
    FakeStep s;
    s.kind = Kind::Sleep;
    s.ms = ms;
    return s;
}
FakeStep FakeStep::hang()
{
    FakeStep s;
    s.kind = Kind::Hang;
    return s;
}
FakeStep FakeStep::disconnect()
{
    FakeStep s;
    s.kind = Kind::Disconnect;
    return s;
}
FakeStep FakeStep::raw(const QByteArray &line)
{
    FakeStep s;
    s.kind = Kind::RawLine;
    s.text = QString::fromUtf8(line);
    return s;
}

namespace {

QByteArray timestamp()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz000+00:00")).toLatin1();
}

QString ipythonTraceback(const QString &name, const QString &value, int cell, int line, const QString &source)
{
    return QStringLiteral("---------------------------------------------------------------------------\n"
                          "%1                         Traceback (most recent call last)\n"
                          "Cell In[%2], line %3\n----> %3 %4\n\n%1: %5")
        .arg(name)
        .arg(cell)
        .arg(line)
        .arg(source, value);
}

QByteArray compact(const QJsonValue &value)
{
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

// The subset of Python the fake evaluates (see FakeE2b.h).
std::optional<qint64> evaluate(const QString &expression, const QHash<QString, qint64> &variables, QString *unknownName)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(-?\\d+|[A-Za-z_]\\w*)(?:\\s*([-+*])\\s*(-?\\d+|[A-Za-z_]\\w*))?$"));
    const auto match = pattern.match(expression.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const auto operand = [&](const QString &text) -> std::optional<qint64> {
        bool ok = false;
        const qint64 number = text.toLongLong(&ok);
        if (ok)
            return number;
        if (variables.contains(text))
            return variables.value(text);
        *unknownName = text;
        return std::nullopt;
    };
    const auto left = operand(match.captured(1));
    if (!left)
        return std::nullopt;
    if (match.captured(2).isEmpty())
        return left;
    const auto right = operand(match.captured(3));
    if (!right)
        return std::nullopt;
    const QChar op = match.captured(2).at(0);
    return op == QLatin1Char('+') ? *left + *right : op == QLatin1Char('-') ? *left - *right : *left * *right;
}

} // namespace

FakeE2b::FakeE2b(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeE2b::onNewConnection);
}

FakeE2b::~FakeE2b()
{
    // Every run still going, once each: a connection and a context may both
    // point at the same run, so neither list is the owner.
    qDeleteAll(std::exchange(m_liveExecutions, {}));
    const auto connections = m_connections;
    for (Connection *connection : connections) {
        connection->socket->disconnect(this);
        delete connection;
    }
}

bool FakeE2b::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

quint16 FakeE2b::port() const
{
    return m_server->serverPort();
}

QUrl FakeE2b::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

QStringList FakeE2b::requestLog() const
{
    QStringList log;
    for (const HttpRequest &request : m_requests)
        log.append(QString::fromLatin1(request.method + ' ' + request.path));
    return log;
}

int FakeE2b::count(const QByteArray &method, const QByteArray &pathPrefix) const
{
    int n = 0;
    for (const HttpRequest &request : m_requests)
        if (request.method == method && request.path.startsWith(pathPrefix))
            ++n;
    return n;
}

QByteArray FakeE2b::uploadedFile(const QString &sandboxId, const QString &path) const
{
    return m_files.value(sandboxId).value(path);
}

int FakeE2b::busyContexts() const
{
    int busy = 0;
    for (const auto &sandbox : m_sandboxes)
        for (const auto &context : sandbox->contexts)
            if (context->active)
                ++busy;
    return busy;
}

qint64 FakeE2b::sandboxTimeoutS(const QString &sandboxId) const
{
    return m_timeouts.value(sandboxId, -1);
}

void FakeE2b::failNext(const QByteArray &method, const QByteArray &pathPrefix, int status, const QString &message,
                       const QByteArray &retryAfter, int times)
{
    m_failures.append({method, pathPrefix, retryAfter, status, message, times});
}

void FakeE2b::faultNext(const QByteArray &method, const QByteArray &pathPrefix, const FakeFault &fault)
{
    m_faults.append({method, pathPrefix, fault});
}

void FakeE2b::refuseConnections()
{
    m_server->close();
    const auto sockets = m_connections.keys();
    for (QTcpSocket *socket : sockets)
        socket->abort();
}

double FakeE2b::billedSeconds() const
{
    qint64 ms = m_billedEndedMs;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const auto &sandbox : m_sandboxes)
        ms += sandbox->startedAt.msecsTo(now);
    return ms / 1000.0;
}

void FakeE2b::sendFault(Connection *connection, const FakeFault &fault)
{
    QTcpSocket *socket = connection->socket;
    socket->write(fault.bytes);
    socket->flush();
    switch (fault.end) {
    case FakeFault::End::Complete:
        finishResponse(connection);
        break;
    case FakeFault::End::Stall:
        break; // busy for ever: the client's timeout must end it
    case FakeFault::End::Drop:
        socket->abort();
        break;
    }
}

FakeE2b::Connection *FakeE2b::liveConnection(Execution *execution)
{
    // A run may outlive its client's connection; never follow a stale link.
    if (execution->connection && !m_live.contains(execution->connection))
        execution->connection = nullptr;
    return execution->connection;
}

void FakeE2b::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // Small NDJSON writes must not wait for delayed ACKs (Nagle): each line goes at once.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        auto *connection = new Connection;
        connection->socket = socket;
        m_live.insert(connection);
        m_connections.insert(socket, connection);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
            if (Connection *c = m_connections.value(socket))
                onReadyRead(c);
        });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            if (Connection *c = m_connections.value(socket))
                onDisconnected(c);
        });
    }
}

void FakeE2b::onReadyRead(Connection *connection)
{
    connection->parser.feed(connection->socket->readAll());
    // An answer may close the connection (Connection: close, a dropped
    // fault): onDisconnected runs inside serve() then.
    while (!connection->busy && !connection->closed) {
        HttpRequest request;
        const auto state = connection->parser.next(&request);
        if (state == HttpRequestParser::State::NeedMore)
            return;
        if (state == HttpRequestParser::State::Bad) {
            connection->socket->write(httpResponse(400, "bad request", "text/plain"));
            connection->socket->disconnectFromHost();
            return;
        }
        connection->busy = true;
        connection->closeAfter = request.header("connection").toLower() == "close";
        m_requests.append(request);
        Q_EMIT requestReceived(QString::fromLatin1(request.method + ' ' + request.path));
        serve(connection, request);
    }
}

void FakeE2b::onDisconnected(Connection *connection)
{
    QTcpSocket *socket = connection->socket;
    m_connections.remove(socket);
    socket->deleteLater();
    for (const auto &sandbox : std::as_const(m_sandboxes)) {
        for (const auto &context : sandbox->contexts) {
            context->pending.removeIf([connection](const auto &entry) { return entry.first == connection; });
            // Never leave a run pointing at this connection, whatever linked them.
            if (context->active && context->active->connection == connection
                && connection->execution != context->active)
                context->active->connection = nullptr;
        }
    }
    if (Execution *execution = connection->execution) {
        connection->execution = nullptr;
        execution->connection = nullptr;
        // E2B notices the closed connection at its next write and interrupts
        // the kernel; a stuck kernel (setInterruptOnDisconnect(false)) stays busy.
        if (m_interruptOnDisconnect) {
            endExecution(execution, false);
        } else {
            execution->stepTimer->stop();
            execution->keepalive->stop();
        }
    }
    // Not now: serve() or onReadyRead() may be below us on the stack.
    connection->closed = true;
    m_live.remove(connection);
    QTimer::singleShot(0, this, [connection] { delete connection; });
}

void FakeE2b::finishResponse(Connection *connection)
{
    connection->busy = false;
    if (connection->closeAfter) {
        connection->socket->disconnectFromHost();
        return;
    }
    QTcpSocket *socket = connection->socket;
    QTimer::singleShot(0, socket, [this, socket] {
        if (Connection *c = m_connections.value(socket))
            onReadyRead(c);
    });
}

void FakeE2b::reply(Connection *connection, int status, const QByteArray &body, const QByteArray &contentType,
                    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    if (connection->replaceAnswer) {
        const FakeFault fault = *connection->replaceAnswer;
        connection->replaceAnswer.reset();
        sendFault(connection, fault);
        return;
    }
    connection->socket->write(httpResponse(status, body, status == 204 ? QByteArray() : contentType, headers));
    finishResponse(connection);
}

void FakeE2b::replyError(Connection *connection, int status, const QString &message, const Headers &headers)
{
    // The control plane's error body (Go, gin c.JSON): {"code": status, "message": ...}.
    reply(connection, status,
          compact(QJsonObject{{QStringLiteral("code"), status}, {QStringLiteral("message"), message}}),
          "application/json; charset=utf-8", headers);
}

bool FakeE2b::authorized(Connection *connection, const HttpRequest &request)
{
    const QString key = QString::fromUtf8(request.header("x-api-key"));
    if (!key.startsWith(QLatin1String("e2b_"))) {
        replyError(connection, 401,
                   QStringLiteral("Invalid API key, please visit https://e2b.dev/docs/api-key for more information. "
                                  "authorization header is malformed"));
        return false;
    }
    if (key != m_apiKey) {
        replyError(connection, 401,
                   QStringLiteral("Invalid API key, please visit https://e2b.dev/docs/api-key for more information."));
        return false;
    }
    return true;
}

void FakeE2b::serve(Connection *connection, const HttpRequest &request)
{
    for (qsizetype i = 0; i < m_faults.size(); ++i) {
        const PendingFault pending = m_faults.at(i);
        if (request.method != pending.method || !request.path.startsWith(pending.pathPrefix))
            continue;
        m_faults.removeAt(i);
        if (!pending.fault.takeEffect) {
            sendFault(connection, pending.fault);
            return;
        }
        connection->replaceAnswer = pending.fault;
        break;
    }
    for (qsizetype i = 0; i < m_failures.size(); ++i) {
        Failure &failure = m_failures[i];
        if (request.method != failure.method || !request.path.startsWith(failure.pathPrefix))
            continue;
        Headers headers;
        if (!failure.retryAfter.isEmpty())
            headers.append({"Retry-After", failure.retryAfter});
        const int status = failure.status;
        const QString message = failure.message;
        if (--failure.times <= 0)
            m_failures.removeAt(i);
        replyError(connection, status, message, headers);
        return;
    }
    if (request.header("e2b-sandbox-id").isEmpty() && !request.path.startsWith("/execute")
        && !request.path.startsWith("/contexts") && !request.path.startsWith("/files") && request.path != "/health") {
        serveControlPlane(connection, request);
        return;
    }
    serveSandbox(connection, request);
}

void FakeE2b::serveControlPlane(Connection *connection, const HttpRequest &request)
{
    if (!authorized(connection, request))
        return;
    const QList<QByteArray> parts = request.path.split('/'); // "", "sandboxes", id, ...
    if (request.method == "POST" && request.path == "/v2/sandboxes") {
        if (!m_v2Create) {
            replyError(connection, 404, QStringLiteral("Not Found"));
            return;
        }
        createSandbox(connection, request, false);
    } else if (request.method == "POST" && request.path == "/sandboxes") {
        createSandbox(connection, request, true);
    } else if (request.method == "GET" && (request.path == "/v2/sandboxes" || request.path == "/sandboxes")) {
        QJsonArray list;
        for (const auto &sandbox : std::as_const(m_sandboxes))
            list.append(QJsonObject{{QStringLiteral("templateID"), sandbox->templateId},
                                    {QStringLiteral("sandboxID"), sandbox->id},
                                    {QStringLiteral("clientID"), QStringLiteral("6532622b")},
                                    {QStringLiteral("startedAt"), sandbox->startedAt.toString(Qt::ISODate)},
                                    {QStringLiteral("endAt"),
                                     sandbox->startedAt.addSecs(m_timeouts.value(sandbox->id)).toString(Qt::ISODate)},
                                    {QStringLiteral("cpuCount"), 2},
                                    {QStringLiteral("memoryMB"), 512},
                                    {QStringLiteral("diskSizeMB"), 10240},
                                    {QStringLiteral("envdVersion"), QStringLiteral("0.5.4")},
                                    {QStringLiteral("metadata"), sandbox->metadata},
                                    {QStringLiteral("state"), QStringLiteral("running")}});
        reply(connection, 200, compact(list), "application/json; charset=utf-8",
              {{"X-Total-Running", QByteArray::number(m_sandboxes.size())}});
    } else if (parts.size() >= 3 && parts.at(1) == "sandboxes") {
        const QString id = QString::fromUtf8(parts.at(2));
        const QString notFound = QStringLiteral("Sandbox \"%1\" doesn't exist or you don't have access to it").arg(id);
        Sandbox *sandbox = m_sandboxes.value(id).get();
        if (request.method == "DELETE" && parts.size() == 3) {
            if (!sandbox) {
                replyError(connection, 404, notFound);
                return;
            }
            killSandbox(id);
            reply(connection, 204, {});
        } else if (request.method == "POST" && parts.size() == 4 && parts.at(3) == "timeout") {
            if (!sandbox) {
                replyError(connection, 404, notFound);
                return;
            }
            const qint64 timeout =
                QJsonDocument::fromJson(request.body).object().value(QLatin1String("timeout")).toInteger(-1);
            if (timeout <= 0) {
                replyError(connection, 400, QStringLiteral("Timeout must be greater than 0"));
                return;
            }
            m_timeouts.insert(id, timeout);
            sandbox->lifetime->start(int(qMin<qint64>(timeout * 1000, INT_MAX)));
            reply(connection, 204, {});
        } else if (request.method == "GET" && parts.size() == 3) {
            if (!sandbox) {
                replyError(connection, 404, notFound);
                return;
            }
            reply(connection, 200,
                  compact(QJsonObject{{QStringLiteral("templateID"), sandbox->templateId},
                                      {QStringLiteral("sandboxID"), sandbox->id},
                                      {QStringLiteral("clientID"), QStringLiteral("6532622b")},
                                      {QStringLiteral("envdVersion"), QStringLiteral("0.5.4")},
                                      {QStringLiteral("state"), QStringLiteral("running")}}),
                  "application/json; charset=utf-8");
        } else {
            replyError(connection, 404, QStringLiteral("Not Found"));
        }
    } else {
        replyError(connection, 404, QStringLiteral("Not Found"));
    }
}

void FakeE2b::createSandbox(Connection *connection, const HttpRequest &request, bool legacy)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString templateId = body.value(QLatin1String("templateID")).toString();
    if (templateId.isEmpty()) {
        replyError(connection, 400, QStringLiteral("Invalid request body: templateID is required"));
        return;
    }
    const qint64 timeout = body.value(QLatin1String("timeout")).toInteger(legacy ? 15 : 300);
    if (timeout <= 0) {
        replyError(connection, 400, QStringLiteral("Timeout must be greater than 0"));
        return;
    }
    const bool secure = !legacy || body.value(QLatin1String("secure")).toBool();
    m_createBodies.append(body);
    Q_EMIT createBodyReceived(request.body);
    auto sandbox = std::make_shared<Sandbox>();
    ++m_created;
    sandbox->id = QStringLiteral("ifake%1").arg(m_created, 14, 10, QLatin1Char('0'));
    sandbox->templateId = templateId;
    sandbox->metadata = body.value(QLatin1String("metadata")).toObject();
    // E2B's default when the field is left out: internet on.
    sandbox->internet = body.value(QLatin1String("allow_internet_access")).toBool(true);
    sandbox->startedAt = QDateTime::currentDateTimeUtc();
    if (secure)
        sandbox->envdToken = QStringLiteral("envd_token_") + QUuid::createUuid().toString(QUuid::Id128);
    if (m_requireTrafficToken)
        sandbox->trafficToken = QStringLiteral("traffic_token_") + QUuid::createUuid().toString(QUuid::Id128);
    sandbox->lifetime = new QTimer(this);
    sandbox->lifetime->setSingleShot(true);
    const QString id = sandbox->id;
    connect(sandbox->lifetime, &QTimer::timeout, this, [this, id] { killSandbox(id); });
    sandbox->lifetime->start(int(qMin<qint64>(timeout * 1000, INT_MAX)));
    m_timeouts.insert(id, timeout);
    // The two default contexts E2B's server creates at start.
    for (const char *language : {"python", "javascript"}) {
        auto context = std::make_shared<Context>();
        context->id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        context->language = QString::fromLatin1(language);
        context->cwd = QStringLiteral("/home/user");
        context->sandbox = sandbox.get();
        sandbox->contexts.append(context);
    }
    m_sandboxes.insert(id, sandbox);

    QJsonObject answer{{QStringLiteral("templateID"), templateId},
                       {QStringLiteral("sandboxID"), id},
                       {QStringLiteral("alias"), templateId},
                       {QStringLiteral("clientID"), QStringLiteral("6532622b")},
                       {QStringLiteral("envdVersion"), QStringLiteral("0.5.4")},
                       {QStringLiteral("trafficAccessToken"),
                        sandbox->trafficToken.isEmpty() ? QJsonValue() : QJsonValue(sandbox->trafficToken)},
                       {QStringLiteral("domain"), QJsonValue()}};
    if (!sandbox->envdToken.isEmpty())
        answer.insert(QStringLiteral("envdAccessToken"), sandbox->envdToken);
    const QByteArray json = compact(answer);
    if (m_createDelayMs <= 0) {
        reply(connection, 201, json, "application/json; charset=utf-8");
        return;
    }
    QTcpSocket *socket = connection->socket;
    QTimer::singleShot(m_createDelayMs, socket, [this, socket, json] {
        if (Connection *c = m_connections.value(socket))
            reply(c, 201, json, "application/json; charset=utf-8");
    });
}

void FakeE2b::killSandbox(const QString &id)
{
    const std::shared_ptr<Sandbox> sandbox = m_sandboxes.take(id);
    if (!sandbox)
        return;
    sandbox->lifetime->stop();
    sandbox->lifetime->deleteLater();
    m_billedEndedMs += sandbox->startedAt.msecsTo(QDateTime::currentDateTimeUtc());
    for (const auto &context : sandbox->contexts) {
        const auto pending = context->pending;
        context->pending.clear();
        for (const auto &entry : pending)
            reply(entry.first, 502,
                  compact(QJsonObject{{QStringLiteral("sandboxId"), id},
                                      {QStringLiteral("message"), QStringLiteral("The sandbox was not found")},
                                      {QStringLiteral("code"), 502}}),
                  "application/json; charset=utf-8");
        if (Execution *execution = context->active) {
            // The VM is gone: its connections drop.
            if (liveConnection(execution)) {
                Connection *c = liveConnection(execution);
                c->execution = nullptr;
                execution->connection = nullptr;
                c->socket->abort();
            }
            endExecution(execution, false);
        }
    }
}

void FakeE2b::expireSandbox(const QString &sandboxId)
{
    killSandbox(sandboxId);
}

void FakeE2b::serveSandbox(Connection *connection, const HttpRequest &request)
{
    const QString id = QString::fromUtf8(request.header("e2b-sandbox-id"));
    const std::shared_ptr<Sandbox> sandbox = m_sandboxes.value(id);
    if (!sandbox) {
        // The edge proxy's answer for an unknown, killed or expired sandbox.
        reply(connection, 502,
              compact(QJsonObject{{QStringLiteral("sandboxId"), id},
                                  {QStringLiteral("message"), QStringLiteral("The sandbox was not found")},
                                  {QStringLiteral("code"), 502}}),
              "application/json; charset=utf-8");
        return;
    }
    if (!sandbox->trafficToken.isEmpty()
        && QString::fromUtf8(request.header("e2b-traffic-access-token")) != sandbox->trafficToken) {
        reply(connection, 403,
              compact(QJsonObject{{QStringLiteral("sandboxId"), id},
                                  {QStringLiteral("message"),
                                   QStringLiteral("Sandbox is secured with traffic access token. "
                                                  "Token header 'e2b-traffic-access-token' is missing")},
                                  {QStringLiteral("code"), 403}}),
              "application/json; charset=utf-8");
        return;
    }
    const QByteArray port = request.header("e2b-sandbox-port");
    if (port == "49983" || request.path == "/files" || request.path == "/health") {
        serveFiles(connection, sandbox.get(), request);
        return;
    }
    const auto findContext = [&](const QString &contextId) -> Context * {
        for (const auto &context : sandbox->contexts)
            if (context->id == contextId)
                return context.get();
        return nullptr;
    };
    const auto defaultContext = [&](const QString &language) -> Context * {
        for (const auto &context : sandbox->contexts)
            if (context->language == language)
                return context.get();
        return nullptr;
    };
    const QList<QByteArray> parts = request.path.split('/');
    if (request.method == "POST" && request.path == "/execute") {
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        if (!body.value(QLatin1String("code")).isString()) {
            reply(connection, 422, R"({"detail":[{"type":"missing","loc":["body","code"],"msg":"Field required"}]})");
            return;
        }
        const QJsonValue contextId = body.value(QLatin1String("context_id"));
        const QJsonValue language = body.value(QLatin1String("language"));
        if (contextId.isString() && language.isString()) {
            reply(connection, 400, "Only one of context_id or language can be provided", "text/plain; charset=utf-8");
            return;
        }
        Context *context = nullptr;
        if (contextId.isString()) {
            context = findContext(contextId.toString());
            if (!context) {
                reply(connection, 404, QStringLiteral("Context %1 not found").arg(contextId.toString()).toUtf8(),
                      "text/plain; charset=utf-8");
                return;
            }
        } else {
            QString name = language.toString().trimmed().toLower();
            if (name.isEmpty())
                name = QStringLiteral("python");
            context = defaultContext(name);
            if (!context) {
                reply(connection, 500, QStringLiteral("Failed to create context: no kernel for %1").arg(name).toUtf8(),
                      "text/plain; charset=utf-8");
                return;
            }
        }
        startExecute(connection, sandbox.get(), context, body.value(QLatin1String("code")).toString());
    } else if (request.method == "POST" && request.path == "/contexts") {
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        auto context = std::make_shared<Context>();
        context->id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        context->language = body.value(QLatin1String("language")).toString(QStringLiteral("python"));
        context->cwd = body.value(QLatin1String("cwd")).toString(QStringLiteral("/home/user"));
        context->sandbox = sandbox.get();
        sandbox->contexts.append(context);
        reply(connection, 200,
              pyJsonObject({{QStringLiteral("id"), context->id},
                            {QStringLiteral("language"), context->language},
                            {QStringLiteral("cwd"), context->cwd}}));
    } else if (request.method == "GET" && request.path == "/contexts") {
        QJsonArray list;
        for (const auto &context : sandbox->contexts)
            list.append(QJsonObject{{QStringLiteral("id"), context->id},
                                    {QStringLiteral("language"), context->language},
                                    {QStringLiteral("cwd"), context->cwd}});
        reply(connection, 200, pyJson(list));
    } else if (parts.size() >= 3 && parts.at(1) == "contexts") {
        Context *context = findContext(QString::fromUtf8(parts.at(2)));
        if (!context) {
            reply(connection, 404, "Context " + parts.at(2) + " not found", "text/plain; charset=utf-8");
            return;
        }
        if (request.method == "POST" && parts.size() == 4 && parts.at(3) == "restart") {
            if (Execution *execution = context->active) {
                if (liveConnection(execution))
                    writeLine(execution,
                              pyJsonObject({{QStringLiteral("type"), QStringLiteral("error")},
                                            {QStringLiteral("name"), QStringLiteral("ContextRestarting")},
                                            {QStringLiteral("value"), QStringLiteral("Context was restarted")},
                                            {QStringLiteral("traceback"), QString()}}));
                endExecution(execution, true);
            }
            context->variables.clear();
            context->executionCount = 0;
            reply(connection, 200, "null");
        } else if (request.method == "DELETE" && parts.size() == 3) {
            // Runs queued on it fail first: none may start in a context about to go.
            const auto queued = context->pending;
            context->pending.clear();
            for (const auto &entry : queued)
                if (m_live.contains(entry.first))
                    reply(entry.first, 404, "Context " + parts.at(2) + " was removed", "text/plain; charset=utf-8");
            if (context->active)
                endExecution(context->active, true);
            sandbox->contexts.removeIf([context](const auto &c) { return c.get() == context; });
            reply(connection, 200, "null");
        } else {
            reply(connection, 404, "Not Found", "text/plain");
        }
    } else {
        reply(connection, 404, R"({"detail":"Not Found"})");
    }
}

void FakeE2b::serveFiles(Connection *connection, Sandbox *sandbox, const HttpRequest &request)
{
    if (request.path == "/health") {
        reply(connection, 204, {});
        return;
    }
    if (!sandbox->envdToken.isEmpty() && QString::fromUtf8(request.header("x-access-token")) != sandbox->envdToken) {
        reply(connection, 401, R"({"code":401,"message":"unauthorized access, please provide a valid access token"})");
        return;
    }
    QString path = request.query.queryItemValue(QStringLiteral("path"), QUrl::FullyDecoded);
    if (request.path != "/files") {
        reply(connection, 404, R"({"code":404,"message":"not found"})");
        return;
    }
    if (request.method == "GET") {
        if (!m_files.value(sandbox->id).contains(path)) {
            reply(connection, 404, R"({"code":404,"message":"path not found"})");
            return;
        }
        reply(connection, 200, m_files.value(sandbox->id).value(path), "application/octet-stream");
        return;
    }
    if (request.method != "POST") {
        reply(connection, 405, R"({"code":405,"message":"method not allowed"})");
        return;
    }
    QByteArray data = request.body;
    const QByteArray contentType = request.header("content-type");
    if (contentType.startsWith("multipart/form-data")) {
        const qsizetype at = contentType.indexOf("boundary=");
        QByteArray boundary = contentType.mid(at + 9).split(';').first().trimmed();
        if (boundary.startsWith('"'))
            boundary = boundary.mid(1, boundary.size() - 2);
        const QByteArray delimiter = "--" + boundary;
        const qsizetype partStart = data.indexOf(delimiter);
        const qsizetype headersEnd = data.indexOf("\r\n\r\n", partStart);
        const qsizetype partEnd = data.indexOf(QByteArray("\r\n" + delimiter), headersEnd);
        if (at < 0 || partStart < 0 || headersEnd < 0 || partEnd < 0) {
            reply(connection, 400, R"({"code":400,"message":"error parsing multipart form"})");
            return;
        }
        const QByteArray partHeaders = data.mid(partStart, headersEnd - partStart);
        static const QRegularExpression filename(QStringLiteral("filename=\"([^\"]*)\""));
        const auto match = filename.match(QString::fromUtf8(partHeaders));
        if (path.isEmpty() && match.hasMatch())
            path = match.captured(1);
        data = data.mid(headersEnd + 4, partEnd - headersEnd - 4);
    }
    if (path.isEmpty()) {
        reply(connection, 400, R"({"code":400,"message":"path is required"})");
        return;
    }
    if (!path.startsWith(QLatin1Char('/')))
        path = QStringLiteral("/home/user/") + path;
    m_files[sandbox->id].insert(path, data);
    reply(connection, 200,
          compact(QJsonArray{QJsonObject{{QStringLiteral("name"), path.section(QLatin1Char('/'), -1)},
                                         {QStringLiteral("type"), QStringLiteral("file")},
                                         {QStringLiteral("path"), path}}}));
}

FakeScript FakeE2b::scriptFor(Context *context, const QString &code)
{
    if (m_scripts.contains(code))
        return m_scripts.value(code);
    for (const auto &entry : std::as_const(m_fragmentScripts))
        if (code.contains(entry.first))
            return entry.second;

    static const QRegularExpression print(QStringLiteral("^print\\((['\"])(.*)\\1\\)$"));
    static const QRegularExpression raise(QStringLiteral("^raise\\s+(\\w+)\\((?:(['\"])(.*)\\2)?\\)$"));
    static const QRegularExpression assign(QStringLiteral("^([A-Za-z_]\\w*)\\s*=\\s*(.+)$"));
    FakeScript script;
    const QStringList lines = code.split(QLatin1Char('\n'));
    const int cell = context->executionCount;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        const int lineNumber = int(i + 1);
        const auto fail = [&](const QString &name, const QString &value) {
            script.append(FakeStep::error(name, value, ipythonTraceback(name, value, cell, lineNumber, line)));
        };
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')) || line == QLatin1String("pass"))
            continue;
        if (const auto m = print.match(line); m.hasMatch()) {
            script.append(FakeStep::out(QString(m.captured(2)).replace(QLatin1String("\\n"), QLatin1String("\n"))
                                        + QLatin1Char('\n')));
            continue;
        }
        if (const auto m = raise.match(line); m.hasMatch()) {
            fail(m.captured(1), m.captured(3));
            return script;
        }
        QString unknown;
        if (const auto m = assign.match(line); m.hasMatch() && !line.contains(QLatin1String("=="))) {
            const auto value = evaluate(m.captured(2), context->variables, &unknown);
            if (!value) {
                fail(unknown.isEmpty() ? QStringLiteral("SyntaxError") : QStringLiteral("NameError"),
                     unknown.isEmpty() ? QStringLiteral("the fake E2B does not run this")
                                       : QStringLiteral("name '%1' is not defined").arg(unknown));
                return script;
            }
            context->variables.insert(m.captured(1), *value);
            continue;
        }
        const auto value = evaluate(line, context->variables, &unknown);
        if (!value) {
            fail(unknown.isEmpty() ? QStringLiteral("SyntaxError") : QStringLiteral("NameError"),
                 unknown.isEmpty() ? QStringLiteral("the fake E2B does not run this")
                                   : QStringLiteral("name '%1' is not defined").arg(unknown));
            return script;
        }
        if (i == lines.size() - 1 || lines.mid(i + 1).join(QString()).trimmed().isEmpty())
            script.append(FakeStep::result({{QStringLiteral("text"), QString::number(*value)}}, true));
    }
    return script;
}

void FakeE2b::startExecute(Connection *connection, Sandbox *sandbox, Context *context, const QString &code)
{
    if (context->active) {
        context->pending.append({connection, code}); // E2B's per-context lock: wait for the current run
        return;
    }
    m_executed.append(code);
    auto *execution = new Execution;
    m_liveExecutions.insert(execution);
    execution->connection = connection;
    execution->context = context;
    context->active = execution;
    ++context->executionCount;
    const bool scripted = m_scripts.contains(code)
                          || std::any_of(m_fragmentScripts.cbegin(), m_fragmentScripts.cend(),
                                         [&code](const auto &entry) { return code.contains(entry.first); });
    execution->steps = m_runSqlWithPython && !scripted && code.contains(QLatin1String("import sqlite3"))
                           ? runSqlScriptWithPython(code, m_files.value(sandbox->id))
                           : scriptFor(context, code);
    connection->execution = execution;
    execution->stepTimer = new QTimer(this);
    execution->stepTimer->setSingleShot(true);
    // A scripted sleep(1000) lasts at least a second, as Python's does: a
    // coarse timer may fire up to 5% early, which made ten of them end
    // before the tests' 9.9 s.
    execution->stepTimer->setTimerType(Qt::PreciseTimer);
    connect(execution->stepTimer, &QTimer::timeout, this, [this, execution] { runNextStep(execution); });
    execution->keepalive = new QTimer(this);
    connect(execution->keepalive, &QTimer::timeout, this, [this, execution] {
        writeLine(execution, pyJsonObject({{QStringLiteral("type"), QStringLiteral("keepalive")}}));
    });
    execution->keepalive->start(m_keepaliveMs);
    // No Content-Type: Starlette's StreamingResponse gets media_type=None.
    connection->socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    writeLine(execution, pyJsonObject({{QStringLiteral("type"), QStringLiteral("number_of_executions")},
                                       {QStringLiteral("execution_count"), context->executionCount}}));
    runNextStep(execution);
}

void FakeE2b::writeLine(Execution *execution, const QByteArray &line)
{
    if (!liveConnection(execution))
        return;
    const QByteArray data = line + '\n';
    QTcpSocket *socket = liveConnection(execution)->socket;
    socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    socket->flush();
}

void FakeE2b::runNextStep(Execution *execution)
{
    // A write may find the client gone: the disconnect ends (and deletes)
    // the run under our feet, so it is looked up again before each step.
    while (m_liveExecutions.contains(execution) && execution->index < execution->steps.size()) {
        const FakeStep step = execution->steps.at(execution->index++);
        switch (step.kind) {
        case FakeStep::Kind::Stdout:
        case FakeStep::Kind::Stderr:
            writeLine(execution, pyJsonObject({{QStringLiteral("type"), step.kind == FakeStep::Kind::Stdout
                                                                            ? QStringLiteral("stdout")
                                                                            : QStringLiteral("stderr")},
                                               {QStringLiteral("text"), step.text},
                                               {QStringLiteral("timestamp"), QString::fromLatin1(timestamp())}}));
            break;
        case FakeStep::Kind::Result: {
            PyFields fields{{QStringLiteral("type"), QStringLiteral("result")}};
            fields += step.fields;
            bool hasExtra = false;
            for (const auto &field : step.fields)
                hasExtra = hasExtra || field.first == QLatin1String("extra");
            if (!hasExtra)
                fields.append({QStringLiteral("extra"), QJsonObject()});
            fields.append({QStringLiteral("is_main_result"), step.isMainResult});
            writeLine(execution, pyJsonObject(fields));
            break;
        }
        case FakeStep::Kind::Error:
            writeLine(execution, pyJsonObject({{QStringLiteral("type"), QStringLiteral("error")},
                                               {QStringLiteral("name"), step.name},
                                               {QStringLiteral("value"), step.value},
                                               {QStringLiteral("traceback"), step.traceback}}));
            endExecution(execution, true); // at most one error, then the end
            return;
        case FakeStep::Kind::RawLine:
            writeLine(execution, step.text.toUtf8());
            break;
        case FakeStep::Kind::Sleep:
            execution->stepTimer->start(step.ms);
            return;
        case FakeStep::Kind::Hang:
            return; // keepalives only, until the client goes or the context restarts
        case FakeStep::Kind::Stall:
            execution->keepalive->stop();
            return;
        case FakeStep::Kind::Truncate:
            if (Connection *connection = liveConnection(execution)) {
                const QByteArray partial = step.text.toUtf8();
                if (!partial.isEmpty())
                    connection->socket->write(QByteArray::number(partial.size(), 16) + "\r\n" + partial + "\r\n");
                connection->socket->write("0\r\n\r\n");
                connection->socket->flush();
                connection->execution = nullptr;
                execution->connection = nullptr;
                finishResponse(connection);
            }
            endExecution(execution, false);
            return;
        case FakeStep::Kind::Disconnect:
            if (Connection *connection = liveConnection(execution))
                connection->socket->abort(); // onDisconnected ends or orphans the run
            return;
        }
    }
    endExecution(execution, true);
}

void FakeE2b::endExecution(Execution *execution, bool sendEnd)
{
    // A run ends once: a second end (a stale context link) is ignored.
    if (!m_liveExecutions.remove(execution))
        return;
    execution->stepTimer->stop();
    execution->keepalive->stop();
    execution->stepTimer->deleteLater();
    execution->keepalive->deleteLater();
    if (Connection *connection = liveConnection(execution)) {
        connection->execution = nullptr;
        if (sendEnd) {
            writeLine(execution, pyJsonObject({{QStringLiteral("type"), QStringLiteral("end_of_execution")}}));
            connection->socket->write("0\r\n\r\n");
            finishResponse(connection);
        }
    }
    Context *context = execution->context;
    delete execution;
    releaseContext(context);
}

void FakeE2b::releaseContext(Context *context)
{
    context->active = nullptr;
    startPending(context);
}

void FakeE2b::startPending(Context *context)
{
    if (context->active || context->pending.isEmpty())
        return;
    const auto next = context->pending.takeFirst();
    if (!m_live.contains(next.first)) { // its client went away while it waited
        startPending(context);
        return;
    }
    startExecute(next.first, context->sandbox, context, next.second);
}

} // namespace safecell::fake

namespace safecell::fake {

std::optional<bool> FakeE2b::internetAllowed(const QString &sandboxId) const
{
    const auto sandbox = m_sandboxes.value(sandboxId);
    if (!sandbox)
        return std::nullopt;
    return sandbox->internet;
}

} // namespace safecell::fake
