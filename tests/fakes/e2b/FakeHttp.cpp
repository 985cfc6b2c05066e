#include "FakeHttp.h"

#include <QList>
#include <QUrl>

namespace safecell::fake {

HttpRequestParser::State HttpRequestParser::next(HttpRequest *out)
{
    const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return m_buffer.size() > 64 * 1024 ? State::Bad : State::NeedMore;
    const QList<QByteArray> lines = m_buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3)
        return State::Bad;
    HttpRequest request;
    request.method = requestLine.at(0);
    request.target = requestLine.at(1);
    const qsizetype question = request.target.indexOf('?');
    request.path = question < 0 ? request.target : request.target.left(question);
    if (question >= 0)
        request.query = QUrlQuery(QString::fromUtf8(request.target.mid(question + 1)));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0)
            request.headers.insert(lines.at(i).left(colon).trimmed().toLower(), lines.at(i).mid(colon + 1).trimmed());
    }
    qsizetype position = headerEnd + 4;
    if (request.header("transfer-encoding").toLower().contains("chunked")) {
        request.chunked = true;
        while (true) {
            const qsizetype lineEnd = m_buffer.indexOf("\r\n", position);
            if (lineEnd < 0)
                return State::NeedMore;
            bool ok = false;
            const qsizetype size =
                m_buffer.mid(position, lineEnd - position).split(';').first().trimmed().toLongLong(&ok, 16);
            if (!ok)
                return State::Bad;
            position = lineEnd + 2;
            if (size == 0) {
                // Optional trailers, then an empty line.
                const qsizetype end = m_buffer.indexOf("\r\n", position);
                if (end < 0)
                    return State::NeedMore;
                if (end != position) {
                    const qsizetype trailerEnd = m_buffer.indexOf("\r\n\r\n", position);
                    if (trailerEnd < 0)
                        return State::NeedMore;
                    position = trailerEnd + 4;
                } else {
                    position = end + 2;
                }
                break;
            }
            if (m_buffer.size() < position + size + 2)
                return State::NeedMore;
            request.body += m_buffer.mid(position, size);
            position += size + 2;
        }
    } else {
        bool ok = true;
        const QByteArray lengthHeader = request.header("content-length");
        const qsizetype length = lengthHeader.isEmpty() ? 0 : lengthHeader.toLongLong(&ok);
        if (!ok || length < 0)
            return State::Bad;
        if (m_buffer.size() < position + length)
            return State::NeedMore;
        request.body = m_buffer.mid(position, length);
        position += length;
    }
    m_buffer.remove(0, position);
    *out = std::move(request);
    return State::Ready;
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

QByteArray httpResponse(int status, const QByteArray &body, const QByteArray &contentType,
                        const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty())
        out += "Content-Type: " + contentType + "\r\n";
    for (const auto &header : extraHeaders)
        out += header.first + ": " + header.second + "\r\n";
    if (status != 204)
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    if (status != 204)
        out += body;
    return out;
}

} // namespace safecell::fake
