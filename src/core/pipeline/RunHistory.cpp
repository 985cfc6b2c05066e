#include "RunHistory.h"

#include "budget/SpendLedger.h"
#include "pipeline/RunReport.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>

namespace safecell {

namespace {

const QString kColumns = QStringLiteral(
    "run_id, started_ms, session_key, code, code_hash, language, verdict, findings, decided_by, confirmed,"
    " model, model_reason, sandbox, duration_ms, llm_cost_nanos, sandbox_cost_nanos, outcome,"
    " budget_before, budget_after, message, classification_note, llm_request, uploaded_files, internet");

LedgerError sqlError(const QString &what, const QSqlQuery &query)
{
    return {QStringLiteral("The run history could not %1: %2").arg(what, query.lastError().text())};
}

RunRecord fromRow(const QSqlQuery &q)
{
    RunRecord r;
    r.runId = q.value(0).toString();
    r.started = QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC);
    r.sessionKey = q.value(2).toString();
    r.code = q.value(3).toString();
    r.codeHash = q.value(4).toString();
    r.language = q.value(5).toString();
    r.verdict = q.value(6).toString();
    r.findings = QJsonDocument::fromJson(q.value(7).toString().toUtf8()).array();
    r.decidedBy = q.value(8).toString();
    r.confirmed = q.value(9).toBool();
    r.model = q.value(10).toString();
    r.modelReason = q.value(11).toString();
    r.sandbox = q.value(12).toString();
    r.durationMs = q.value(13).toLongLong();
    r.llmCost = Money::fromNanos(q.value(14).toLongLong());
    r.sandboxCost = Money::fromNanos(q.value(15).toLongLong());
    r.outcome = q.value(16).toString();
    r.budgetBefore = q.value(17).toString();
    r.budgetAfter = q.value(18).toString();
    r.message = q.value(19).toString();
    r.classificationNote = q.value(20).toString();
    r.llmRequest = q.value(21).toString();
    for (const QJsonValue &path : QJsonDocument::fromJson(q.value(22).toString().toUtf8()).array())
        r.uploadedFiles << path.toString();
    r.internet = q.value(23).toBool();
    return r;
}

QString csvField(const QString &value)
{
    // Quote every field, double inner quotes; a leading = + - @ would be a
    // formula to a spreadsheet, so such cells get a leading apostrophe.
    QString v = value;
    if (!v.isEmpty() && QStringLiteral("=+-@").contains(v.front()))
        v.prepend(QLatin1Char('\''));
    v.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + v + QLatin1Char('"');
}

QJsonObject toJsonObject(const RunRecord &r)
{
    return QJsonObject{
        {QStringLiteral("runId"), r.runId},
        {QStringLiteral("started"), r.started.toString(Qt::ISODateWithMs)},
        {QStringLiteral("session"), r.sessionKey},
        {QStringLiteral("code"), r.code},
        {QStringLiteral("codeHash"), r.codeHash},
        {QStringLiteral("language"), r.language},
        {QStringLiteral("verdict"), r.verdict},
        {QStringLiteral("findings"), r.findings},
        {QStringLiteral("decidedBy"), r.decidedBy},
        {QStringLiteral("confirmed"), r.confirmed},
        {QStringLiteral("model"), r.model},
        {QStringLiteral("modelReason"), r.modelReason},
        {QStringLiteral("sandbox"), r.sandbox},
        {QStringLiteral("durationMs"), r.durationMs},
        {QStringLiteral("llmCost"), r.llmCost.usd()},
        {QStringLiteral("sandboxCost"), r.sandboxCost.usd()},
        {QStringLiteral("outcome"), r.outcome},
        {QStringLiteral("budgetBefore"), r.budgetBefore},
        {QStringLiteral("budgetAfter"), r.budgetAfter},
        {QStringLiteral("message"), r.message},
        {QStringLiteral("classificationNote"), r.classificationNote},
        {QStringLiteral("llmRequest"), r.llmRequest},
        {QStringLiteral("uploadedFiles"), QJsonArray::fromStringList(r.uploadedFiles)},
        {QStringLiteral("internet"), r.internet},
    };
}

} // namespace

QString codeHash(const QString &code)
{
    return QString::fromLatin1(QCryptographicHash::hash(code.toUtf8(), QCryptographicHash::Sha256).toHex());
}

RunRecord RunRecord::from(const RunRequest &request, const RunReport &report, const QDateTime &started,
                          const QString &sessionKey)
{
    RunRecord r;
    r.runId = report.runId;
    r.started = started.toUTC();
    r.sessionKey = sessionKey;
    r.code = request.code;
    r.codeHash = safecell::codeHash(request.code);
    r.language = languageName(request.language);
    r.verdict = report.classified ? safetyLabelName(report.safetyLabel) : QString();
    for (const Finding &f : report.findings)
        r.findings.append(f.toJson());
    r.decidedBy = report.decidedBy;
    r.confirmed = request.confirmed;
    r.model = report.model;
    r.modelReason = report.modelReason;
    r.sandbox = report.sandbox;
    r.durationMs = report.durationMs;
    r.llmCost = report.llmCost;
    r.sandboxCost = report.sandboxCost;
    r.outcome = outcomeName(report.outcome);
    r.budgetBefore = report.budgetStateBefore;
    r.budgetAfter = report.budgetStateAfter;
    r.message = report.message;
    r.classificationNote = report.classificationNote;
    r.llmRequest = QString::fromUtf8(report.llmRequest);
    r.uploadedFiles = report.uploadedFiles;
    r.internet = report.internetAllowed;
    return r;
}

