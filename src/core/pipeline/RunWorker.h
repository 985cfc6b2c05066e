#pragma once

#include "budget/BudgetController.h"
#include "budget/LedgerTypes.h"
#include "pipeline/E2bCallBreaker.h"
#include "pipeline/RetiredSandboxes.h"
#include "pipeline/RunLedger.h"
#include "pipeline/RunOutcome.h"
#include "pipeline/RunReport.h"
#include "pipeline/RunWorkerConfig.h"
#include "request/RunRequest.h"
#include "sandbox/DataPage.h"
#include "sandbox/Execution.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>
#include <optional>

class QNetworkAccessManager;
class QSemaphore;

namespace safecell {

class RunHistory;
struct ExecutionEnding;
class Sandbox;
class SandboxBilling;
class SecondOpinion;
class SpendLedger;
struct SecondOpinionResult;
namespace safety {
class Classifier;
}

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
    // A page of a session DataFrame for the data viewer (Sandbox::requestDataPage):
    // no run, no history, no budget; dataPageReady() answers.
    void requestDataPage(const safecell::DataPageRequest &request);
    // New settings for the next run that keep the session (see
    // needsFreshSession()): budget, models, Cohere, policy, time cap.
    // Between runs only.
    void reconfigure(const safecell::RunWorkerConfig &config);
    // The next run starts a session of its own with `config`, sharing
    // nothing with the runs before it: a new session key (so its session
    // and task budget scopes are new), a new sandbox (the local kernel and
    // its /work folder, or the E2B sandbox, which is killed), a new LLM
    // second opinion. What is kept is what holds no run's state: the
    // thread, the network manager, the ledger, the classifier (unless the
    // policy changed). A session nothing has run in yet is kept when the
    // change needs none (needsFreshSession()). Between runs only;
    // sessionRenewed() follows.
    void renewSession(const safecell::RunWorkerConfig &config);
    // Ends the session: cancels the run, kills a cloud sandbox, then
    // releases `done` (once the kill request has ended).
    void shutdown(std::shared_ptr<QSemaphore> done);

Q_SIGNALS:
    void stepChanged(safecell::RunStep step);
    void stdoutReceived(const QString &text);
    void stderrReceived(const QString &text);
    void resultReceived(const safecell::RichResult &result);
    void finished(const safecell::RunReport &report);
    // The warm E2B sandbox was closed between runs (idle, or the budget
    // cannot keep it warm): why, for the analyst.
    void sessionEnded(const QString &message);
    // renewSession() is done: the next run starts the new session.
    void sessionRenewed();
    void dataPageReady(const safecell::DataPage &page);

private:
    bool classify(); // false when the run ended here, or goes on after the LLM's answer
    void needsConfirmation(const QString &why);
    void onSecondOpinion(const SecondOpinionResult &result);
    void afterClassified(); // the pipeline's next step after an asynchronous classification
    void execute();
    void onExecutionFinished(const ExecutionOutcome &outcome);
    void end(const ExecutionEnding &ending);
    void onWarmSessionEnded(E2bSandbox::WarmEnd why);
    void report(RunOutcome outcome, QString message = {});
    void recordHistory();
    // The team's audit log, after the run's answer: only when its admin turned it on.
    void auditForTeam();
    QString currentBudgetState();
    Sandbox *sandbox();
    void attach(Sandbox *box);
    // The ledger and the controller on it, opened on first use on this
    // thread; nullptr (with m_ledger.error()) when the file cannot be opened.
    BudgetController *budget();
    BudgetScopes scopes() const;

    RunWorkerConfig m_config;
    QNetworkAccessManager *m_network = nullptr; // for the service clients
    Sandbox *m_local = nullptr;
    E2bSandbox *m_e2b = nullptr;
    std::unique_ptr<SandboxBilling> m_billing; // m_e2b's lifetimes through the budget
    Sandbox *m_active = nullptr;               // the sandbox of the current run
    RunLedger m_ledger;
    // After the ledger: their billing settles through it as they go.
    RetiredSandboxes m_retired;
    QString m_sessionKey;
    QString m_sessionNote; // the E2B sandbox was closed as this run ended
    QDateTime m_startedAt;
    bool m_sessionUsed = false; // a run has started in this session
    std::unique_ptr<safety::Classifier> m_classifier;
    SecondOpinion *m_secondOpinion = nullptr;
    bool m_busy = false;
    E2bCallBreaker m_e2bCall; // this run's E2B call, through the breaker
    RunRequest m_request;
    RunReport m_report;
    QElapsedTimer m_clock;
};

} // namespace safecell
