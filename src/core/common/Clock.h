#pragma once

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>
#include <chrono>

namespace safecell {

// The time seam: code that depends on "now" (budget periods, reservation
// expiry, circuit-breaker cool-downs) asks a Clock, so tests can move time.
class Clock {
public:
    virtual ~Clock() = default;
    // Wall-clock time, for timestamps and calendar periods.
    virtual QDateTime nowUtc() const = 0;
    // The zone calendar periods are computed in (the user's local zone).
    virtual QTimeZone timeZone() const = 0;
    // A monotonic reading in milliseconds, for durations that must not
    // jump with the wall clock (cool-downs).
    virtual qint64 steadyMs() const = 0;
};

class SystemClock final : public Clock {
public:
    QDateTime nowUtc() const override { return QDateTime::currentDateTimeUtc(); }
    QTimeZone timeZone() const override { return QTimeZone::systemTimeZone(); }
    qint64 steadyMs() const override
    {
        using namespace std::chrono;
        return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
    }
    static const SystemClock &instance()
    {
        static const SystemClock clock;
        return clock;
    }
};

// A clock that only moves when told to (tests).
class ManualClock final : public Clock {
public:
    explicit ManualClock(QDateTime nowUtc, QTimeZone zone = QTimeZone::utc())
        : m_now(std::move(nowUtc))
        , m_zone(std::move(zone))
    {
    }
    QDateTime nowUtc() const override { return m_now; }
    QTimeZone timeZone() const override { return m_zone; }
    qint64 steadyMs() const override { return m_steadyMs; }

    void set(const QDateTime &nowUtc)
    {
        m_steadyMs += std::max<qint64>(0, m_now.msecsTo(nowUtc));
        m_now = nowUtc.toUTC();
    }
    void advanceMs(qint64 ms)
    {
        m_now = m_now.addMSecs(ms);
        m_steadyMs += ms;
    }
    void setTimeZone(const QTimeZone &zone) { m_zone = zone; }

private:
    QDateTime m_now;
    QTimeZone m_zone;
    qint64 m_steadyMs = 0;
};

} // namespace safecell
