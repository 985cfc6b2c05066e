#pragma once

#include <QByteArray>
#include <QString>

namespace safecell {

// A failed E2B request, classified the way the official SDK classifies it
// (protocols.md 1.2.2 and 1.4.4), with E2B's own message kept for the user.
struct E2bError {
    enum class Kind {
        Network,      // no HTTP answer (refused, reset, DNS...)
        Timeout,      // no answer within the request's timeout
        Cancelled,    // we aborted it
        Unauthorized, // 401: bad key
        RateLimited,  // 429 (after the bounded retries)
        SandboxGone,  // 502 from the sandbox proxy: killed or expired
        NotFound,     // 404
        Server,       // any other 5xx
        Http,         // any other status
        Protocol,     // an answer we cannot use (bad JSON...)
    };
    Kind kind = Kind::Network;
    int status = 0;
    QString message; // ready for the user, secrets redacted
    // The request reached E2B but its answer was lost (a timeout, a reset
    // connection): E2B may have acted on it. False when it surely did not
    // (refused, no such host, TLS refused, an HTTP error answer).
    bool mayHaveTakenEffect = false;

    // From an HTTP error answer: E2B's JSON `message`, or the body as text.
    static E2bError fromHttp(int status, const QByteArray &body, const QString &reason);
};

// E2B's `message` (control plane and proxy bodies are JSON; the code
// interpreter answers some errors in plain text).
QString e2bBodyMessage(const QByteArray &body);

} // namespace safecell
