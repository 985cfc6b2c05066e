#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace safecell::fake {

// One piece of a response body, written after waiting delayMs.
struct BodyStep {
    QByteArray bytes;
    int delayMs = 0;
};

// What FakeCohere answers to one request. Build one with the factories
// (the real wire format) and adjust the transport with the modifiers.
struct ScriptedResponse {
    enum class End {
        Complete, // the body is finished properly
        Stall,    // stop writing and keep the connection open
        Drop,     // close the connection where the steps end
    };

    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers; // besides Date/Content-Length/Transfer-Encoding
    QList<BodyStep> steps;                        // the body, in pieces
    bool chunked = false;                         // Transfer-Encoding: chunked (streams), else Content-Length
    int headerDelayMs = 0;                        // wait before the status line (first-byte timeouts)
    bool dropBeforeHeaders = false;               // close without answering at all
    End end = End::Complete;

    // 200 application/json, the non-streaming shape of §2.3.
    static ScriptedResponse chat(const QString &text, qint64 inputTokens = 5, qint64 outputTokens = 7,
                                 const QString &id = {});
    // 200 with a raw JSON (or not-JSON) body, for malformed-answer tests.
    static ScriptedResponse rawJson(const QByteArray &body, int status = 200);
    // 200 text/event-stream: message-start, content-start, a content-delta
    // per piece, content-end, message-end with usage (§2.4, CO-2).
    static ScriptedResponse stream(const QStringList &pieces, qint64 inputTokens = 5, qint64 outputTokens = 7,
                                   const QString &id = {});
    // A raw SSE body, for edge cases.
    static ScriptedResponse rawStream(const QByteArray &sse);
    // An error status with the API's error body {"id","message"} (§2.5).
    static ScriptedResponse error(int status, const QString &message, const QByteArray &retryAfter = {});

    // The whole body as one byte string.
    QByteArray body() const;
    // Re-slices the body into pieces of `bytes` each, `delayMs` apart.
    ScriptedResponse &splitEvery(int bytes, int delayMs);
    // Re-slices the body at the given offsets, `delayMs` apart.
    ScriptedResponse &splitAt(const QList<int> &offsets, int delayMs);
    // Replaces every LF in the body by CRLF.
    ScriptedResponse &withCrlf();
    // Appends `data: [DONE]` as the API definition's terminator.
    ScriptedResponse &withDone();
    // Inserts a ": keep-alive" comment line before every event.
    ScriptedResponse &withKeepAlives();
    // Keeps the first `bytes` of the body, then stalls or drops.
    ScriptedResponse &truncateAt(int bytes, End how);
    ScriptedResponse &delayHeaders(int ms)
    {
        headerDelayMs = ms;
        return *this;
    }
    ScriptedResponse &header(const QByteArray &name, const QByteArray &value);

    // The JSON script form used by fake_cohere_server's /fake/enqueue:
    //  {"kind":"chat","text":..,"inputTokens":..,"outputTokens":..}
    //  {"kind":"stream","pieces":[..],"done":bool,"crlf":bool}
    //  {"kind":"error","status":429,"message":..,"retryAfter":"1"}
    //  {"kind":"raw","status":200,"contentType":..,"body":..}
    // plus, for any kind: "splitBytes","splitDelayMs","headerDelayMs",
    // "truncateAt" with "end":"stall"|"drop", "dropBeforeHeaders".
    static ScriptedResponse fromJson(const QJsonObject &spec);
};

// A JSON string literal for `text`, quotes included.
QByteArray jsonString(const QString &text);
// A request id in the API's UUID form.
QByteArray newRequestId();

} // namespace safecell::fake
