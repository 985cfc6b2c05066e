#include "RequestGate.h"

#include "api/HttpMapping.h"
#include "common/Logging.h"

#include <QJsonDocument>
#include <QStringList>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace safecell::api {

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 421:
        return "Misdirected Request";
    case 431:
        return "Request Header Fields Too Large";
    default:
        return "Error";
    }
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

// Where the head ends (after its blank line), or -1. Accepts bare LF line
// ends, as Qt's parser behind the gate does.
qsizetype headEnd(const QByteArray &data)
{
    const qsizetype crlf = data.indexOf("\r\n\r\n");
    const qsizetype lf = data.indexOf("\n\n");
    if (crlf >= 0 && (lf < 0 || crlf < lf))
        return crlf + 4;
    return lf >= 0 ? lf + 2 : -1;
}

struct Head {
    QByteArray method;
    QByteArray path;
    QList<QPair<QByteArray, QByteArray>> fields; // names lower-cased
    QList<QByteArray> values(const QByteArray &name) const
    {
        QList<QByteArray> found;
        for (const auto &[n, v] : fields) {
            if (n == name)
                found << v;
        }
        return found;
    }
};

std::optional<Head> parseHead(const QByteArray &head)
{
    QList<QByteArray> lines = head.split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    while (!lines.isEmpty() && lines.constFirst().isEmpty())
        lines.removeFirst(); // blank lines before a request are allowed
    if (lines.isEmpty())
        return std::nullopt;
    const QList<QByteArray> requestLine = lines.takeFirst().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1."))
        return std::nullopt;
    Head parsed;
    parsed.method = requestLine.at(0);
    parsed.path = requestLine.at(1).split('?').constFirst();
    for (const QByteArray &line : std::as_const(lines)) {
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return std::nullopt;
        parsed.fields.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    return parsed;
}

GateVerdict refusal(int status, const QString &message, QList<QPair<QByteArray, QByteArray>> headers = {})
{
    return {status, message, std::move(headers)};
}

QByteArray allowHeader(const GateRoute &route)
{
    return route.methods.join(", ");
}

} // namespace

const GateRoute *findRoute(const QList<GateRoute> &routes, const QByteArray &path)
{
    for (const GateRoute &route : routes) {
        if (!route.prefix && path == route.path)
            return &route;
        if (route.prefix && path.startsWith(route.path) && path.size() > route.path.size()
            && path.indexOf('/', route.path.size()) < 0)
            return &route;
    }
    return nullptr;
}

QString notFoundMessage(const QList<GateRoute> &routes)
{
    QStringList paths;
    for (const GateRoute &route : routes)
        paths << QString::fromUtf8(route.path) + (route.prefix ? QStringLiteral("{id}") : QString());
    return QStringLiteral("not found: the API is at %1").arg(paths.join(QStringLiteral(" and ")));
}

bool isLoopbackHost(const QByteArray &host, quint16 port)
{
    const QByteArray suffix = ':' + QByteArray::number(port);
    const QByteArray name = host.trimmed().toLower();
    return name == "localhost" + suffix || name == "127.0.0.1" + suffix || name == "[::1]" + suffix;
}

bool tokenMatches(const QByteArray &authorization, const QByteArray &token)
{
    // RFC 7235: the scheme is case-insensitive and one or more spaces
    // part it from the credentials; the token itself is compared exactly.
    const QByteArray value = authorization.trimmed();
    const qsizetype space = value.indexOf(' ');
    if (space < 0 || value.left(space).compare("Bearer", Qt::CaseInsensitive) != 0)
        return false;
    qsizetype start = space;
    while (start < value.size() && value.at(start) == ' ')
        ++start;
    return constantTimeEquals(value.mid(start), token);
}

