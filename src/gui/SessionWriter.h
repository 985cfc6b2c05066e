#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

namespace safecell {

// Writes autosaved editor sessions off the GUI thread: QSaveFile's commit
// waits for the disk, which may take long on a busy one. Requests are
// written in order; one that a newer request has already replaced while
// it waited is skipped, so a burst of edits costs one write. The
// destructor waits for the write in progress.
class SessionWriter : public QObject {
    Q_OBJECT
public:
    explicit SessionWriter(QObject *parent = nullptr);
    ~SessionWriter() override;

    // Queues `json` for `path`; returns the request's number (from 1).
    quint64 write(const QString &path, const QByteArray &json);
    // Writes now and returns once it is on disk, after every earlier
    // request (for the window's last save as it closes).
    bool writeAndWait(const QString &path, const QByteArray &json);

Q_SIGNALS:
    // A request reached the disk (ok) or failed (error says why).
    void written(quint64 number, bool ok, const QString &error);

private:
    class Worker;
    QThread m_thread;
    Worker *m_worker; // lives on m_thread, deleted when it finishes
    std::shared_ptr<std::atomic<quint64>> m_latest;
    quint64 m_next = 0;
};

} // namespace safecell
