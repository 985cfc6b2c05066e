#include "HttpMapping.h"

#include "api/ResultBundles.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace safecell::api {

int httpStatusFor(RunOutcome outcome)
{
    switch (outcome) {
    case RunOutcome::Ok:
    case RunOutcome::Failed:
    case RunOutcome::TimedOut:
        return 200;
    case RunOutcome::Invalid:
        return 400;
    case RunOutcome::OverBudget:
        return 402;
    case RunOutcome::Blocked:
        return 403;
    case RunOutcome::NeedsConfirmation:
        return 409;
    case RunOutcome::Unavailable:
    case RunOutcome::Cancelled: // only when the server shuts down mid-run
        return 503;
    }
    return 500;
}

QJsonObject responseBody(const RunReport &report)
{
    QJsonObject body = report.result.toJson();
    // Figures, tables and HTML as mime bundles; `result` stays the recipe's text.
    body.insert(QStringLiteral("results"), resultBundles(report.richResults));
    body.insert(QStringLiteral("outcome"), outcomeName(report.outcome));
    if (!report.message.isEmpty())
        body.insert(QStringLiteral("message"), report.message);
    if (!report.invalidFields.isEmpty()) {
        QJsonArray fields;
        for (const FieldError &field : report.invalidFields)
            fields.append(
                QJsonObject{{QStringLiteral("field"), field.field}, {QStringLiteral("message"), field.message}});
        body.insert(QStringLiteral("fields"), fields);
    }
    body.insert(QStringLiteral("sandbox"), report.sandbox);
    // What left the machine for E2B's cloud, and what would have.
    body.insert(QStringLiteral("uploadedFiles"), QJsonArray::fromStringList(report.uploadedFiles));
    if (!report.skippedUploads.isEmpty())
        body.insert(QStringLiteral("skippedUploads"), QJsonArray::fromStringList(report.skippedUploads));
    body.insert(QStringLiteral("internet"), report.internetAllowed);
    body.insert(QStringLiteral("durationMs"), report.durationMs);
    if (report.classified) {
        QJsonObject verdict{{QStringLiteral("label"), safetyLabelName(report.safetyLabel)},
                            {QStringLiteral("decidedBy"), report.decidedBy}};
        if (!report.classificationNote.isEmpty())
            verdict.insert(QStringLiteral("note"), report.classificationNote);
        body.insert(QStringLiteral("verdict"), verdict);
    } else {
        body.insert(QStringLiteral("verdict"), QJsonValue::Null);
    }
    QJsonArray findings;
    for (const Finding &f : report.findings)
        findings.append(f.toJson());
    body.insert(QStringLiteral("findings"), findings);
    if (!report.model.isEmpty()) {
        // The LLM consulted, why, what it cost, and exactly what it was sent
        // (the request body: the snippet and the prompt, never a key).
        const QJsonDocument sent = QJsonDocument::fromJson(report.llmRequest);
        body.insert(QStringLiteral("llm"),
                    QJsonObject{{QStringLiteral("model"), report.model},
                                {QStringLiteral("why"), report.modelReason},
                                {QStringLiteral("inputTokens"), report.llmInputTokens},
                                {QStringLiteral("outputTokens"), report.llmOutputTokens},
                                {QStringLiteral("cost"), report.llmCost.usd()},
                                {QStringLiteral("sent"), sent.isObject()
                                                             ? QJsonValue(sent.object())
                                                             : QJsonValue(QString::fromUtf8(report.llmRequest))}});
    }
    body.insert(QStringLiteral("cost"),
                QJsonObject{{QStringLiteral("llm"), report.llmCost.usd()},
                            {QStringLiteral("sandbox"), report.sandboxCost.usd()},
                            {QStringLiteral("total"), (report.llmCost + report.sandboxCost).usd()}});
    if (report.remaining)
        body.insert(QStringLiteral("remaining"), report.remaining->usd());
    if (report.budgetBreach)
        body.insert(QStringLiteral("budgetBreach"), true);
    body.insert(QStringLiteral("budget"),
                report.budget ? QJsonValue(report.budget->toJson()) : QJsonValue(QJsonValue::Null));
    return body;
}

QJsonObject invalidBody(const ValidationError &error)
{
    QJsonArray fields;
    for (const FieldError &field : error.fields)
        fields.append(QJsonObject{{QStringLiteral("field"), field.field}, {QStringLiteral("message"), field.message}});
    return QJsonObject{{QStringLiteral("error"), error.toString()},
                       {QStringLiteral("fields"), fields},
                       {QStringLiteral("outcome"), outcomeName(RunOutcome::Invalid)}};
}

QJsonObject errorBody(const QString &message)
{
    return QJsonObject{{QStringLiteral("error"), message}};
}

bool isValidSessionId(QStringView id)
{
    if (id.isEmpty() || id.size() > 64)
        return false;
    // "." and ".." are path segments to every HTTP client: DELETE could
    // never name such a session.
    if (std::all_of(id.begin(), id.end(), [](QChar c) { return c == u'.'; }))
        return false;
    return std::all_of(id.begin(), id.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_'
               || c == u'.' || c == u'-';
    });
}

Expected<QString, FieldError> sessionIdOf(const QByteArray &body)
{
    const QString field = QStringLiteral("sessionId");
    const QJsonValue value = QJsonDocument::fromJson(body).object().value(field);
    if (value.isUndefined())
        return QString();
    if (!value.isString() || !isValidSessionId(value.toString())) {
        return unexpected(FieldError{field, QStringLiteral("must be a string of 1 to 64 letters, digits, '_', '.' "
                                                           "or '-' (a session id of your choosing)")});
    }
    return value.toString();
}

} // namespace safecell::api
