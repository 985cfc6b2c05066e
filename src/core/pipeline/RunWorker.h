#pragma once

#include "pipeline/RunOutcome.h"
#include "cohere/LlmServices.h"
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
class SecondOpinion;
struct SecondOpinionResult;
namespace safety {
class Classifier;
}

struct RunWorkerConfig {
    SandboxLimits sandboxLimits;
    RequestLimits requestLimits;
    QString safetyPolicyFile = {}; // empty: the built-in policy
    // Only for tests of the sandbox's own defences, which must run code the
    // classifier would stop. Never set by a front end.
    bool skipSafetyChecksForSandboxTests = false;
    // The LLM classifier's collaborators (key, Cohere URL, ledger, router);
    // the defaults are the user's.
    LlmServicesConfig llm = {};
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
    bool classify(); // false when the run ended here, or goes on after the LLM's answer
    void needsConfirmation(const QString &why);
    void onSecondOpinion(const SecondOpinionResult &result);
    void afterClassified(); // the pipeline's next step after an asynchronous classification
    void execute();
    void onExecutionFinished(const ExecutionOutcome &outcome);
    void report(RunOutcome outcome, QString message = {});
    Sandbox *sandbox();

    RunWorkerConfig m_config;
    QNetworkAccessManager *m_network = nullptr; // for the service clients
    Sandbox *m_sandbox = nullptr;
    std::unique_ptr<safety::Classifier> m_classifier;
    SecondOpinion *m_secondOpinion = nullptr;
    QString m_sessionId; // the budget's session scope
    bool m_busy = false;
    RunRequest m_request;
    RunReport m_report;
    QElapsedTimer m_clock;
};

} // namespace safecell