Expected<Done, LedgerError> RunHistory::record(const RunRecord &run)
{
    return m_ledger.writeTransaction(
        [&]() -> Expected<Done, LedgerError> {
            QSqlQuery q(m_ledger.database());
            q.prepare(QStringLiteral("INSERT OR REPLACE INTO runs (") + kColumns
                      + QStringLiteral(") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
            const QVariantList values{run.runId,
                                      run.started.toMSecsSinceEpoch(),
                                      run.sessionKey,
                                      run.code,
                                      run.codeHash,
                                      run.language,
                                      run.verdict,
                                      QString::fromUtf8(QJsonDocument(run.findings).toJson(QJsonDocument::Compact)),
                                      run.decidedBy,
                                      run.confirmed ? 1 : 0,
                                      run.model,
                                      run.modelReason,
                                      run.sandbox,
                                      run.durationMs,
                                      run.llmCost.nanos(),
                                      run.sandboxCost.nanos(),
                                      run.outcome,
                                      run.budgetBefore,
                                      run.budgetAfter,
                                      run.message,
                                      run.classificationNote,
                                      run.llmRequest,
                                      QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(run.uploadedFiles))
                                                            .toJson(QJsonDocument::Compact)),
                                      run.internet ? 1 : 0};
            for (const QVariant &v : values) {
                // A null QString binds as SQL NULL; the history stores "" for "none".
                const bool nullText = v.typeId() == QMetaType::QString && v.toString().isNull();
                q.addBindValue(nullText ? QVariant(QStringLiteral("")) : v);
            }
            if (!q.exec())
                return unexpected(sqlError(QStringLiteral("record run %1").arg(run.runId), q));
            return Done{};
        },
        m_durability);
}

Expected<QList<RunRecord>, LedgerError> RunHistory::list(const HistoryFilter &filter)
{
    QString sql = QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM runs WHERE 1=1");
    QVariantList values;
    if (!filter.text.isEmpty()) {
        sql += QStringLiteral(" AND (instr(code, ?) > 0 OR instr(message, ?) > 0)");
        values << filter.text << filter.text;
    }
    if (!filter.outcome.isEmpty()) {
        sql += QStringLiteral(" AND outcome = ?");
        values << filter.outcome;
    }
    if (!filter.language.isEmpty()) {
        sql += QStringLiteral(" AND language = ?");
        values << filter.language;
    }
    sql += QStringLiteral(" ORDER BY started_ms DESC, run_id LIMIT ?");
    values << std::max(1, filter.limit);
    QSqlQuery q(m_ledger.database());
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return unexpected(sqlError(QStringLiteral("list runs"), q));
    QList<RunRecord> runs;
    while (q.next())
        runs << fromRow(q);
    return runs;
}

Expected<std::optional<RunRecord>, LedgerError> RunHistory::find(const QString &runId)
{
    QSqlQuery q(m_ledger.database());
    q.prepare(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM runs WHERE run_id = ?"));
    q.addBindValue(runId);
    if (!q.exec())
        return unexpected(sqlError(QStringLiteral("find run %1").arg(runId), q));
    if (!q.next())
        return std::optional<RunRecord>();
    return std::optional<RunRecord>(fromRow(q));
}

QByteArray RunHistory::toCsv(const QList<RunRecord> &runs)
{
    QStringList lines{
        QStringLiteral("run_id,started,language,verdict,decided_by,confirmed,model,model_reason,classification_note,"
                       "sandbox,duration_ms,"
                       "llm_cost_usd,sandbox_cost_usd,outcome,budget_before,budget_after,code_hash,"
                       "message,code,uploaded_files,internet")};
    for (const RunRecord &r : runs) {
        lines << QStringList{csvField(r.runId),
                             csvField(r.started.toString(Qt::ISODateWithMs)),
                             csvField(r.language),
                             csvField(r.verdict),
                             csvField(r.decidedBy),
                             csvField(r.confirmed ? QStringLiteral("yes") : QStringLiteral("no")),
                             csvField(r.model),
                             csvField(r.modelReason),
                             csvField(r.classificationNote),
                             csvField(r.sandbox),
                             QString::number(r.durationMs),
                             QString::number(r.llmCost.usd(), 'f', 9),
                             QString::number(r.sandboxCost.usd(), 'f', 9),
                             csvField(r.outcome),
                             csvField(r.budgetBefore),
                             csvField(r.budgetAfter),
                             csvField(r.codeHash),
                             csvField(r.message),
                             csvField(r.code),
                             csvField(r.uploadedFiles.join(QLatin1Char(';'))),
                             csvField(r.internet ? QStringLiteral("yes") : QStringLiteral("no"))}
                     .join(QLatin1Char(','));
    }
    return lines.join(QStringLiteral("\r\n")).toUtf8() + "\r\n";
}

QJsonArray RunHistory::toJson(const QList<RunRecord> &runs)
{
    QJsonArray array;
    for (const RunRecord &r : runs)
        array.append(toJsonObject(r));
    return array;
}

} // namespace safecell
