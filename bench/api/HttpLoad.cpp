#include "HttpLoad.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <memory>

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(std::min(values.size() - 1, qsizetype(p * double(values.size()))));
}

namespace {

class Load {
public:
    explicit Load(const LoadSpec &spec)
        : m_spec(spec)
    {
        m_request = "POST /api/code HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(spec.port)
                    + "\r\nAuthorization: Bearer " + spec.token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(spec.body.size())
                    + "\r\n\r\n" + spec.body;
    }

    LoadResult run()
    {
        QElapsedTimer wall;
        wall.start();
        for (int i = 0; i < m_spec.clients && m_issued < m_spec.total; ++i, ++m_issued)
            issue();
        if (m_done < m_spec.total)
            m_loop.exec();
        m_result.wallMs = double(wall.nsecsElapsed()) / 1e6;
        return m_result;
    }

private:
    // The caller has counted it in m_issued.
    void issue()
    {
        auto *socket = new QTcpSocket;
        auto clock = std::make_shared<QElapsedTimer>();
        auto answer = std::make_shared<QByteArray>();
        auto ended = std::make_shared<bool>(false);
        const auto finish = [this, socket, clock, answer, ended](const QByteArray &failure) {
            if (*ended)
                return;
            *ended = true;
            *answer += socket->readAll();
            record(*clock, *answer, failure);
            socket->deleteLater();
            if (m_issued < m_spec.total && m_spec.gapMs > 0) {
                ++m_issued;
                QTimer::singleShot(m_spec.gapMs, &m_loop, [this] { issue(); });
            } else if (m_issued < m_spec.total) {
                ++m_issued;
                issue();
            }
            if (++m_done == m_spec.total)
                m_loop.quit();
        };
        QObject::connect(socket, &QTcpSocket::connected, socket, [this, socket] { socket->write(m_request); });
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, answer] { *answer += socket->readAll(); });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [finish] { finish({}); });
        QObject::connect(socket, &QTcpSocket::errorOccurred, socket, [finish, socket](QAbstractSocket::SocketError e) {
            if (e != QAbstractSocket::RemoteHostClosedError)
                finish(socket->errorString().toUtf8());
        });
        clock->start();
        socket->connectToHost(QHostAddress::LocalHost, m_spec.port);
    }

    void record(const QElapsedTimer &clock, const QByteArray &answer, QByteArray failure)
    {
        const double ms = double(clock.nsecsElapsed()) / 1e6;
        const qsizetype split = answer.indexOf("\r\n\r\n");
        const QJsonObject body = QJsonDocument::fromJson(split < 0 ? QByteArray() : answer.mid(split + 4)).object();
        if (failure.isEmpty() && !answer.startsWith("HTTP/1.1 200"))
            failure = answer.left(300);
        if (failure.isEmpty() && !m_spec.expectResult.isEmpty()
            && body.value(QLatin1String("result")).toString() != m_spec.expectResult)
            failure = "unexpected result: " + answer.mid(split + 4, 300);
        if (failure.isEmpty() && m_spec.expectResult.isEmpty()
            && body.value(QLatin1String("stdout")).toString() != m_spec.expectStdout)
            failure = "unexpected stdout: "
                      + QJsonDocument(QJsonObject{{QLatin1String("stdout"), body.value(QLatin1String("stdout"))},
                                                  {QLatin1String("error"), body.value(QLatin1String("error"))},
                                                  {QLatin1String("message"), body.value(QLatin1String("message"))}})
                            .toJson(QJsonDocument::Compact);
        if (!failure.isEmpty()) {
            if (m_result.failures++ == 0)
                m_result.firstFailure = failure;
            return;
        }
        m_result.latencyMs << ms;
        m_result.pipelineMs << body.value(QLatin1String("durationMs")).toDouble();
    }

    LoadSpec m_spec;
    QByteArray m_request;
    QEventLoop m_loop;
    LoadResult m_result;
    int m_issued = 0;
    int m_done = 0;
};

} // namespace

LoadResult runLoad(const LoadSpec &spec)
{
    return Load(spec).run();
}
