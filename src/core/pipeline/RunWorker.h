#pragma once

#include "pipeline/RunOutcome.h"
#include "pipeline/RunReport.h"
#include "request/RunRequest.h"
#include "sandbox/Execution.h"
#include "sandbox/SandboxLimits.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>
#include <optional>

class QNetworkAccessManager;

namespace safecell {

class Sandbox;

struct RunWorkerConfig {
    SandboxLimits sandboxLimits;
    RequestLimits requestLimits;
};

// The run pipeline for one session, living on its own thread (see
// RunThread). It is driven by queued calls and answers only with signals;
// nothing in it ever blocks its thread, so cancel() is served at once.
class RunWorker : public QObject {
    Q_OBJECT
public:
    explicit RunWorker(RunWorkerConfig config, QObject *parent = nullptr);
    ~RunWorker() override;

    bool isBusy() const { return m_busy; }

public Q_SLOTS:
    // Call after moveToThread(): creates what must belong to the thread.
    void initialize();
    // One run at a time; a second start() while busy ends as Invalid.
    void start(const safecell::RunRequest &request);
    void cancel();
    void restartSession();

Q_SIGNALS:
    void started(const QString &runId);
    void stepChanged(safecell::RunStep step);
    void stdoutReceived(const QString &text);
    void stderrReceived(const QString &text);
    void resultReceived(const safecell::RichResult &result);
    void finished(const safecell::RunReport &report);

private:
    void execute();
    void onExecutionFinished(const ExecutionOutcome &outcome);
    void report(RunOutcome outcome, QString message = {});
    Sandbox *sandbox();

    RunWorkerConfig m_config;
    QNetworkAccessManager *m_network = nullptr; // for the service clients
    Sandbox *m_sandbox = nullptr;
    bool m_busy = false;
    RunRequest m_request;
    RunReport m_report;
    QElapsedTimer m_clock;
};

} // namespace safecell
