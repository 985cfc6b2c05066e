#pragma once

#include "budget/LedgerTypes.h"
#include "budget/Money.h"
#include "budget/SpendLedger.h"
#include "common/Expected.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace safecell {

struct RunReport;
struct RunRequest;

// One run as the history keeps it: what ran, what the checks said and who
// decided, where it ran, what it cost and how it ended.
struct RunRecord {
    QString runId;
    QDateTime started; // UTC
    QString sessionKey;
    QString code;
    QString codeHash; // SHA-256, hex
    QString language;
    QString verdict;     // safe / ambiguous / dangerous
    QJsonArray findings; // Finding::toJson() of each
    QString decidedBy;   // "local rules", "llm", "analyst"
    bool confirmed = false;
    QString model;       // the LLM that classified it, if any
    QString modelReason; // why the router chose that model
    QString sandbox;     // local / e2b / "" when it never ran
    qint64 durationMs = 0;
    Money llmCost;
    Money sandboxCost;
    QString outcome;
    QString budgetBefore; // budget state names
    QString budgetAfter;
    QString message;
    QString classificationNote;     // the LLM's answer, or why the analyst had to confirm
    QString llmRequest;             // the JSON body sent to Cohere to classify it; empty when none
    QStringList uploadedFiles = {}; // local files sent to E2B's cloud for this run
    bool internet = false;          // its E2B sandbox could reach the internet

    static RunRecord from(const RunRequest &request, const RunReport &report, const QDateTime &started,
                          const QString &sessionKey);
};

struct HistoryFilter {
    QString text;     // in the code or the message
    QString outcome;  // exact outcome name; empty: any
    QString language; // empty: any
    int limit = 500;
};

// The run history, a table in the ledger's database, so a run and the
// money it spent are one backup and one transaction log.
class RunHistory {
public:
    explicit RunHistory(SpendLedger &ledger)
        : m_ledger(ledger)
    {
    }

    // A record survives a killed process as soon as it is written; against
    // power loss it is durable with the next settled charge (one fsync per
    // paid step, not one more per run). Full makes each record its own fsync.
    void setDurability(SpendLedger::Durability durability) { m_durability = durability; }

    // Stores the run; recording the same run id again replaces it.
    Expected<Done, LedgerError> record(const RunRecord &run);
    // Newest first.
    Expected<QList<RunRecord>, LedgerError> list(const HistoryFilter &filter = {});
    Expected<std::optional<RunRecord>, LedgerError> find(const QString &runId);

    static QByteArray toCsv(const QList<RunRecord> &runs);
    static QJsonArray toJson(const QList<RunRecord> &runs);

private:
    SpendLedger &m_ledger;
    SpendLedger::Durability m_durability = SpendLedger::Durability::UntilNextFullCommit;
};

QString codeHash(const QString &code);

} // namespace safecell
