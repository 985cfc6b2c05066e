#pragma once

#include "budget/BudgetController.h"
#include "budget/LedgerTypes.h"
#include "cohere/CohereClient.h"
#include "routing/ModelInfo.h"

#include <QObject>
#include <QPointer>

#include <optional>

namespace safecell {

class LlmServices;

// One paid Cohere call as the budget and the router see it.
struct PaidChatSpec {
    Purpose purpose = Purpose::Generate;
    ChatRequest request; // its model is chosen by the router
    bool stream = false;
    QString apiKey;
    BudgetScopes scopes;
    QString runId; // ties the ledger row to a run
    QString step;  // "classify", "generate", "explain"
};

struct PaidChatOutcome {
    enum class Status {
        Ok,
        NotRouted,  // the router refused (budget stopped, every breaker open, no priced model)
        OverBudget, // the reservation was refused: nothing was sent
        Failed,     // Cohere answered with an error (or not at all)
        Cancelled,
        BudgetError, // the ledger could not be read or written
    };
    Status status = Status::Failed;
    QString modelId;
    QString routeReason;       // the router's reason, or its refusal
    Money reserved;            // the worst case held before the call
    Money cost;                // what was settled (zero unless Ok)
    bool budgetBreach = false; // settled above what was reserved (see SettleResult)
    Usage usage;               // billed tokens
    QByteArray requestBody;    // exactly the JSON sent to Cohere (empty when nothing was sent)
    ChatReply reply;
    std::optional<CohereError> error;
    std::optional<OverBudget> overBudget;
    QString message; // for the user, when not Ok
};

QString paidChatStatusName(PaidChatOutcome::Status status);

// Route -> reserve the worst case -> call -> settle the billed usage (or
// release on failure and cancel), telling the router's breaker of every
// success and failure. The key travels only in the Authorization header.
// Use: construct, connect finished(), then run(). finished() is emitted
// exactly once, possibly from inside run() when nothing could be sent.
class PaidChat : public QObject {
    Q_OBJECT
public:
    PaidChat(LlmServices &services, PaidChatSpec spec, QObject *parent = nullptr);
    ~PaidChat() override;

    void run();
    // Aborts the call at once; finished() follows with Cancelled.
    void cancel();
    bool isFinished() const { return m_done; }
    const PaidChatOutcome &outcome() const { return m_outcome; }

    // A bound on a request's billed prompt tokens, so the reservation
    // covers the bill: a token is at least one UTF-8 byte (byte-level BPE),
    // and billed units leave out the chat template.
    static qint64 estimatePromptTokens(const ChatRequest &request);

Q_SIGNALS:
    void textDelta(const QString &text);
    void finished(const safecell::PaidChatOutcome &outcome);

private:
    void onCallFinished(const ChatResult &result);
    void finish(PaidChatOutcome::Status status, QString message = {});

    LlmServices &m_services;
    PaidChatSpec m_spec;
    std::optional<Reservation> m_reservation;
    QPointer<ChatCall> m_call;
    PaidChatOutcome m_outcome;
    bool m_done = false;
};

} // namespace safecell

Q_DECLARE_METATYPE(safecell::PaidChatOutcome)
