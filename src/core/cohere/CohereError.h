#pragma once

#include <QString>

namespace safecell {

// Every way a Cohere call can fail, as a value. `message` carries the
// server's own words when there were some (keys redacted).
struct CohereError {
    enum class Kind {
        BadRequest,        // 400
        Unauthorized,      // 401: the key is wrong, missing or expired
        PaymentRequired,   // 402: billing limit reached
        Forbidden,         // 403
        NotFound,          // 404: usually an unknown model
        Unprocessable,     // 422
        RateLimited,       // 429, after the retries
        InvalidToken,      // 498: deny-listed token ("unsafe request")
        ClientClosed,      // 499: request cancelled server-side
        ServerError,       // 5xx, after the retries
        HttpError,         // any other status
        ConnectTimeout,    // no connection within the connect timeout
        FirstByteTimeout,  // connected, but no response within its timeout
        StreamStalled,     // the response stopped arriving mid-way
        DeadlineExceeded,  // the call's own deadline passed
        Tls,               // certificate or handshake failure (never ignored)
        Network,           // refused, reset, DNS, dropped connection
        MalformedResponse, // not the JSON / SSE the API defines
        StreamIncomplete,  // the stream ended before message-end
        GenerationFailed,  // message-end with finish_reason ERROR/TIMEOUT
        Cancelled,
    };

    Kind kind = Kind::Network;
    int httpStatus = 0; // 0 when no HTTP status was received
    QString message;    // the server's message or the transport's reason
    QString requestId;  // the error body's "id", when present
    int attempts = 1;   // how many HTTP attempts were made

    // A short stable name for logs and tests ("unauthorized", "rate-limited").
    QString kindName() const;
    // A sentence for the user, e.g. "The Cohere API key was rejected: ...".
    QString describe() const;
    // Whether the same request may succeed if sent again later (429, 5xx).
    bool retryable() const;
};

// The error kind an HTTP status maps to.
CohereError::Kind cohereErrorKindForStatus(int status);

} // namespace safecell
