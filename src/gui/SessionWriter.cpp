#include "SessionWriter.h"

#include "common/Logging.h"

#include <QSaveFile>

namespace safecell {

class SessionWriter::Worker : public QObject {
public:
    explicit Worker(std::shared_ptr<std::atomic<quint64>> latest)
        : m_latest(std::move(latest))
    {
    }

    // On the writer's thread. Returns the error, empty when written.
    QString write(quint64 number, const QString &path, const QByteArray &json, bool evenIfReplaced)
    {
        if (!evenIfReplaced && number < m_latest->load())
            return QStringLiteral("replaced"); // a newer session is queued behind this one
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
            qCWarning(lcSettings) << "the editor tabs could not be autosaved to" << path << ":" << file.errorString();
            return file.errorString().isEmpty() ? QStringLiteral("write failed") : file.errorString();
        }
        return {};
    }

private:
    std::shared_ptr<std::atomic<quint64>> m_latest;
};

SessionWriter::SessionWriter(QObject *parent)
    : QObject(parent)
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
{
    m_worker = new Worker(m_latest);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.setObjectName(QStringLiteral("SessionWriter"));
    m_thread.start(QThread::LowPriority);
}

SessionWriter::~SessionWriter()
{
    m_thread.quit();
    m_thread.wait();
}

quint64 SessionWriter::write(const QString &path, const QByteArray &json)
{
    const quint64 number = ++m_next;
    m_latest->store(number);
    QMetaObject::invokeMethod(
        m_worker,
        [this, worker = m_worker, number, path, json] {
        const QString error = worker->write(number, path, json, false);
        if (error == QLatin1String("replaced"))
            return;
        // Back on the GUI thread: `this` outlives the worker's queue (the destructor waits).
        QMetaObject::invokeMethod(
            this, [this, number, error] { Q_EMIT written(number, error.isEmpty(), error); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return number;
}

bool SessionWriter::writeAndWait(const QString &path, const QByteArray &json)
{
    const quint64 number = ++m_next;
    m_latest->store(number);
    QString error;
    QMetaObject::invokeMethod(
        m_worker, [&error, worker = m_worker, number, path, json] { error = worker->write(number, path, json, true); },
        Qt::BlockingQueuedConnection);
    Q_EMIT written(number, error.isEmpty(), error);
    return error.isEmpty();
}

} // namespace safecell
