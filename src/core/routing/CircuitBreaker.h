#pragma once

#include "common/Clock.h"

#include <QMutex>
#include <QString>

#include <map>
#include <memory>

namespace safecell {

enum class BreakerState { Closed, Open, HalfOpen };
QString breakerStateName(BreakerState state);

struct BreakerConfig {
    int failureThreshold = 5;   // consecutive failures that open it
    qint64 coolDownMs = 60'000; // open -> half-open
};

// One model's circuit breaker. Closed: calls go ahead. Open after
// `failureThreshold` consecutive failures: calls are refused. Half-open once
// the cool-down has passed: exactly one trial call goes ahead; its success
// closes the breaker, its failure opens it again for another cool-down.
// Thread-safe: runs on several worker threads share one breaker per model.
class CircuitBreaker {
public:
    explicit CircuitBreaker(const Clock &clock, BreakerConfig config = {});

    // May a call go ahead now? In half-open, grants the single trial.
    bool tryAcquire();
    void recordSuccess();
    void recordFailure();
    // A granted call that ended without a verdict (cancelled): frees the
    // trial slot without changing the state.
    void recordAbandoned();

    BreakerState state() const;
    int consecutiveFailures() const;
    // Milliseconds until an open breaker lets a trial through (0 otherwise).
    qint64 msUntilTrial() const;

private:
    BreakerState stateLocked() const;

    const Clock &m_clock;
    const BreakerConfig m_config;
    mutable QMutex m_mutex;
    bool m_open = false; // open or half-open
    bool m_trialInFlight = false;
    int m_failures = 0;
    qint64 m_openedAtMs = 0;
};

// E2B's breaker, shared by every run in the process: after repeated
// failures the runs stop calling E2B for the cool-down instead of each
// waiting out its own timeouts and retries.
std::shared_ptr<CircuitBreaker> processE2bBreaker();

// The breakers of all models, shared by every router in the process.
class CircuitBreakers {
public:
    explicit CircuitBreakers(const Clock &clock = SystemClock::instance(), BreakerConfig config = {});
    CircuitBreaker &forModel(const QString &modelId);

private:
    const Clock &m_clock;
    const BreakerConfig m_config;
    QMutex m_mutex;
    std::map<QString, std::unique_ptr<CircuitBreaker>> m_breakers;
};

} // namespace safecell
