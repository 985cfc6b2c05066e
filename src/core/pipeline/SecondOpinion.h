#pragma once

#include "llm/LlmClassifier.h"
#include "llm/LlmServices.h"
#include "request/Language.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QNetworkAccessManager;

namespace safecell {

// The outcome of asking the LLM classifier about an escalated verdict.
struct SecondOpinionResult {
    enum class Kind {
        Answered,    // the LLM gave a label (possibly ambiguous, confidence 0)
        Unavailable, // no key, budget Degraded/Stopped, breaker open, call failed
        Cancelled,
    };
    Kind kind = Kind::Unavailable;
    safety::LlmClassification llm; // model, cost, what was sent (when a call was made)
    QString note;                  // why no LLM verdict, for the run's record
};

// The pipeline's Classifying step, LLM part: finds the Cohere key, checks
// the budget state (Degraded and Stopped skip the LLM classifier, per the
// design), then asks LlmClassifier. Lives on the run worker's thread and
// keeps its services (ledger, router, client) between runs.
class SecondOpinion : public QObject {
    Q_OBJECT
public:
    SecondOpinion(LlmServicesConfig config, QNetworkAccessManager *nam, QObject *parent = nullptr);
    ~SecondOpinion() override;

    void request(const QString &code, Language language, const BudgetScopes &scopes, const QString &runId);
    void cancel();
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    void decided(const safecell::SecondOpinionResult &result);

private:
    void onKey(const QString &key, const QString &why, const QString &code, Language language,
               const BudgetScopes &scopes, const QString &runId);
    void end(SecondOpinionResult result);

    LlmServicesConfig m_config;
    QNetworkAccessManager *m_nam;
    std::unique_ptr<LlmServices> m_services;
    QPointer<safety::LlmClassifier> m_classifier;
    bool m_busy = false;
    quint64 m_generation = 0;
};

} // namespace safecell

Q_DECLARE_METATYPE(safecell::SecondOpinionResult)
