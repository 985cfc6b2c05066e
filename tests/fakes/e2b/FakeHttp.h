#pragma once

#include <QByteArray>
#include <QMap>
#include <QUrlQuery>

namespace safecell::fake {

// One HTTP/1.1 request as the fake received it.
struct HttpRequest {
    QByteArray method;
    QByteArray target; // as sent: path and query
    QByteArray path;   // without the query
    QUrlQuery query;
    QMap<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;                      // de-chunked
    bool chunked = false;                 // the body came with Transfer-Encoding: chunked

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

// Incremental request parser: Content-Length and chunked bodies, several
// requests on one keep-alive connection.
class HttpRequestParser {
public:
    enum class State { NeedMore, Ready, Bad };
    void feed(const QByteArray &bytes) { m_buffer += bytes; }
    // Ready: *out holds the next request, removed from the buffer.
    State next(HttpRequest *out);

private:
    QByteArray m_buffer;
};

QByteArray httpResponse(int status, const QByteArray &body, const QByteArray &contentType,
                        const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});
QByteArray reasonPhrase(int status);

} // namespace safecell::fake
