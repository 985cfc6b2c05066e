#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QTcpServer>

class QTcpSocket;

namespace safecell::api {

// One path of the API and the methods it answers. A prefix route matches
// its path followed by one non-empty segment (`/api/sessions/` + an id),
// never a deeper path.
struct GateRoute {
    QByteArray path;
    bool prefix = false;
    QList<QByteArray> methods; // "GET", "POST", "DELETE"
};

struct GateRules {
    QByteArray token;        // the bearer token every request must carry
    qint64 maxBodyBytes = 0; // a larger declared body answers 413
    QList<GateRoute> routes; // the API's paths; others answer 404
};

// The route `path` (without its query) belongs to, or nullptr.
const GateRoute *findRoute(const QList<GateRoute> &routes, const QByteArray &path);
// "not found: the API is at /api/code and /api/sessions/{id}"
QString notFoundMessage(const QList<GateRoute> &routes);

// What the gate makes of a request's head (request line and headers).
struct GateVerdict {
    int status = 0;                               // 0: let it through
    QString message;                              // the error body's text
    QList<QPair<QByteArray, QByteArray>> headers; // extra response headers
};

// "localhost:<port>", "127.0.0.1:<port>" or "[::1]:<port>", in any case.
bool isLoopbackHost(const QByteArray &host, quint16 port);
// "Bearer <token>": the scheme in any case, then one or more spaces, then
// the token, compared exactly and in constant time.
bool tokenMatches(const QByteArray &authorization, const QByteArray &token);

// Decides from the head alone, in this order: the Host must be this
// server's loopback name with its port (localhost, 127.0.0.1 or [::1]:
// anything else is a DNS-rebinding page or a stray client, 421); the path
// one of the API's routes (404); the bearer token right (401); the method
// one of that route's (405); a body of declared length (411) and at most
// maxBodyBytes (413).
GateVerdict judgeRequestHead(const QByteArray &head, const GateRules &rules, quint16 port);

// The door of the local HTTP API, in front of QAbstractHttpServer (which
// in Qt 6.4 reads a whole body before anyone can look at its headers). It
// peeks at each connection's head, at most kMaxHeadBytes, and refuses at
// once, without reading a byte of a body, whatever judgeRequestHead()
// refuses; only a request that passes is handed to the HTTP server, whose
// socket may then buffer no more than that request. Refusals close the
// connection, after a short linger that drains what the client was
// already sending so it reads the answer rather than a reset.
class RequestGate : public QTcpServer {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxHeadBytes = 16 * 1024;
    static constexpr int kHeadTimeoutMs = 10000;
    static constexpr int kLingerMs = 500;

    explicit RequestGate(GateRules rules, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr handle) override;

private:
    void inspect(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, const GateVerdict &verdict);
    void handOver(QTcpSocket *socket);

    GateRules m_rules;
};

} // namespace safecell::api