GateVerdict judgeRequestHead(const QByteArray &head, const GateRules &rules, quint16 port)
{
    const auto parsed = parseHead(head);
    if (!parsed)
        return refusal(400, QStringLiteral("not an HTTP/1.1 request"));
    const QList<QByteArray> hosts = parsed->values("host");
    if (hosts.size() != 1 || !isLoopbackHost(hosts.constFirst(), port)) {
        // A page whose name was rebound to 127.0.0.1 sends its own name.
        return refusal(421, QStringLiteral("the Host header must be this server's loopback address with its port, "
                                           "such as 127.0.0.1:%1")
                                .arg(port));
    }
    const GateRoute *route = findRoute(rules.routes, parsed->path);
    if (!route)
        return refusal(404, notFoundMessage(rules.routes));
    const QList<QByteArray> authorization = parsed->values("authorization");
    if (authorization.size() != 1 || !tokenMatches(authorization.constFirst(), rules.token)) {
        return refusal(401,
                       QStringLiteral("missing or invalid bearer token (send Authorization: Bearer <token>; "
                                      "`safecell token` prints it)"),
                       {{"WWW-Authenticate", "Bearer"}});
    }
    if (!route->methods.contains(parsed->method)) {
        return refusal(405,
                       QStringLiteral("method not allowed: use %1").arg(QString::fromUtf8(route->methods.join(" or "))),
                       {{"Allow", allowHeader(*route)}});
    }
    if (!parsed->values("transfer-encoding").isEmpty())
        return refusal(411, QStringLiteral("body: send it with a Content-Length, not in chunks"));
    const QList<QByteArray> lengths = parsed->values("content-length");
    if (lengths.size() > 1)
        return refusal(400, QStringLiteral("body: more than one Content-Length"));
    if (!lengths.isEmpty()) {
        bool ok = false;
        const qint64 length = lengths.constFirst().toLongLong(&ok);
        if (!ok || length < 0)
            return refusal(400, QStringLiteral("body: Content-Length is not a length"));
        if (length > rules.maxBodyBytes)
            return refusal(
                413, QStringLiteral("body: must be at most %1 bytes (got %2)").arg(rules.maxBodyBytes).arg(length));
    }
    return {};
}

RequestGate::RequestGate(GateRules rules, QObject *parent)
    : QTcpServer(parent)
    , m_rules(std::move(rules))
{
}

void RequestGate::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    // Nothing is read from the socket here, only peeked at; this bounds
    // what Qt buffers for us meanwhile.
    socket->setReadBufferSize(kMaxHeadBytes + 1);
    auto *timeout = new QTimer(socket);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, socket, [this, socket] {
        refuse(socket, refusal(408, QStringLiteral("the request's head did not arrive in time")));
    });
    timeout->start(kHeadTimeoutMs);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

void RequestGate::inspect(QTcpSocket *socket)
{
    const QByteArray data = socket->peek(kMaxHeadBytes + 1);
    const qsizetype end = headEnd(data);
    if (end < 0) {
        if (data.size() > kMaxHeadBytes)
            refuse(socket, refusal(431, QStringLiteral("the request's head is over %1 bytes").arg(kMaxHeadBytes)));
        return;
    }
    const QByteArray head = data.left(end);
    const GateVerdict verdict = judgeRequestHead(head, m_rules, serverPort());
    if (verdict.status != 0) {
        qCInfo(lcApi) << "refused a request before its body:" << verdict.status;
        refuse(socket, verdict);
        return;
    }
    const auto parsed = parseHead(head);
    const qint64 body = parsed->values("content-length").value(0, "0").toLongLong();
    // The HTTP server keeps a request in its buffer until it has all of it:
    // room for this one request, and no more.
    socket->setReadBufferSize(head.size() + body + 1);
    handOver(socket);
}

void RequestGate::handOver(QTcpSocket *socket)
{
    socket->disconnect(this);
    QObject::disconnect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    if (auto *timeout = socket->findChild<QTimer *>())
        delete timeout;
    addPendingConnection(socket);
    // The server hears of data from readyRead, which already fired for
    // the bytes we peeked at.
    QMetaObject::invokeMethod(socket, &QAbstractSocket::readyRead, Qt::QueuedConnection);
}

void RequestGate::refuse(QTcpSocket *socket, const GateVerdict &verdict)
{
    socket->disconnect(this);
    if (auto *timeout = socket->findChild<QTimer *>())
        timeout->stop();
    const QByteArray body = QJsonDocument(errorBody(verdict.message)).toJson(QJsonDocument::Compact);
    QByteArray answer = "HTTP/1.1 " + QByteArray::number(verdict.status) + ' ' + reasonPhrase(verdict.status)
                        + "\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nConnection: close\r\n";
    for (const auto &[name, value] : verdict.headers)
        answer += name + ": " + value + "\r\n";
    answer += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    socket->write(answer);

    // Linger: drop what the client still sends (never buffer it) until our
    // answer is out and a moment has passed, then close.
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->skip(socket->bytesAvailable()); });
    socket->skip(socket->bytesAvailable());
    auto *linger = new QTimer(socket);
    linger->setSingleShot(true);
    connect(linger, &QTimer::timeout, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    const auto halfClose = [socket, linger] {
        if (socket->bytesToWrite() > 0 || linger->isActive())
            return;
        ::shutdown(int(socket->socketDescriptor()), SHUT_WR);
        linger->start(kLingerMs);
    };
    connect(socket, &QTcpSocket::bytesWritten, socket, halfClose);
    socket->flush();
    halfClose();
}

} // namespace safecell::api
