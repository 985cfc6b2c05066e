#pragma once

#include <QByteArrayView>
#include <QDateTime>

#include <optional>

class QRandomGenerator;

namespace safecell {

// How a Cohere call retries 429 and 5xx answers: at most maxAttempts HTTP
// attempts in all, waiting Retry-After when the server gives one, else an
// exponential backoff (base, 2x base, ...) with +-jitter, never past maxDelay.
struct RetryPolicy {
    int maxAttempts = 3;
    qint64 baseDelayMs = 1000;
    qint64 maxDelayMs = 60000;
    double jitter = 0.2; // fraction of the delay, applied both ways
};

// Retry-After as delay-seconds or an HTTP-date, in ms from `now`; nullopt
// when absent, unparsable, or not in the future.
std::optional<qint64> parseRetryAfter(QByteArrayView value, const QDateTime &now);

// The wait before attempt number failedAttempts + 1.
qint64 retryDelayMs(const RetryPolicy &policy, int failedAttempts, std::optional<qint64> retryAfterMs,
                    QRandomGenerator &random);

} // namespace safecell
