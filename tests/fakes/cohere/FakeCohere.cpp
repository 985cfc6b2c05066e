#include "cohere/FakeCohere.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <memory>

namespace safecell::fake {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 402:
        return "Payment Required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 411:
        return "Length Required";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 498:
        return "Invalid Token";
    case 499:
        return "Client Closed Request";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

QByteArray httpDate()
{
    return QLocale::c()
        .toString(QDateTime::currentDateTimeUtc(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
        .toLatin1();
}

// Parses one complete request off the front of `buffer`; false when more
// bytes are needed. Sets *bad on a request we cannot read.
bool takeRequest(QByteArray &buffer, RecordedRequest *out, bool *bad)
{
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        *bad = buffer.size() > 64 * 1024;
        return false;
    }
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    if (requestLine.size() != 3) {
        *bad = true;
        return false;
    }
    RecordedRequest r;
    r.method = requestLine[0];
    r.path = requestLine[1];
    qsizetype length = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        r.headers.append({name, value});
        if (name == "content-length")
            length = value.toLongLong();
        if (name == "transfer-encoding") {
            *bad = true; // clients send bodies with a length; we never need chunked uploads
            return false;
        }
    }
    const qsizetype total = headerEnd + 4 + length;
    if (buffer.size() < total)
        return false;
    r.body = buffer.mid(headerEnd + 4, length);
    buffer.remove(0, total);
    *out = std::move(r);
    return true;
}

} // namespace

QByteArray RecordedRequest::header(QByteArrayView name) const
{
    const QByteArray lower = name.toByteArray().toLower();
    for (const auto &h : headers) {
        if (h.first == lower)
            return h.second;
    }
    return {};
}

QJsonObject RecordedRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

FakeCohere::FakeCohere(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeCohere::onNewConnection);
}

FakeCohere::~FakeCohere() = default;

bool FakeCohere::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

quint16 FakeCohere::port() const
{
    return m_server->serverPort();
}

QUrl FakeCohere::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

void FakeCohere::enqueue(ScriptedResponse response)
{
    QMutexLocker lock(&m_mutex);
    m_queue.enqueue(std::move(response));
}

qsizetype FakeCohere::queued() const
{
    QMutexLocker lock(&m_mutex);
    return m_queue.size();
}

void FakeCohere::setExpectedKey(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    m_expectedKey = key;
}

QList<RecordedRequest> FakeCohere::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

void FakeCohere::clearRequests()
{
    QMutexLocker lock(&m_mutex);
    m_requests.clear();
}

void FakeCohere::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // Without TCP_NODELAY, the head and body writes meet Nagle and the
        // peer's delayed ACK: 40 ms added to every response on loopback.
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void FakeCohere::onReadyRead(QTcpSocket *socket)
{
    auto it = m_buffers.find(socket);
    if (it == m_buffers.end())
        return;
    it->append(socket->readAll());
    RecordedRequest request;
    bool bad = false;
    // One request at a time per connection: a pipelined second request
    // waits in the buffer until the first response has been written.
    while (takeRequest(*it, &request, &bad)) {
        handle(socket, request);
        it = m_buffers.find(socket);
        if (it == m_buffers.end())
            return;
    }
    if (bad) {
        send(socket, ScriptedResponse::error(400, QStringLiteral("invalid request: unreadable HTTP request")), true);
        m_buffers.remove(socket);
    }
}

bool FakeCohere::handleControl(QTcpSocket *socket, const RecordedRequest &request)
{
    if (!m_control || !request.path.startsWith("/fake/"))
        return false;
    if (request.path == "/fake/enqueue" && request.method == "POST") {
        const QJsonDocument doc = QJsonDocument::fromJson(request.body);
        const QJsonArray specs = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
        for (const QJsonValue &spec : specs)
            enqueue(ScriptedResponse::fromJson(spec.toObject()));
        send(socket, ScriptedResponse::rawJson("{\"queued\":" + QByteArray::number(queued()) + "}"), false);
    } else if (request.path == "/fake/requests") {
        QJsonArray out;
        for (const RecordedRequest &r : requests()) {
            QJsonObject headers;
            for (const auto &h : r.headers)
                headers.insert(QString::fromLatin1(h.first), QString::fromUtf8(h.second));
            out.append(QJsonObject{{QStringLiteral("method"), QString::fromLatin1(r.method)},
                                   {QStringLiteral("path"), QString::fromUtf8(r.path)},
                                   {QStringLiteral("headers"), headers},
                                   {QStringLiteral("body"), QString::fromUtf8(r.body)}});
        }
        send(socket, ScriptedResponse::rawJson(QJsonDocument(out).toJson(QJsonDocument::Compact)), false);
    } else if (request.path == "/fake/reset" && request.method == "POST") {
        {
            QMutexLocker lock(&m_mutex);
            m_queue.clear();
            m_requests.clear();
        }
        send(socket, ScriptedResponse::rawJson("{}"), false);
    } else {
        send(socket, ScriptedResponse::error(404, QStringLiteral("no such fake endpoint")), false);
    }
    return true;
}

