#include "RunWorker.h"

#include "common/Logging.h"
#include "pipeline/ExecutionEnding.h"
#include "pipeline/FindingText.h"
#include "pipeline/SandboxBilling.h"
#include "pipeline/SecondOpinion.h"
#include "pipeline/TeamAudit.h"
#include "pipeline/WarmSessionEnd.h"
#include "safety/Classifier.h"
#include "safety/ConfidenceRouter.h"
#include "sandbox/LocalSandbox.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QNetworkAccessManager>
#include <QSemaphore>
#include <QUuid>

#include <algorithm>

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
    m_ledger.setPolicy(m_config.budgetPolicy);
}

void RunWorker::renewSession(const RunWorkerConfig &config)
{
    if (m_busy) {
        qCWarning(lcPipeline) << "renewSession ignored: a run is in progress";
        return;
    }
    const bool freshSandbox = m_sessionUsed || needsFreshSession(m_config, config);
    if (freshSandbox) {
        if (m_e2b) {
            QObject::disconnect(m_e2b, nullptr, this, nullptr);
            m_retired.retire(std::exchange(m_e2b, nullptr), std::move(m_billing));
        }
        delete std::exchange(m_local, nullptr); // its kernel and its /work folder go with it
        m_sessionKey = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_sessionNote.clear();
    }
    if (config.ledgerPath != m_config.ledgerPath) {
        m_retired.settleNow(); // into the ledger their time was held in
        m_ledger.close();
    }
    if (config.safetyPolicyFile != m_config.safetyPolicyFile)
        m_classifier.reset();
    delete std::exchange(m_secondOpinion, nullptr); // made again, for this config, by the next start()
    m_config = config;
    m_ledger.setPolicy(m_config.budgetPolicy);
    // The next run finds a kernel started: LocalSandbox::restartSession()
    // starts one when it has none (a worker nothing has run on yet too:
    // the API's pool warms its workers so).
    if ((freshSandbox || !m_local) && !(m_config.e2b && !m_config.e2b->apiKey.isEmpty()))
        sandbox()->restartSession();
    m_sessionUsed = false;
    Q_EMIT sessionRenewed();
}

void RunWorker::requestDataPage(const DataPageRequest &request)
{
    initialize();
    sandbox()->requestDataPage(request);
}

// Its threshold alerts are recorded in the ledger, where the window's
// BudgetWatcher finds them (whichever process crossed the threshold).
BudgetController *RunWorker::budget()
{
    return m_ledger.controller(m_config.ledgerPath, m_config.budgetPolicy);
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
    m_report.budget = *snapshot;
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
    m_sessionUsed = true;
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
                                      QString::number(request.maxExecutionTimeMs), m_config.requestLimits);
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
    const auto firstWith = [&verdict](SafetyLabel label) { return firstFindingText(verdict.findings, label); };
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
        m_secondOpinion->request(m_request.code, m_request.language, scopes(), m_report.runId);
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
    const QString localWhy = firstFindingText(m_report.findings, SafetyLabel::Ambiguous);
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
        m_report.classificationNote = llmLabelNote(llm);
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
        if (const auto refused = m_e2bCall.acquire(m_config.e2bBreaker)) {
            m_report.result.error = *refused;
            report(RunOutcome::Unavailable, *refused);
            return;
        }
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
            report(RunOutcome::Unavailable,
                   QStringLiteral("The spend ledger is unavailable, so no paid step can run: %1")
                       .arg(m_ledger.error()));
            return;
        }
        m_billing->beginRun(m_report.runId, scopes());
    }
    m_report.timeLimitMs = timeLimitMs;
    m_report.timeLimitFromBudget = timeLimitMs < m_request.maxExecutionTimeMs;
    Q_EMIT stepChanged(RunStep::Executing);
    if (box == m_e2b)
        m_report.internetAllowed = m_config.e2b->allowInternet;
    // The analyst's confirmation of a flagged write is what lets SQL write
    // (locally in the session's scratch database; the workspace stays
    // read-only). Other confirmed findings (a long query) stay read-only.
    const bool writesConfirmed = m_request.confirmed && m_report.safetyLabel != SafetyLabel::Safe
                                 && std::any_of(m_report.findings.cbegin(), m_report.findings.cend(),
                                                [](const Finding &f) { return f.rule == QLatin1String("SQL-WRITE"); });
    box->execute({m_request.code, m_request.language, timeLimitMs, writesConfirmed, m_request.uploadData,
                  m_config.listVariables, m_config.shares});
}

