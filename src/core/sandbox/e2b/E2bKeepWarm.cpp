#include "E2bSandbox.h"

#include "common/Logging.h"
#include "sandbox/e2b/E2bLifetime.h"

namespace safecell {

void E2bSandbox::noteActivity()
{
    if (!m_session || m_running)
        return;
    // The keep-warm steps go on until the idle timeout fires.
    m_idle.start(int(qMin<qint64>(m_config.idleTimeoutMs, INT_MAX)));
}

void E2bSandbox::keepWarm()
{
    if (!m_session || m_running)
        return;
    const qint64 idleLeftMs = m_idle.isActive() ? m_idle.remainingTime() : 0;
    if (idleLeftMs <= 0)
        return; // the idle timeout kills it now
    // One step at a time: its lifetime is covered before it is asked, and a
    // sandbox whose next step the budget cannot cover is let go.
    const qint64 stepMs = qMin(idleLeftMs, qMax<qint64>(m_config.keepWarmStepMs, 1000));
    const qint64 lifetimeS = (stepMs + 999) / 1000 + qMax<qint64>(m_config.lifetimeMarginS, 1);
    if (!m_lifetime->extend(m_session->life, m_session->id, lifetimeS, LifetimeUse::KeepWarm)) {
        qCInfo(lcE2b) << "the budget cannot keep the sandbox warm; killing it";
        letGo(WarmEnd::Budget);
        return;
    }
    m_warmStep.start(int(stepMs));
}

void E2bSandbox::letGo(WarmEnd why)
{
    if (!m_session)
        return;
    killSession(why == WarmEnd::Budget ? QStringLiteral("budget") : QStringLiteral("idle"));
    // Without keep-warm (no idle time) closing after the run is expected.
    if (why == WarmEnd::Budget || m_config.idleTimeoutMs > 0)
        Q_EMIT warmSessionEnded(why);
}

} // namespace safecell
