#pragma once

// A client of the local HTTP API for tests: JSON in, status and JSON out,
// waiting with the event loop running (the server lives on this thread).
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QUrl>

namespace safecell::testing {

struct ApiResponse {
    int status = 0;
    QJsonObject body;
    QByteArray raw;
};

class ApiTestClient {
public:
    ApiTestClient(quint16 port, QString token)
        : m_port(port)
        , m_token(std::move(token))
    {
    }

    QNetworkAccessManager &network() { return m_network; }

    QNetworkRequest request(const QString &path = QStringLiteral("/api/code")) const
    {
        QNetworkRequest r(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path)));
        r.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        r.setTransferTimeout(60000);
        if (!m_token.isEmpty())
            r.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
        return r;
    }

    static ApiResponse await(QNetworkReply *reply)
    {
        QSignalSpy done(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            done.wait(60000);
        ApiResponse response;
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        response.raw = reply->readAll();
        response.body = QJsonDocument::fromJson(response.raw).object();
        reply->deleteLater();
        return response;
    }

    static QByteArray json(const QJsonObject &object) { return QJsonDocument(object).toJson(QJsonDocument::Compact); }

    QNetworkReply *postLater(const QJsonObject &body) { return m_network.post(request(), json(body)); }
    ApiResponse post(const QJsonObject &body) { return await(postLater(body)); }
    ApiResponse post(const QByteArray &body) { return await(m_network.post(request(), body)); }
    ApiResponse send(const QByteArray &method, const QString &path)
    {
        return await(m_network.sendCustomRequest(request(path), method));
    }

    // A Python snippet's request body, in `sessionId` when one is given.
    static QJsonObject python(const QString &code, const QString &sessionId = {})
    {
        QJsonObject body{{QStringLiteral("code"), code}, {QStringLiteral("language"), QStringLiteral("python")}};
        if (!sessionId.isEmpty())
            body.insert(QStringLiteral("sessionId"), sessionId);
        return body;
    }

private:
    quint16 m_port;
    QString m_token;
    QNetworkAccessManager m_network;
};

} // namespace safecell::testing
