#pragma once

#include "llm/CodeAssistant.h"
#include "llm/LlmServices.h"
#include "request/Language.h"

#include <QObject>

#include <optional>

class QNetworkAccessManager;

namespace safecell {

// One Ask or "Explain this error", as the GUI sends it to the LLM thread.
// The key was read by the sender, so the worker touches no key store.
struct LlmRequest {
    quint64 id = 0; // the answer's signals carry it; 0 is never a request
    CodeAssistantResult::Task task = CodeAssistantResult::Task::Ask;
    QString description; // Ask
    QString code;        // Explain: the failed code and its traceback
    QString traceback;
    Language language = Language::Python;
    QString apiKey;        // empty: the request ends NotRouted
    QString apiKeyProblem; // with an empty key: why the keychain could not tell
};

// The paid LLM work of the window (network, ledger, reservation, settle)
// on its own thread: lives there once LlmThread has moved it. One request at
// a time; a request arriving while one is still ending (a cancel in flight)
// starts once that one has ended.
class LlmWorker : public QObject {
    Q_OBJECT
public:
    explicit LlmWorker(LlmServicesConfig config, QObject *parent = nullptr);
    ~LlmWorker() override;

public Q_SLOTS:
    // Call after moveToThread(): creates what must belong to the thread.
    void initialize();
    void start(const safecell::LlmRequest &request);
    // Only the request with this id; an older id is already over.
    void cancel(quint64 id);
    // For the next request; one answering now finishes with the old config.
    void reconfigure(const safecell::LlmServicesConfig &config);

Q_SIGNALS:
    void textDelta(quint64 id, const QString &text);
    void finished(quint64 id, const safecell::CodeAssistantResult &result);

private:
    void begin(const LlmRequest &request);
    void onAssistantFinished(const CodeAssistantResult &result);
    void startNext();
    void makeAssistant();

    LlmServicesConfig m_config;
    QNetworkAccessManager *m_network = nullptr;
    CodeAssistant *m_assistant = nullptr;
    quint64 m_currentId = 0;
    std::optional<LlmRequest> m_queued;
    bool m_configChanged = false;
};

} // namespace safecell

Q_DECLARE_METATYPE(safecell::LlmRequest)
