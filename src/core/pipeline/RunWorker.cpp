#include "RunWorker.h"

#include "budget/LedgerLocation.h"
#include "budget/SpendLedger.h"
#include "common/Logging.h"
#include "pipeline/RunHistory.h"
#include "pipeline/SandboxBilling.h"
#include "pipeline/SecondOpinion.h"
#include "safety/Classifier.h"
#include "safety/ConfidenceRouter.h"
#include "sandbox/LocalSandbox.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QNetworkAccessManager>
#include <QSemaphore>
#include <QUuid>

namespace safecell {

RunWorker::RunWorker(RunWorkerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_sessionKey(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

RunWorker::~RunWorker()
{
    // A warm E2B sandbox is killed now; the request needs our network
    // manager, which outlives it here (both are our children).
    if (m_e2b)
        m_e2b->shutdown();
    // The clients go before the network manager (created first, so QObject
    // would delete it first): their replies belong to it. The sandbox's
    // unanswered kills are settled (at their bound) before its billing goes.
    delete m_e2b;
    m_e2b = nullptr;
    delete m_secondOpinion;
    m_secondOpinion = nullptr;
    delete m_local;
    m_local = nullptr;
    m_active = nullptr;
}

void RunWorker::initialize()
{
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    if (!m_classifier)
        m_classifier = std::make_unique<safety::Classifier>(safety::loadPolicy(m_config.safetyPolicyFile));
    if (!m_secondOpinion) {
        LlmServicesConfig llm = m_config.llm;
        if (llm.ledgerPath.isEmpty())
            llm.ledgerPath = m_config.ledgerPath;
        if (!llm.budgetPolicy)
            llm.budgetPolicy = m_config.budgetPolicy;
        m_secondOpinion = new SecondOpinion(std::move(llm), m_network, this);
        connect(m_secondOpinion, &SecondOpinion::decided, this, &RunWorker::onSecondOpinion);
    }
}

void RunWorker::reconfigure(const RunWorkerConfig &config)
{
    if (m_busy || needsFreshSession(m_config, config)) {
        qCWarning(lcPipeline) << "reconfigure ignored: a run is in progress or the change needs a fresh session";
        return;
    }
    const bool newPolicy = config.safetyPolicyFile != m_config.safetyPolicyFile;
    m_config = config;
    if (newPolicy)
        m_classifier.reset();
    // The LLM's collaborators (URL, routing, budget) are made again on the next run.
    delete m_secondOpinion;
    m_secondOpinion = nullptr;
    if (m_budget)
        m_budget->setPolicy(m_config.budgetPolicy);
}

void RunWorker::attach(Sandbox *box)
{
    connect(box, &Sandbox::stdoutReceived, this, [this](const QString &text) {
        m_report.result.stdoutText += text;
        Q_EMIT stdoutReceived(text);
    });
    connect(box, &Sandbox::stderrReceived, this, [this](const QString &text) {
        m_report.result.stderrText += text;
        Q_EMIT stderrReceived(text);
    });
    connect(box, &Sandbox::resultReceived, this, [this](const RichResult &result) {
        m_report.richResults << result;
        if (result.isMainResult)
            m_report.result.result = result.text;
        Q_EMIT resultReceived(result);
    });
    connect(box, &Sandbox::finished, this, &RunWorker::onExecutionFinished);
}

Sandbox *RunWorker::sandbox()
{
    if (m_config.e2b && !m_config.e2b->apiKey.isEmpty()) {
        if (!m_e2b) {
            m_billing = std::make_unique<SandboxBilling>([this] { return budget(); }, m_config.e2bRates,
                                                         m_config.e2bSize, m_sessionKey,
                                                         BudgetScopes::forLocalUser(m_sessionKey));
            m_e2b = new E2bSandbox(m_network, *m_config.e2b, this);
            m_e2b->setMeter(m_billing.get());
            attach(m_e2b);
            connect(m_e2b, &E2bSandbox::warmSessionEnded, this, &RunWorker::onWarmSessionEnded);
        }
        return m_e2b;
    }
    if (!m_local) {
        m_local = new LocalSandbox(m_config.sandboxLimits, this);
        attach(m_local);
    }
    return m_local;
}

BudgetController *RunWorker::budget()
{
    if (m_budget)
        return m_budget.get();
    const QString path = m_config.ledgerPath.isEmpty() ? defaultLedgerPath() : m_config.ledgerPath;
    auto ledger = SpendLedger::open(path);
    if (!ledger) {
        m_ledgerError = ledger.error().message;
        qCWarning(lcPipeline) << "the spend ledger is unavailable:" << m_ledgerError;
        return nullptr;
    }
    m_ledger = std::move(ledger).value();
    m_budget = std::make_unique<BudgetController>(*m_ledger, m_config.budgetPolicy);
    m_history = std::make_unique<RunHistory>(*m_ledger);
    connect(m_budget.get(), &BudgetController::thresholdReached, this, &RunWorker::budgetAlert);
    return m_budget.get();
}

BudgetScopes RunWorker::scopes() const
{
    return BudgetScopes::forLocalUser(m_sessionKey, m_report.runId);
}

QString RunWorker::currentBudgetState()
{
    BudgetController *controller = budget();
    if (!controller)
        return {};
    const auto snapshot = controller->snapshot(scopes());
    if (!snapshot)
        return {};
    m_report.budget = snapshot->toJson();
    return safecell::budgetStateName(snapshot->state);
}

void RunWorker::start(const RunRequest &request)
{
    if (m_busy) {
        RunReport busy;
        busy.runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        busy.outcome = RunOutcome::Invalid;
        busy.message = QStringLiteral("A run is already in progress in this session.");
        busy.result.executionId = busy.runId;
        busy.result.error = busy.message;
        Q_EMIT finished(busy);
        return;
    }
    initialize();
    m_busy = true;
    m_clock.start();
    m_report = RunReport{};
    m_sessionNote.clear();
    m_startedAt = QDateTime::currentDateTimeUtc();
    m_request = request;
    m_report.runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_report.result.executionId = m_report.runId;
    qCInfo(lcPipeline) << "run" << m_report.runId << "started";

    Q_EMIT stepChanged(RunStep::Validating);
    const auto valid = makeRunRequest(request.code, languageName(request.language),
                                      QString::number(request.maxExecutionTimeMs),
                                      m_config.requestLimits);
    if (!valid) {
        m_report.invalidFields = valid.error().fields;
        report(RunOutcome::Invalid, valid.error().toString());
        return;
    }
    m_request = *valid;
    m_request.confirmed = request.confirmed;
    m_request.uploadData = request.uploadData;
    m_request.allowInternet = request.allowInternet;
    if (!classify())
        return;
    execute();
}

bool RunWorker::classify()
{
    Q_EMIT stepChanged(RunStep::Classifying);
    const Verdict verdict = m_classifier->classify(m_request.code, m_request.language);
    m_report.classified = true;
    m_report.safetyLabel = verdict.label;
    m_report.findings = verdict.findings;
    auto firstWith = [&verdict](SafetyLabel label) {
        for (const Finding &f : verdict.findings) {
            if (f.label == label)
                return QStringLiteral("line %1: %2: %3").arg(f.line).arg(f.rule, f.reason);
        }
        return QString();
    };
    if (verdict.label == SafetyLabel::Dangerous) {
        m_report.decidedBy = QStringLiteral("local rules");
        m_report.result.error = QStringLiteral("Blocked by the safety policy: ") + firstWith(SafetyLabel::Dangerous);
        report(RunOutcome::Blocked, *m_report.result.error);
        return false;
    }
    const auto decision = safety::ConfidenceRouter().route(verdict);
    if (decision.route == safety::ConfidenceRouter::Route::Accept && decision.label == SafetyLabel::Safe) {
        m_report.decidedBy = QStringLiteral("local rules");
        return true;
    }
    if (m_request.confirmed) {
        m_report.decidedBy = QStringLiteral("analyst");
        return true;
    }
    if (decision.route == safety::ConfidenceRouter::Route::Escalate) {
        // A second opinion; the run goes on in onSecondOpinion().
        m_secondOpinion->request(m_request.code, m_request.language,
                                 scopes(), m_report.runId);
        return false;
    }
    m_report.decidedBy = QStringLiteral("local rules");
    needsConfirmation(firstWith(SafetyLabel::Ambiguous));
    return false;
}

void RunWorker::needsConfirmation(const QString &why)
{
    QString text = QStringLiteral("Needs confirmation: ")
        + (why.isEmpty() ? QStringLiteral("the safety check is not confident") : why);
    if (!m_report.classificationNote.isEmpty())
        text += QStringLiteral(". ") + m_report.classificationNote;
    m_report.result.error = text;
    report(RunOutcome::NeedsConfirmation, text);
}

void RunWorker::onSecondOpinion(const SecondOpinionResult &result)
{
    if (!m_busy)
        return;
    const safety::LlmClassification &llm = result.llm;
    m_report.classificationNote = result.note;
    m_report.model = llm.model;
    m_report.modelReason = llm.routeReason;
    m_report.llmCost = llm.cost;
    m_report.llmInputTokens = llm.usage.inputTokens;
    m_report.llmOutputTokens = llm.usage.outputTokens;
    m_report.llmRequest = llm.requestBody;
    QString localWhy;
    for (const Finding &f : std::as_const(m_report.findings)) {
        if (f.label == SafetyLabel::Ambiguous) {
            localWhy = QStringLiteral("line %1: %2: %3").arg(f.line).arg(f.rule, f.reason);
            break;
        }
    }
    if (result.kind == SecondOpinionResult::Kind::Cancelled) {
        m_report.result.error = QStringLiteral("Cancelled during classification");
        report(RunOutcome::Cancelled, *m_report.result.error);
        return;
    }
    if (result.kind == SecondOpinionResult::Kind::Unavailable) {
        m_report.decidedBy = QStringLiteral("local rules");
        needsConfirmation(localWhy);
        return;
    }
    // The LLM's label counts only when the router would accept it as sure.
    m_report.decidedBy = QStringLiteral("llm");
    m_report.budgetBreach = m_report.budgetBreach || llm.budgetBreach;
    const auto decision = safety::ConfidenceRouter().route(
        QList<safety::Prediction>{safety::Prediction{llm.label.label, llm.label.confidence}});
    const bool sure = decision.route == safety::ConfidenceRouter::Route::Accept;
    if (llm.label.valid && m_report.classificationNote.isEmpty())
        m_report.classificationNote = QStringLiteral("LLM (%1): %2 at %3: %4")
                                          .arg(llm.model, safetyLabelName(llm.label.label))
                                          .arg(llm.label.confidence, 0, 'f', 2)
                                          .arg(llm.label.reason);
    if (sure && decision.label == SafetyLabel::Safe) {
        m_report.safetyLabel = SafetyLabel::Safe;
        afterClassified();
        return;
    }
    if (sure && decision.label == SafetyLabel::Dangerous) {
        m_report.safetyLabel = SafetyLabel::Dangerous;
        m_report.result.error = QStringLiteral("Blocked by the LLM classifier: ") + llm.label.reason;
        report(RunOutcome::Blocked, *m_report.result.error);
        return;
    }
    needsConfirmation(localWhy);
}

void RunWorker::afterClassified()
{
    execute();
}

void RunWorker::execute()
{
    Q_EMIT stepChanged(RunStep::Routing);
    Sandbox *box = sandbox();
    m_active = box;
    m_report.sandbox = box->name();
    m_report.budgetStateBefore = currentBudgetState();
    qint64 timeLimitMs = m_request.maxExecutionTimeMs;
    if (box == m_e2b) {
        if (!acquireE2b())
            return;
        if (m_report.budgetStateBefore == budgetStateName(BudgetState::Degraded)
            && timeLimitMs > m_config.degradedTimeLimitMs) {
            timeLimitMs = m_config.degradedTimeLimitMs;
            m_report.message = QStringLiteral("The budget is nearly spent: the run was limited to %1 s.")
                                   .arg(timeLimitMs / 1000);
        }
        // A paid step: the sandbox covers every lifetime it asks through
        // m_billing, before any money is spent, and charges this run for it.
        Q_EMIT stepChanged(RunStep::Reserving);
        if (!budget()) {
            report(RunOutcome::Unavailable, QStringLiteral("The spend ledger is unavailable, so no paid step can run: %1")
                                                .arg(m_ledgerError));
            return;
        }
        m_billing->beginRun(m_report.runId, scopes());
    }
    m_report.timeLimitMs = timeLimitMs;
    m_report.timeLimitFromBudget = timeLimitMs < m_request.maxExecutionTimeMs;
    Q_EMIT stepChanged(RunStep::Executing);
    if (box == m_e2b)
        m_report.internetAllowed = m_config.e2b->allowInternet;
    box->execute({m_request.code, m_request.language, timeLimitMs, false, m_request.uploadData});
}

bool RunWorker::acquireE2b()
{
    CircuitBreaker *breaker = m_config.e2bBreaker.get();
    if (!breaker)
        return true;
    if (breaker->tryAcquire()) {
        m_e2bCallGranted = true;
        return true;
    }
    const qint64 waitMs = breaker->msUntilTrial();
    const QString when = waitMs > 0 ? QStringLiteral("next try in %1 s").arg((waitMs + 999) / 1000)
                                    : QStringLiteral("another run is checking whether it is back");
    const QString message = QStringLiteral("E2B failed %1 times in a row, so SafeCell is not calling it for now (%2). "
                                           "The last error is in the status bar; to run locally meanwhile, remove "
                                           "the E2B key in Settings.")
                                .arg(breaker->consecutiveFailures())
                                .arg(when);
    m_report.result.error = message;
    report(RunOutcome::Unavailable, message);
    return false;
}

// Only E2B's own failures count against it: code that raised or ran out of
// time got a working sandbox, and a run the budget refused never asked.
void RunWorker::endE2bCall(const ExecutionOutcome &outcome)
{
    if (!m_e2bCallGranted)
        return;
    m_e2bCallGranted = false;
    CircuitBreaker &breaker = *m_config.e2bBreaker;
    if (outcome.budgetRefused || !outcome.skippedUploads.isEmpty()) { // E2B was never asked
        breaker.recordAbandoned();
        return;
    }
    switch (outcome.status) {
    case ExecutionStatus::Completed:
    case ExecutionStatus::Raised:
    case ExecutionStatus::TimedOut:
        breaker.recordSuccess();
        return;
    case ExecutionStatus::SandboxFailed:
        breaker.recordFailure();
        return;
    case ExecutionStatus::Cancelled:
        breaker.recordAbandoned();
        return;
    }
}

void RunWorker::sandboxRefused()
{
    const std::optional<BudgetError> &refusal = m_billing->lastRefusal();
    if (!refusal || refusal->kind != BudgetError::Kind::OverBudget) {
        report(RunOutcome::Unavailable, QStringLiteral("The spend ledger failed, so no paid step can run: %1")
                                            .arg(refusal ? refusal->message : m_ledgerError));
        return;
    }
    const OverBudget &over = refusal->overBudget;
    m_report.remaining = over.remaining;
    const QString message = QStringLiteral("Over budget: this run on E2B could cost up to %1, but the %2 budget "
                                           "(%3) has %4 left. Raise the limit in Settings or run locally.")
                                .arg(m_billing->lastRefusedAmount().toString(), scopeLevelName(over.scope),
                                     over.scopeKey, over.remaining.toString());
    m_report.result.error = message;
    report(RunOutcome::OverBudget, message);
}

void RunWorker::onWarmSessionEnded(E2bSandbox::WarmEnd why)
{
    QString message;
    if (why == E2bSandbox::WarmEnd::Budget) {
        const std::optional<BudgetError> &refusal = m_billing->lastRefusal();
        message = QStringLiteral("The E2B sandbox was closed: the budget cannot cover keeping it warm (%1). "
                                 "Its variables are gone; the next run starts a fresh session.")
                      .arg(refusal ? refusal->message : QStringLiteral("the spend ledger is unavailable"));
    } else {
        message = QStringLiteral("The E2B sandbox was closed after %1 s without a run. Its variables are gone; "
                                 "the next run starts a fresh session.")
                      .arg(double(m_config.e2b ? m_config.e2b->idleTimeoutMs : 0) / 1000.0);
    }
    qCInfo(lcPipeline).noquote() << message;
    if (m_busy) // as the run ends: its report says so too
        m_sessionNote = message;
    Q_EMIT sessionEnded(message);
}

void RunWorker::onExecutionFinished(const ExecutionOutcome &outcome)
{
    if (!m_busy)
        return; // a late answer from a sandbox after its run was reported
    m_report.executionMs = outcome.durationMs;
    endE2bCall(outcome);
    if (m_active == m_e2b && m_billing) {
        // Settled by the sandbox as it ended the run: its time so far.
        Q_EMIT stepChanged(RunStep::Settling);
        m_report.sandboxCost = m_billing->runCost(m_report.runId);
        m_report.budgetBreach = m_report.budgetBreach || m_billing->runBreached(m_report.runId);
        m_billing->endRun(m_report.runId);
    }
    m_report.uploadedFiles = outcome.uploadedFiles;
    if (outcome.budgetRefused) {
        sandboxRefused();
        return;
    }
    if (!outcome.skippedUploads.isEmpty()) {
        // The analyst's word is needed, as for ambiguous code: nothing ran.
        m_report.skippedUploads = outcome.skippedUploads;
        m_report.result.error = outcome.message;
        report(RunOutcome::NeedsConfirmation, outcome.message);
        return;
    }
    switch (outcome.status) {
    case ExecutionStatus::Completed:
        report(RunOutcome::Ok, outcome.message); // e.g. "the kernel had stopped; fresh session"
        return;
    case ExecutionStatus::Raised:
        m_report.error = outcome.error;
        if (outcome.error) {
            m_report.result.error = outcome.error->value.isEmpty()
                ? outcome.error->name
                : outcome.error->name + QStringLiteral(": ") + outcome.error->value;
        }
        report(RunOutcome::Failed, outcome.message);
        return;
    case ExecutionStatus::TimedOut:
        m_report.result.error = QStringLiteral("Execution timed out after %1 ms").arg(m_request.maxExecutionTimeMs);
        report(RunOutcome::TimedOut, outcome.message);
        return;
    case ExecutionStatus::Cancelled:
        m_report.result.error = QStringLiteral("Execution was cancelled");
        report(RunOutcome::Cancelled, outcome.message);
        return;
    case ExecutionStatus::SandboxFailed:
        m_report.result.error = outcome.message;
        report(RunOutcome::Unavailable, outcome.message);
        return;
    }
}

void RunWorker::cancel()
{
    if (!m_busy)
        return;
    qCInfo(lcPipeline) << "run" << m_report.runId << "cancel requested";
    if (m_secondOpinion && m_secondOpinion->isBusy())
        m_secondOpinion->cancel();
    if (m_active)
        m_active->cancel();
}

void RunWorker::shutdown(std::shared_ptr<QSemaphore> done)
{
    cancel();
    if (m_e2b)
        m_e2b->shutdown(); // kills the warm sandbox, if any
    // Also waits for a kill an error path sent just before: this thread's
    // network manager ends with it, and an aborted kill leaves a sandbox
    // billing until its lifetime ends.
    if (!m_e2b || m_e2b->killsInFlight() == 0) {
        done->release();
        return;
    }
    connect(m_e2b, &E2bSandbox::killsEnded, this, [done] { done->release(); }, Qt::SingleShotConnection);
}

void RunWorker::restartSession()
{
    if (m_local)
        m_local->restartSession();
    if (m_e2b)
        m_e2b->restartSession();
}

void RunWorker::report(RunOutcome outcome, QString message)
{
    m_report.outcome = outcome;
    m_report.message = std::move(message);
    if (outcome == RunOutcome::Invalid && !m_report.result.error)
        m_report.result.error = m_report.message;
    m_report.durationMs = m_clock.elapsed();
    const auto append = [this](const QString &text) {
        m_report.message = m_report.message.isEmpty() ? text : m_report.message + QLatin1Char(' ') + text;
    };
    if (!m_sessionNote.isEmpty())
        append(std::exchange(m_sessionNote, QString()));
    if (m_report.budgetBreach)
        append(QStringLiteral("A provider billed more than SafeCell had reserved for this run (a budget breach): it "
                              "is recorded as billed, and paid steps are stopped for this budget period."));
    if (m_e2bCallGranted) { // ended before E2B answered (the hold failed)
        m_config.e2bBreaker->recordAbandoned();
        m_e2bCallGranted = false;
    }
    m_report.budgetStateAfter = currentBudgetState();
    recordHistory();
    m_active = nullptr;
    m_busy = false;
    qCInfo(lcPipeline) << "run" << m_report.runId << "ended:" << outcomeName(outcome) << "in"
                       << m_report.durationMs << "ms";
    Q_EMIT stepChanged(RunStep::Done);
    Q_EMIT finished(m_report);
}

void RunWorker::recordHistory()
{
    if (!m_history)
        return;
    if (m_report.decidedBy.isEmpty() && m_report.classified)
        m_report.decidedBy = m_request.confirmed && m_report.safetyLabel != SafetyLabel::Safe ? QStringLiteral("analyst")
                                                                                            : QStringLiteral("local rules");
    const auto recorded = m_history->record(RunRecord::from(m_request, m_report, m_startedAt, m_sessionKey));
    if (!recorded)
        qCWarning(lcPipeline) << "run" << m_report.runId << "not in the history:" << recorded.error().message;
}

} // namespace safecell
