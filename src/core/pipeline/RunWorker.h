#pragma once

#include "pipeline/RunOutcome.h"
#include "pipeline/RunReport.h"
#include "request/RunRequest.h"
#include "sandbox/Execution.h"
#include "pipeline/RunWorkerConfig.h"
#include "budget/BudgetController.h"
#include "budget/LedgerTypes.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>
#include <optional>

class QNetworkAccessManager;
class QSemaphore;

namespace safecell {

class RunHistory;
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
    // New settings for the next run that keep the session (see
    // needsFreshSession()): budget, models, Cohere, policy, time cap.
    // Between runs only.
    void reconfigure(const safecell::RunWorkerConfig &config);
    // Ends the session: cancels the run, kills a cloud sandbox, then
    // releases `done` (once the kill request has ended).
    void shutdown(std::shared_ptr<QSemaphore> done);

Q_SIGNALS:
    void stepChanged(safecell::RunStep step);
    void stdoutReceived(const QString &text);
    void stderrReceived(const QString &text);
    void resultReceived(const safecell::RichResult &result);
    void finished(const safecell::RunReport &report);
    // A budget threshold was crossed for the first time this period.
    void budgetAlert(const safecell::BudgetAlert &alert);
    // The warm E2B sandbox was closed between runs (idle, or the budget
    // cannot keep it warm): why, for the analyst.
    void sessionEnded(const QString &message);

private:
    bool classify(); // false when the run ended here, or goes on after the LLM's answer
    void needsConfirmation(const QString &why);
    void onSecondOpinion(const SecondOpinionResult &result);
    void afterClassified(); // the pipeline's next step after an asynchronous classification
    void execute();
    bool acquireE2b();
    void endE2bCall(const ExecutionOutcome &outcome);
    void onExecutionFinished(const ExecutionOutcome &outcome);
    void sandboxRefused();
    void onWarmSessionEnded(E2bSandbox::WarmEnd why);
    void report(RunOutcome outcome, QString message = {});
    void recordHistory();
    QString currentBudgetState();
    Sandbox *sandbox();
    void attach(Sandbox *box);
    // The ledger and the controller on it, opened on first use on this
    // thread; nullptr (with m_ledgerError) when the file cannot be opened.
    BudgetController *budget();
    BudgetScopes scopes() const;

    RunWorkerConfig m_config;
    QNetworkAccessManager *m_network = nullptr; // for the service clients
    Sandbox *m_local = nullptr;
    E2bSandbox *m_e2b = nullptr;
    std::unique_ptr<SandboxBilling> m_billing; // m_e2b's lifetimes through the budget
    Sandbox *m_active = nullptr; // the sandbox of the current run
    std::unique_ptr<SpendLedger> m_ledger;
    std::unique_ptr<BudgetController> m_budget;
    std::unique_ptr<RunHistory> m_history;
    QString m_ledgerError;
    QString m_sessionKey;
    QString m_sessionNote; // the E2B sandbox was closed as this run ended
    QDateTime m_startedAt;
    std::unique_ptr<safety::Classifier> m_classifier;
    SecondOpinion *m_secondOpinion = nullptr;
    bool m_busy = false;
    bool m_e2bCallGranted = false; // the breaker let this run's E2B call through
    RunRequest m_request;
    RunReport m_report;
    QElapsedTimer m_clock;
};

} // namespace safecell
