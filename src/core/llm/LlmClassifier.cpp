#include "LlmClassifier.h"

#include "common/Redact.h"

namespace safecell::safety {

ChatRequest llmClassifierRequest(const QString &code, Language language, const QStringList &secrets)
{
    ChatRequest request;
    request.messages << ChatMessage{ChatMessage::Role::System, llmClassifierSystemPrompt()};
    request.messages << ChatMessage{ChatMessage::Role::User,
                                    QStringLiteral("Language: %1\nCode:\n%2")
                                        .arg(languageName(language), redactSecrets(code, secrets))};
    request.maxTokens = LlmClassifier::kMaxOutputTokens;
    request.temperature = 0.0;
    request.jsonObject = true;
    request.jsonSchema = llmClassifierSchema();
    return request;
}

LlmClassifier::LlmClassifier(LlmServices &services, QObject *parent)
    : QObject(parent)
    , m_services(services)
{
}

void LlmClassifier::classify(const QString &code, Language language, const QString &apiKey, const BudgetScopes &scopes,
                             const QString &runId)
{
    PaidChatSpec spec;
    spec.purpose = Purpose::Classify;
    spec.request = llmClassifierRequest(code, language, {apiKey});
    spec.stream = false;
    spec.apiKey = apiKey;
    spec.scopes = scopes;
    spec.runId = runId;
    spec.step = QStringLiteral("classify");
    auto *chat = new PaidChat(m_services, std::move(spec), this);
    m_chat = chat;
    connect(chat, &PaidChat::finished, this, [this, chat](const PaidChatOutcome &outcome) {
        LlmClassification result;
        result.status = outcome.status;
        result.model = outcome.modelId;
        result.routeReason = outcome.routeReason;
        result.cost = outcome.cost;
        result.budgetBreach = outcome.budgetBreach;
        result.usage = outcome.usage;
        result.requestBody = outcome.requestBody;
        result.message = outcome.message;
        if (outcome.status == PaidChatOutcome::Status::Ok)
            result.label = parseLlmLabel(outcome.reply.text);
        chat->deleteLater();
        Q_EMIT finished(result);
    });
    chat->run();
}

void LlmClassifier::cancel()
{
    if (m_chat)
        m_chat->cancel();
}

} // namespace safecell::safety
