#include "E2bCallBreaker.h"

#include <utility>

namespace safecell {

std::optional<QString> E2bCallBreaker::acquire(const std::shared_ptr<CircuitBreaker> &breaker)
{
    if (!breaker)
        return std::nullopt;
    if (breaker->tryAcquire()) {
        m_granted = breaker;
        return std::nullopt;
    }
    const qint64 waitMs = breaker->msUntilTrial();
    const QString when = waitMs > 0 ? QStringLiteral("next try in %1 s").arg((waitMs + 999) / 1000)
                                    : QStringLiteral("another run is checking whether it is back");
    return QStringLiteral("E2B failed %1 times in a row, so SafeCell is not calling it for now (%2). "
                          "The last error is in the status bar; to run locally meanwhile, remove "
                          "the E2B key in Settings.")
        .arg(breaker->consecutiveFailures())
        .arg(when);
}

void E2bCallBreaker::end(const ExecutionOutcome &outcome)
{
    const std::shared_ptr<CircuitBreaker> breaker = std::exchange(m_granted, nullptr);
    if (!breaker)
        return;
    if (outcome.budgetRefused || !outcome.skippedUploads.isEmpty()) { // E2B was never asked
        breaker->recordAbandoned();
        return;
    }
    switch (outcome.status) {
    case ExecutionStatus::Completed:
    case ExecutionStatus::Raised:
    case ExecutionStatus::TimedOut:
        breaker->recordSuccess();
        return;
    case ExecutionStatus::SandboxFailed:
        breaker->recordFailure();
        return;
    case ExecutionStatus::Cancelled:
        breaker->recordAbandoned();
        return;
    }
}

void E2bCallBreaker::abandon()
{
    if (const std::shared_ptr<CircuitBreaker> breaker = std::exchange(m_granted, nullptr))
        breaker->recordAbandoned();
}

} // namespace safecell