void FakeCohere::handle(QTcpSocket *socket, const RecordedRequest &request)
{
    if (handleControl(socket, request))
        return;
    std::optional<ScriptedResponse> scripted;
    QString expectedKey;
    {
        QMutexLocker lock(&m_mutex);
        m_requests.append(request);
        if (!m_queue.isEmpty())
            scripted = m_queue.dequeue();
        expectedKey = m_expectedKey;
    }
    Q_EMIT requestReceived();
    const bool closeAfter = request.header("connection").toLower() == "close";
    if (scripted) {
        send(socket, std::move(*scripted), closeAfter);
        return;
    }
    if (!expectedKey.isEmpty()) {
        const QByteArray auth = request.header("authorization");
        if (auth.isEmpty()) {
            send(socket, ScriptedResponse::error(401, QStringLiteral("no api key supplied")), closeAfter);
            return;
        }
        if (auth != "Bearer " + expectedKey.toUtf8() && auth != "bearer " + expectedKey.toUtf8()) {
            send(socket, ScriptedResponse::error(401, QStringLiteral("invalid api token")), closeAfter);
            return;
        }
    }
    send(socket, automaticResponse(request), closeAfter);
}

ScriptedResponse FakeCohere::automaticResponse(const RecordedRequest &request) const
{
    // The free key check (protocols.md §2.7.1): a key that got past the
    // Authorization check above is valid.
    if (request.path == "/v1/check-api-key" && request.method == "POST") {
        if (request.header("authorization").isEmpty())
            return ScriptedResponse::error(401, QStringLiteral("no api key supplied"));
        return ScriptedResponse::rawJson(
            R"({"valid":true,"organization_id":"fake-organization","owner_id":"fake-owner"})");
    }
    if (request.path != "/v2/chat" || request.method != "POST")
        return ScriptedResponse::error(404, QStringLiteral("not found"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return ScriptedResponse::error(400,
                                       QStringLiteral("invalid request: could not parse the request body as JSON"));
    const QJsonObject body = doc.object();
    if (body.value(QStringLiteral("model")).toString().isEmpty())
        return ScriptedResponse::error(400, QStringLiteral("a model parameter is required for this endpoint."));
    if (!body.value(QStringLiteral("messages")).isArray())
        return ScriptedResponse::error(400, QStringLiteral("invalid request: messages must be an array."));
    if (body.contains(QStringLiteral("temperature"))) {
        const double t = body.value(QStringLiteral("temperature")).toDouble();
        if (t < 0 || t > 1)
            return ScriptedResponse::error(400,
                                           QStringLiteral(
                                               "invalid request: temperature must be between 0 and 1.0 inclusive."));
    }
    const qint64 input = body.value(QStringLiteral("messages")).toArray().size() * 5;
    if (body.value(QStringLiteral("stream")).toBool())
        return ScriptedResponse::stream({QStringLiteral("Hello"), QStringLiteral(" from"),
                                         QStringLiteral(" FakeCohere")},
                                        input, 3);
    return ScriptedResponse::chat(QStringLiteral("Hello from FakeCohere"), input, 3);
}

void FakeCohere::send(QTcpSocket *socket, ScriptedResponse response, bool closeAfter)
{
    auto shared = std::make_shared<ScriptedResponse>(std::move(response));
    const QPointer<QTcpSocket> guarded(socket);
    if (shared->dropBeforeHeaders) {
        socket->disconnectFromHost();
        return;
    }
    auto start = [this, guarded, shared, closeAfter] {
        if (!guarded)
            return;
        QByteArray head = "HTTP/1.1 " + QByteArray::number(shared->status) + ' ' + reasonPhrase(shared->status)
                          + "\r\n";
        head += "date: " + httpDate() + "\r\n";
        for (const auto &h : shared->headers)
            head += h.first + ": " + h.second + "\r\n";
        head += "x-debug-trace-id: " + newRequestId().replace("-", "") + "\r\n";
        if (shared->chunked)
            head += "transfer-encoding: chunked\r\n";
        else if (shared->end == ScriptedResponse::End::Complete)
            head += "content-length: " + QByteArray::number(shared->body().size()) + "\r\n";
        else // a truncated body announces its full intended length
            head += "content-length: " + QByteArray::number(shared->body().size() + 1000) + "\r\n";
        head += closeAfter ? "connection: close\r\n" : "connection: keep-alive\r\n";
        head += "\r\n";
        guarded->write(head);
        guarded->flush();
        writeStep(guarded, shared, 0, closeAfter);
    };
    if (shared->headerDelayMs > 0)
        QTimer::singleShot(shared->headerDelayMs, this, start);
    else
        start();
}

void FakeCohere::writeStep(QPointer<QTcpSocket> socket, std::shared_ptr<ScriptedResponse> response, int index,
                           bool closeAfter)
{
    // Writes steps until one asks for a delay, then continues from a timer.
    while (socket) {
        if (index >= response->steps.size()) {
            switch (response->end) {
            case ScriptedResponse::End::Complete:
                if (response->chunked)
                    socket->write("0\r\n\r\n");
                socket->flush();
                if (closeAfter)
                    socket->disconnectFromHost();
                break;
            case ScriptedResponse::End::Stall:
                socket->flush(); // and then nothing, with the connection open
                break;
            case ScriptedResponse::End::Drop:
                socket->flush();
                socket->disconnectFromHost();
                break;
            }
            return;
        }
        const BodyStep &step = response->steps[index];
        if (step.delayMs > 0 && index > 0) {
            const int delayMs = step.delayMs;
            response->steps[index].delayMs = 0; // waited for once
            QTimer::singleShot(delayMs, this, [this, socket, response, index, closeAfter] {
                writeStep(socket, response, index, closeAfter);
            });
            return;
        }
        if (!step.bytes.isEmpty()) {
            if (response->chunked)
                socket->write(QByteArray::number(step.bytes.size(), 16) + "\r\n" + step.bytes + "\r\n");
            else
                socket->write(step.bytes);
            socket->flush();
        }
        ++index;
    }
}

} // namespace safecell::fake
