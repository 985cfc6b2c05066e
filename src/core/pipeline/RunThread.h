#pragma once

#include "pipeline/RunWorker.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace safecell {

// Owns a RunWorker on its own QThread. Talk to the worker only through
// queued calls (start(), cancel()) and its signals; the destructor cancels
// any run and retires the thread without waiting for it (RetiredThreads):
// the worker stops its run and kills any cloud sandbox, then its thread
// quits on its own.
class RunThread : public QObject {
    Q_OBJECT
public:
    explicit RunThread(RunWorkerConfig config, QObject *parent = nullptr);
    ~RunThread() override;

    // For connecting to its signals only: it lives on another thread.
    RunWorker *worker() const { return m_worker; }

    void start(const RunRequest &request);
    void cancel();
    void restartSession();
    void requestDataPage(const DataPageRequest &request);
    void reconfigure(const RunWorkerConfig &config);
    void renewSession(const RunWorkerConfig &config);

private:
    static constexpr int kShutdownWaitMs = 5000;
    static constexpr int kShutdownPollMs = 20;

    QThread *m_thread;   // handed to RetiredThreads by the destructor
    RunWorker *m_worker; // deleted on its own thread when the thread finishes
};

} // namespace safecell
