#include "cohere/RetryPolicy.h"

#include <QLocale>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace safecell {

std::optional<qint64> parseRetryAfter(QByteArrayView value, const QDateTime &now)
{
    const QString text = QString::fromLatin1(value).trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (ok) {
        if (!(seconds > 0) || !std::isfinite(seconds))
            return std::nullopt;
        return qint64(std::min(seconds, 1e6) * 1000.0);
    }
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    QDateTime at = QLocale::c().toDateTime(text, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!at.isValid())
        return std::nullopt;
    at.setTimeSpec(Qt::UTC);
    const qint64 ms = now.msecsTo(at);
    if (ms <= 0)
        return std::nullopt;
    return ms;
}

qint64 retryDelayMs(const RetryPolicy &policy, int failedAttempts, std::optional<qint64> retryAfterMs,
                    QRandomGenerator &random)
{
    if (retryAfterMs)
        return std::min(*retryAfterMs, policy.maxDelayMs);
    const int exponent = std::clamp(failedAttempts - 1, 0, 30);
    const double base = double(policy.baseDelayMs) * std::pow(2.0, exponent);
    const double spread = (random.generateDouble() * 2.0 - 1.0) * policy.jitter;
    const double delay = std::min(base * (1.0 + spread), double(policy.maxDelayMs));
    return std::max<qint64>(0, qint64(delay));
}

} // namespace safecell
