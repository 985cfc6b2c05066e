#include "RunWorker.h"

#include "common/Logging.h"
#include "pipeline/SecondOpinion.h"
#include "safety/Classifier.h"
#include "safety/ConfidenceRouter.h"
#include "sandbox/LocalSandbox.h"

#include <QNetworkAccessManager>
#include <QUuid>

namespace safecell {

RunWorker::RunWorker(RunWorkerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
}

RunWorker::~RunWorker() = default;

void RunWorker::initialize()
{
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    if (!m_classifier)
        m_classifier = std::make_unique<safety::Classifier>(safety::loadPolicy(m_config.safetyPolicyFile));
    if (!m_secondOpinion) {
        m_sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        m_secondOpinion = new SecondOpinion(m_config.llm, m_network, this);
        connect(m_secondOpinion, &SecondOpinion::decided, this, &RunWorker::onSecondOpinion);
    }
}

Sandbox *RunWorker::sandbox()
{
    if (!m_sandbox) {
        m_sandbox = new LocalSandbox(m_config.sandboxLimits, this);
        connect(m_sandbox, &Sandbox::stdoutReceived, this, [this](const QString &text) {
            m_report.result.stdoutText += text;
            Q_EMIT stdoutReceived(text);
        });
        connect(m_sandbox, &Sandbox::stderrReceived, this, [this](const QString &text) {
            m_report.result.stderrText += text;
            Q_EMIT stderrReceived(text);
        });
        connect(m_sandbox, &Sandbox::resultReceived, this, [this](const RichResult &result) {
            m_report.richResults << result;
            if (result.isMainResult)
                m_report.result.result = result.text;
            Q_EMIT resultReceived(result);
        });
        connect(m_sandbox, &Sandbox::finished, this, &RunWorker::onExecutionFinished);
    }
    return m_sandbox;
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
    m_report.runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_report.result.executionId = m_report.runId;
    Q_EMIT started(m_report.runId);
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
    if (!classify())
        return;
    execute();
}

bool RunWorker::classify()
{
    if (m_config.skipSafetyChecksForSandboxTests)
        return true;
    Q_EMIT stepChanged(RunStep::Classifying);
    const Verdict verdict = m_classifier->classify(m_request.code, m_request.language);
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
                                 BudgetScopes::forLocalUser(m_sessionId, m_report.runId), m_report.runId);
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
    m_report.llmModel = llm.model;
    m_report.llmRouteReason = llm.routeReason;
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
    Q_EMIT stepChanged(RunStep::Executing);
    Sandbox *box = sandbox();
    m_report.sandbox = box->name();
    box->execute({m_request.code, m_request.language, m_request.maxExecutionTimeMs, false});
}

void RunWorker::onExecutionFinished(const ExecutionOutcome &outcome)
{
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
    if (m_sandbox)
        m_sandbox->cancel();
}

void RunWorker::restartSession()
{
    if (m_sandbox)
        m_sandbox->restartSession();
}

void RunWorker::report(RunOutcome outcome, QString message)
{
    m_report.outcome = outcome;
    m_report.message = std::move(message);
    if (outcome == RunOutcome::Invalid && !m_report.result.error)
        m_report.result.error = m_report.message;
    m_report.durationMs = m_clock.elapsed();
    m_busy = false;
    qCInfo(lcPipeline) << "run" << m_report.runId << "ended:" << outcomeName(outcome) << "in"
                       << m_report.durationMs << "ms";
    Q_EMIT stepChanged(RunStep::Done);
    Q_EMIT finished(m_report);
}

} // namespace safecell
