#include "CodeAssistant.h"

#include "common/Redact.h"
#include "secrets/KeyStore.h"

#include <QRegularExpression>
#include <QUuid>

namespace safecell {

namespace {
constexpr int kAskMaxTokens = 2000;
constexpr int kExplainMaxTokens = 1000;
} // namespace

QString stripCodeFences(const QString &reply)
{
    static const QRegularExpression fenced(QStringLiteral("^\\s*```[A-Za-z0-9_+-]*[ \\t]*\\n(.*?)```\\s*$"),
                                           QRegularExpression::DotMatchesEverythingOption);
    const auto match = fenced.match(reply);
    return match.hasMatch() ? match.captured(1) : reply;
}

ChatRequest CodeAssistant::askRequest(const QString &description, Language language, const QStringList &secrets)
{
    const QString lang = language == Language::Sql ? QStringLiteral("SQLite SQL") : QStringLiteral("Python 3");
    ChatRequest request;
    request.messages
        << ChatMessage{ChatMessage::Role::System,
                       QStringLiteral(
                           "You write %1 for a data analyst. Python has pandas and matplotlib; SQL runs on the "
                           "analyst's SQLite workspace. Reply with the code only: no Markdown fences, no prose "
                           "outside code comments. Never start programs, open network connections, read secrets "
                           "or delete files.")
                           .arg(lang)};
    request.messages << ChatMessage{ChatMessage::Role::User, redactSecrets(description, secrets)};
    request.maxTokens = kAskMaxTokens;
    return request;
}

ChatRequest CodeAssistant::explainRequest(const QString &code, Language language, const QString &traceback,
                                          const QStringList &secrets)
{
    ChatRequest request;
    request.messages
        << ChatMessage{ChatMessage::Role::System,
                       QStringLiteral(
                           "A data analyst's code failed. Explain in plain words what went wrong and how to fix "
                           "it, briefly, with a corrected snippet when it helps.")};
    request.messages << ChatMessage{ChatMessage::Role::User,
                                    QStringLiteral("Language: %1\nCode:\n%2\n\nError:\n%3")
                                        .arg(languageName(language), redactSecrets(code, secrets),
                                             redactSecrets(traceback, secrets))};
    request.maxTokens = kExplainMaxTokens;
    return request;
}

CodeAssistant::CodeAssistant(LlmServicesConfig config, QNetworkAccessManager *nam, KeyStore *keys, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_nam(nam)
    , m_keys(keys)
    , m_sessionId(QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

CodeAssistant::~CodeAssistant()
{
    if (m_chat)
        m_chat->cancel();
}

void CodeAssistant::setApiKey(const QString &key, const QString &problem)
{
    m_config.apiKey = key;
    m_config.apiKeyProblem = problem;
}

void CodeAssistant::ask(const QString &description, Language language)
{
    begin(CodeAssistantResult::Task::Ask,
          [description, language](const QString &key) { return askRequest(description, language, {key}); });
}

void CodeAssistant::explain(const QString &code, Language language, const QString &traceback)
{
    begin(CodeAssistantResult::Task::Explain,
          [code, language, traceback](const QString &key) { return explainRequest(code, language, traceback, {key}); });
}

void CodeAssistant::begin(CodeAssistantResult::Task task, std::function<ChatRequest(const QString &)> makeRequest)
{
    CodeAssistantResult refused;
    refused.task = task;
    if (m_busy) {
        refused.message = QStringLiteral("The assistant is already answering; cancel it first.");
        Q_EMIT finished(refused);
        return;
    }
    m_busy = true;
    m_task = task;
    const quint64 generation = ++m_generation;
    lookupCohereKey(m_config, m_keys, this,
                    [this, task, generation, makeRequest](const QString &key, const QString &why) {
        if (generation != m_generation || !m_busy)
            return; // cancelled meanwhile
        CodeAssistantResult result;
        result.task = task;
        if (key.isEmpty()) {
            result.status = PaidChatOutcome::Status::NotRouted;
            result.message = QStringLiteral("Cannot ask Cohere: %1.").arg(why);
            end(result);
            return;
        }
        if (!m_services) {
            auto services = LlmServices::create(m_nam, m_config);
            if (!services) {
                result.status = PaidChatOutcome::Status::BudgetError;
                result.message = services.error();
                end(result);
                return;
            }
            m_services = std::move(services.value());
        }
        PaidChatSpec spec;
        spec.purpose = task == CodeAssistantResult::Task::Ask ? Purpose::Generate : Purpose::Explain;
        spec.request = makeRequest(key);
        spec.stream = true;
        spec.apiKey = key;
        spec.scopes = BudgetScopes::forLocalUser(m_sessionId);
        spec.runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        spec.step = purposeName(spec.purpose);
        auto *chat = new PaidChat(*m_services, std::move(spec), this);
        m_chat = chat;
        connect(chat, &PaidChat::textDelta, this, &CodeAssistant::textDelta);
        connect(chat, &PaidChat::finished, this, [this, task, chat](const PaidChatOutcome &outcome) {
            CodeAssistantResult r;
            r.task = task;
            r.status = outcome.status;
            r.text = outcome.reply.text;
            if (task == CodeAssistantResult::Task::Ask)
                r.code = stripCodeFences(outcome.reply.text);
            r.model = outcome.modelId;
            r.routeReason = outcome.routeReason;
            r.cost = outcome.cost;
            r.usage = outcome.usage;
            r.requestBody = outcome.requestBody;
            r.message = outcome.message;
            chat->deleteLater();
            end(r);
        });
        chat->run();
    });
}

void CodeAssistant::cancel()
{
    if (!m_busy)
        return;
    if (m_chat && !m_chat->isFinished()) {
        m_chat->cancel(); // ends through the chat's finished()
        return;
    }
    ++m_generation; // a key lookup still in flight is ignored
    CodeAssistantResult result;
    result.task = m_task;
    result.status = PaidChatOutcome::Status::Cancelled;
    result.message = QStringLiteral("Cancelled");
    end(result);
}

void CodeAssistant::end(CodeAssistantResult result)
{
    m_busy = false;
    m_chat = nullptr;
    Q_EMIT finished(result);
}

} // namespace safecell
