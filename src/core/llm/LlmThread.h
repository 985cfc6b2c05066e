#pragma once

#include "llm/LlmWorker.h"

#include <QObject>
#include <QThread>

namespace safecell {

// Owns an LlmWorker on its own QThread, as RunThread owns a RunWorker: the
// GUI sends requests and receives signals, and never waits on the network,
// the ledger or its fsync. Each request gets an id; only the latest one's
// signals come out, so a late answer to a cancelled or superseded request is
// dropped here.
class LlmThread : public QObject {
    Q_OBJECT
public:
    explicit LlmThread(LlmServicesConfig config, QObject *parent = nullptr);
    // Cancels any request and waits for the thread, which only has to abort
    // a network reply and release a reservation.
    ~LlmThread() override;

    // The id of the request sent; a request still answering is superseded
    // (it ends as Cancelled at once, and its late answer is dropped).
    quint64 ask(const QString &description, Language language, const QString &apiKey,
                const QString &apiKeyProblem = {});
    quint64 explain(const QString &code, Language language, const QString &traceback, const QString &apiKey,
                    const QString &apiKeyProblem = {});
    // Ends the current request at once (finished with Cancelled, before this
    // returns); the worker stops its call meanwhile.
    void cancel();
    void reconfigure(const LlmServicesConfig &config);

    bool isBusy() const { return m_currentId != 0; }
    quint64 currentId() const { return m_currentId; }

Q_SIGNALS:
    void textDelta(quint64 id, const QString &text);
    void finished(quint64 id, const safecell::CodeAssistantResult &result);

private:
    quint64 send(LlmRequest request);
    void endCurrentAsCancelled();
    void onWorkerDelta(quint64 id, const QString &text);
    void onWorkerFinished(quint64 id, const CodeAssistantResult &result);

    QThread *m_thread;   // retired, not waited for, when this goes
    LlmWorker *m_worker; // deleted on its own thread when the thread finishes
    quint64 m_lastId = 0;
    quint64 m_currentId = 0;
    CodeAssistantResult::Task m_currentTask = CodeAssistantResult::Task::Ask;
};

} // namespace safecell