void RunWorker::onWarmSessionEnded(E2bSandbox::WarmEnd why)
{
    const QString message = warmSessionEndNote(why, m_billing ? m_billing->lastRefusal() : std::nullopt,
                                               m_config.e2b ? m_config.e2b->idleTimeoutMs : 0);
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
    m_e2bCall.end(outcome);
    if (m_active == m_e2b && m_billing) {
        // Settled by the sandbox as it ended the run: its time so far.
        Q_EMIT stepChanged(RunStep::Settling);
        m_report.sandboxCost = m_billing->runCost(m_report.runId);
        m_report.budgetBreach = m_report.budgetBreach || m_billing->runBreached(m_report.runId);
        m_billing->endRun(m_report.runId);
    }
    m_report.uploadedFiles = outcome.uploadedFiles;
    if (outcome.budgetRefused) {
        end(budgetRefusalEnding(m_billing->lastRefusal(), m_billing->lastRefusedAmount(), m_ledger.error()));
        return;
    }
    m_report.skippedUploads = outcome.skippedUploads;
    if (outcome.status == ExecutionStatus::Raised && outcome.skippedUploads.isEmpty())
        m_report.error = outcome.error;
    end(executionEnding(outcome, m_request.maxExecutionTimeMs));
}

void RunWorker::end(const ExecutionEnding &ending)
{
    if (ending.error)
        m_report.result.error = ending.error;
    if (ending.remaining)
        m_report.remaining = ending.remaining;
    report(ending.outcome, ending.message);
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
    // Also waits for the kills an error path or a renewal sent before: this
    // thread's network manager ends with it, and an aborted kill leaves a
    // sandbox billing until its lifetime ends.
    QList<E2bSandbox *> killing = m_retired.sandboxes();
    if (m_e2b)
        killing << m_e2b;
    killing.removeIf([](const E2bSandbox *box) { return box->killsInFlight() == 0; });
    if (killing.isEmpty()) {
        done->release();
        return;
    }
    auto left = std::make_shared<qsizetype>(killing.size());
    for (E2bSandbox *box : std::as_const(killing)) {
        connect(
            box, &E2bSandbox::killsEnded, this,
            [done, left] {
            if (--*left == 0)
                done->release();
            },
            Qt::SingleShotConnection);
    }
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
    m_e2bCall.abandon(); // when it ended before E2B answered (the hold failed)
    m_report.budgetStateAfter = currentBudgetState();
    recordHistory();
    m_active = nullptr;
    m_busy = false;
    qCInfo(lcPipeline) << "run" << m_report.runId << "ended:" << outcomeName(outcome) << "in" << m_report.durationMs
                       << "ms";
    Q_EMIT stepChanged(RunStep::Done);
    Q_EMIT finished(m_report);
    auditForTeam();
}

void RunWorker::recordHistory()
{
    if (m_report.decidedBy.isEmpty() && m_report.classified)
        m_report.decidedBy = m_request.confirmed && m_report.safetyLabel != SafetyLabel::Safe
                                 ? QStringLiteral("analyst")
                                 : QStringLiteral("local rules");
    m_ledger.record(RunRecord::from(m_request, m_report, m_startedAt, m_sessionKey));
}

void RunWorker::auditForTeam()
{
    if (m_config.budgetPolicy.team)
        auditRunForTeam(budget(), m_request, m_report);
}

} // namespace safecell
