#pragma once

#include "budget/Money.h"
#include "llm/LlmServices.h"
#include "llm/PaidChat.h"
#include "request/Language.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QNetworkAccessManager;

namespace safecell {

class KeyStore;

struct CodeAssistantResult {
    enum class Task { Ask, Explain };
    Task task = Task::Ask;
    PaidChatOutcome::Status status = PaidChatOutcome::Status::Failed;
    QString text; // the whole streamed reply
    QString code; // Ask: the reply without Markdown fences, ready for the editor
    QString model;
    QString routeReason;
    Money cost;
    Usage usage;
    QByteArray requestBody; // exactly what was sent to Cohere
    QString message;        // why it failed, for the user
};

// Fences a model may put around code despite being asked not to, removed.
QString stripCodeFences(const QString &reply);

// "Ask": an analyst's description becomes Python or SQL code, streamed as it
// arrives. "Explain this error": a traceback and its code become a streamed
// explanation. Both are paid calls (budget reserve/settle, routed per
// purpose generate / explain) and cancellable. Nothing here runs code: the
// analyst runs it, through the same safety check as typed code.
class CodeAssistant : public QObject {
    Q_OBJECT
public:
    // `keys` answers for the Cohere key unless config.apiKey is set; it must
    // outlive the assistant (the window's key store does).
    CodeAssistant(LlmServicesConfig config, QNetworkAccessManager *nam, KeyStore *keys, QObject *parent = nullptr);
    ~CodeAssistant() override;

    bool isBusy() const { return m_busy; }
    // The key for the next requests, read by the caller (on the GUI thread,
    // through the key store): the assistant then asks no store. An empty key
    // ends a request as NotRouted, with `problem` saying why.
    void setApiKey(const QString &key, const QString &problem);
    void ask(const QString &description, Language language);
    void explain(const QString &code, Language language, const QString &traceback);
    void cancel();

    static ChatRequest askRequest(const QString &description, Language language, const QStringList &secrets);
    static ChatRequest explainRequest(const QString &code, Language language, const QString &traceback,
                                      const QStringList &secrets);

Q_SIGNALS:
    void textDelta(const QString &text);
    void finished(const safecell::CodeAssistantResult &result);

private:
    void begin(CodeAssistantResult::Task task, std::function<ChatRequest(const QString &key)> makeRequest);
    void end(CodeAssistantResult result);

    LlmServicesConfig m_config;
    QNetworkAccessManager *m_nam;
    KeyStore *m_keys;
    std::unique_ptr<LlmServices> m_services;
    QPointer<PaidChat> m_chat;
    QString m_sessionId;
    bool m_busy = false;
    CodeAssistantResult::Task m_task = CodeAssistantResult::Task::Ask;
    quint64 m_generation = 0; // a cancelled request's late key lookup is ignored
};

} // namespace safecell

Q_DECLARE_METATYPE(safecell::CodeAssistantResult)
