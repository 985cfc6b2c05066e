#include "CircuitBreaker.h"

#include "common/Logging.h"

#include <QMutexLocker>

namespace safecell {

QString breakerStateName(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed:
        return QStringLiteral("closed");
    case BreakerState::Open:
        return QStringLiteral("open");
    case BreakerState::HalfOpen:
        return QStringLiteral("half-open");
    }
    Q_UNREACHABLE();
}

CircuitBreaker::CircuitBreaker(const Clock &clock, BreakerConfig config)
    : m_clock(clock)
    , m_config(config)
{
}

BreakerState CircuitBreaker::stateLocked() const
{
    if (!m_open)
        return BreakerState::Closed;
    if (m_trialInFlight || m_clock.steadyMs() - m_openedAtMs >= m_config.coolDownMs)
        return BreakerState::HalfOpen;
    return BreakerState::Open;
}

BreakerState CircuitBreaker::state() const
{
    QMutexLocker lock(&m_mutex);
    return stateLocked();
}

int CircuitBreaker::consecutiveFailures() const
{
    QMutexLocker lock(&m_mutex);
    return m_failures;
}

qint64 CircuitBreaker::msUntilTrial() const
{
    QMutexLocker lock(&m_mutex);
    if (stateLocked() != BreakerState::Open)
        return 0;
    return m_config.coolDownMs - (m_clock.steadyMs() - m_openedAtMs);
}

bool CircuitBreaker::tryAcquire()
{
    QMutexLocker lock(&m_mutex);
    switch (stateLocked()) {
    case BreakerState::Closed:
        return true;
    case BreakerState::Open:
        return false;
    case BreakerState::HalfOpen:
        if (m_trialInFlight)
            return false; // exactly one trial
        m_trialInFlight = true;
        return true;
    }
    Q_UNREACHABLE();
}

void CircuitBreaker::recordSuccess()
{
    QMutexLocker lock(&m_mutex);
    if (m_open && !m_trialInFlight)
        return; // a late reply from before it opened proves nothing
    m_open = false;
    m_trialInFlight = false;
    m_failures = 0;
}

void CircuitBreaker::recordFailure()
{
    QMutexLocker lock(&m_mutex);
    if (m_open && !m_trialInFlight)
        return; // already open; a late failure does not extend the cool-down
    ++m_failures;
    if (m_trialInFlight || m_failures >= m_config.failureThreshold) {
        m_open = true;
        m_trialInFlight = false;
        m_openedAtMs = m_clock.steadyMs();
    }
}

void CircuitBreaker::recordAbandoned()
{
    QMutexLocker lock(&m_mutex);
    m_trialInFlight = false;
}

std::shared_ptr<CircuitBreaker> processE2bBreaker()
{
    static const auto breaker = std::make_shared<CircuitBreaker>(SystemClock::instance());
    return breaker;
}

CircuitBreakers::CircuitBreakers(const Clock &clock, BreakerConfig config)
    : m_clock(clock)
    , m_config(config)
{
}

CircuitBreaker &CircuitBreakers::forModel(const QString &modelId)
{
    QMutexLocker lock(&m_mutex);
    auto &breaker = m_breakers[modelId];
    if (!breaker)
        breaker = std::make_unique<CircuitBreaker>(m_clock, m_config);
    return *breaker;
}

} // namespace safecell
