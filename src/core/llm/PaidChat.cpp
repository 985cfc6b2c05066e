#include "PaidChat.h"

#include "cohere/ChatJson.h"
#include "common/Logging.h"
#include "llm/LlmServices.h"

#include <QJsonDocument>

#include <algorithm>

namespace safecell {

namespace {
// Between the hold and the call's start, and the settle after its end.
constexpr qint64 kHoldSlackMs = 5 * 60 * 1000;
} // namespace

QString paidChatStatusName(PaidChatOutcome::Status status)
{
    switch (status) {
    case PaidChatOutcome::Status::Ok:
        return QStringLiteral("ok");
    case PaidChatOutcome::Status::NotRouted:
        return QStringLiteral("not-routed");
    case PaidChatOutcome::Status::OverBudget:
        return QStringLiteral("over-budget");
    case PaidChatOutcome::Status::Failed:
        return QStringLiteral("failed");
    case PaidChatOutcome::Status::Cancelled:
        return QStringLiteral("cancelled");
    case PaidChatOutcome::Status::BudgetError:
        return QStringLiteral("budget-error");
    }
    return {};
}

PaidChat::PaidChat(LlmServices &services, PaidChatSpec spec, QObject *parent)
    : QObject(parent)
    , m_services(services)
    , m_spec(std::move(spec))
{
}

PaidChat::~PaidChat()
{
    // Destroyed mid-call: the call is aborted and its hold freed, never left
    // to lapse while it blocks the budget.
    if (!m_done)
        cancel();
}

qint64 PaidChat::estimatePromptTokens(const ChatRequest &request)
{
    qint64 bytes = 0;
    for (const ChatMessage &m : request.messages)
        bytes += m.content.toUtf8().size() + 16;
    if (!request.jsonSchema.isEmpty())
        bytes += QJsonDocument(request.jsonSchema).toJson(QJsonDocument::Compact).size();
    return bytes + 64;
}

void PaidChat::run()
{
    const auto state = m_services.budgetState(m_spec.scopes);
    if (!state) {
        finish(PaidChatOutcome::Status::BudgetError,
               QStringLiteral("The budget cannot be read: %1").arg(state.error()));
        return;
    }
    ModelRouter &router = m_services.router();
    const auto route = router.route(m_spec.purpose, *state);
    if (!route) {
        m_outcome.routeReason = route.error().reason;
        finish(PaidChatOutcome::Status::NotRouted, route.error().reason);
        return;
    }
    m_outcome.modelId = route->modelId;
    m_outcome.routeReason = route->reason;
    m_spec.request.model = route->modelId;

    const auto estimate = router.catalog().worstCaseCost(route->modelId, estimatePromptTokens(m_spec.request),
                                                         m_spec.request.maxTokens);
    if (!estimate) {
        router.reportAbandoned(route->modelId);
        finish(PaidChatOutcome::Status::NotRouted, estimate.error());
        return;
    }
    // A hold that lapses is charged in full, so it must outlast the call
    // whatever the policy says: the call's deadline covers its retries.
    const qint64 holdMs = std::max(m_services.budget().policy().reservationTtlMs,
                                   m_services.config().callOptions.deadlineMs + kHoldSlackMs);
    auto reservation = m_services.budget().reserve(*estimate, m_spec.scopes, m_spec.runId, m_spec.step, {}, holdMs,
                                                   ChargeKind::Llm, route->modelId);
    if (!reservation) {
        router.reportAbandoned(route->modelId);
        if (reservation.error().kind == BudgetError::Kind::OverBudget) {
            m_outcome.overBudget = reservation.error().overBudget;
            finish(PaidChatOutcome::Status::OverBudget,
                   QStringLiteral("Over budget: this call may cost up to %1 and %2 is left")
                       .arg(estimate->toString(), reservation.error().overBudget.remaining.toString()));
        } else {
            const BudgetError &error = reservation.error();
            finish(PaidChatOutcome::Status::BudgetError,
                   error.kind == BudgetError::Kind::TeamUnreachable
                       ? error.message
                       : QStringLiteral("The budget cannot be written: %1").arg(error.message));
        }
        return;
    }
    m_reservation = *reservation;
    m_outcome.reserved = reservation->amount;
    m_outcome.requestBody = chatRequestBody(m_spec.request, m_spec.stream);
    qCInfo(lcCohere).noquote() << m_spec.step << "via" << route->modelId << "reserved" << estimate->toString();

    CohereClient &client = m_services.client();
    const ChatCallOptions options = m_services.config().callOptions;
    ChatCall *call = m_spec.stream ? client.chatStream(m_spec.request, m_spec.apiKey, options)
                                   : client.chat(m_spec.request, m_spec.apiKey, options);
    m_call = call;
    connect(call, &ChatCall::textDelta, this, &PaidChat::textDelta);
    connect(call, &ChatCall::finished, this, [this, call] { onCallFinished(call->result()); });
}

void PaidChat::cancel()
{
    if (m_done)
        return;
    if (m_call && !m_call->isFinished()) {
        m_call->cancel(); // finished() follows synchronously
        return;
    }
    finish(PaidChatOutcome::Status::Cancelled, QStringLiteral("Cancelled"));
}

void PaidChat::onCallFinished(const ChatResult &result)
{
    if (m_done)
        return;
    ModelRouter &router = m_services.router();
    BudgetController &budget = m_services.budget();
    if (!result) {
        const CohereError &error = result.error();
        m_outcome.error = error;
        if (m_reservation) {
            if (const auto released = budget.release(*m_reservation); !released)
                qCWarning(lcBudget).noquote()
                    << "releasing" << m_reservation->id << "failed:" << released.error().message;
        }
        if (error.kind == CohereError::Kind::Cancelled) {
            router.reportAbandoned(m_outcome.modelId);
            finish(PaidChatOutcome::Status::Cancelled, QStringLiteral("Cancelled"));
        } else {
            router.reportFailure(m_outcome.modelId);
            finish(PaidChatOutcome::Status::Failed, error.describe());
        }
        return;
    }
    router.reportSuccess(m_outcome.modelId);
    m_outcome.reply = *result;
    m_outcome.usage = result->usage;
    const auto charge = router.catalog().charge(m_outcome.modelId, result->usage.inputTokens,
                                                result->usage.outputTokens);
    if (!charge) {
        // Cohere answered, so it bills: with no price for the usage, the
        // hold (the worst case) is what is recorded, never nothing.
        Charge atHold;
        atHold.kind = ChargeKind::Llm;
        atHold.resource = m_outcome.modelId;
        atHold.inputTokens = result->usage.inputTokens;
        atHold.outputTokens = result->usage.outputTokens;
        atHold.cost = m_reservation->amount;
        if (const auto held = budget.settle(*m_reservation, atHold); !held)
            qCCritical(lcBudget).noquote()
                << "settling" << m_reservation->id << "at its hold failed:" << held.error().message;
        finish(PaidChatOutcome::Status::BudgetError, charge.error());
        return;
    }
    const auto settled = budget.settle(*m_reservation, *charge);
    if (!settled) {
        finish(PaidChatOutcome::Status::BudgetError,
               QStringLiteral("The charge cannot be recorded: %1").arg(settled.error().message));
        return;
    }
    m_outcome.cost = settled->entry.charge.cost;
    m_outcome.budgetBreach = settled->breach;
    finish(PaidChatOutcome::Status::Ok);
}

void PaidChat::finish(PaidChatOutcome::Status status, QString message)
{
    if (m_done)
        return;
    m_done = true;
    m_reservation.reset();
    m_outcome.status = status;
    m_outcome.message = std::move(message);
    if (status != PaidChatOutcome::Status::Ok)
        qCInfo(lcCohere).noquote() << m_spec.step << paidChatStatusName(status) << m_outcome.message;
    Q_EMIT finished(m_outcome);
}

} // namespace safecell
