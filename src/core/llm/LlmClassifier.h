#pragma once

#include "budget/Money.h"
#include "llm/PaidChat.h"
#include "request/Language.h"
#include "safety/LlmLabel.h"
#include "safety/Verdict.h"

#include <QObject>
#include <QPointer>

namespace safecell {
class LlmServices;
}

namespace safecell::safety {

// The chat request for a snippet (model left to the router). Occurrences of
// any of `secrets` in the snippet are redacted first: a key pasted into code
// is never sent.
ChatRequest llmClassifierRequest(const QString &code, Language language, const QStringList &secrets);

struct LlmClassification {
    PaidChatOutcome::Status status = PaidChatOutcome::Status::Failed;
    LlmLabel label;            // meaningful when status is Ok
    QString model;             // which model answered
    QString routeReason;       // why that model (the router's words)
    Money cost;                // settled in the ledger
    bool budgetBreach = false; // settled above what was reserved
    Usage usage;
    QByteArray requestBody; // exactly what was sent to Cohere
    QString message;        // why there is no label, when status is not Ok
};

// A second opinion on a snippet from Cohere, paid through the budget
// (reserve, then settle or release) and routed per purpose "classify".
// Use: construct, connect finished(), then classify(). One call per object.
class LlmClassifier : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxOutputTokens = 300;

    LlmClassifier(LlmServices &services, QObject *parent = nullptr);

    void classify(const QString &code, Language language, const QString &apiKey, const BudgetScopes &scopes,
                  const QString &runId);
    void cancel();

Q_SIGNALS:
    void finished(const safecell::safety::LlmClassification &result);

private:
    LlmServices &m_services;
    QPointer<PaidChat> m_chat;
};

} // namespace safecell::safety

Q_DECLARE_METATYPE(safecell::safety::LlmClassification)
