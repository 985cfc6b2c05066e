#include "E2bSandbox.h"

#include "common/Logging.h"
#include "sandbox/e2b/E2bLifetime.h"
#include "sandbox/e2b/E2bTransport.h"

#include <QNetworkReply>

namespace safecell {

void E2bSandbox::restartSession()
{
    cancel();
    killSession(QStringLiteral("restart"));
}

void E2bSandbox::shutdown()
{
    cancel();
    killSession(QStringLiteral("shutdown"));
}

void E2bSandbox::killSession(const QString &why)
{
    if (!m_session)
        return;
    m_idle.stop();
    m_warmStep.stop();
    const QString id = m_session->id;
    const quint64 life = m_session->life;
    m_session.reset();
    qCInfo(lcE2b) << "killing sandbox" << id << "(" << why << ")";
    if (m_page && m_page->reply)
        m_page->reply->abort(); // answered as the session's end; the pages waiting too

    ++m_killsInFlight;
    m_lifecycle->send("DELETE", m_lifecycle->controlRequest(QStringLiteral("/sandboxes/") + id), QByteArray(),
                      [this, id, life](const E2bResponse *, const E2bError *error) {
        // Billed until E2B took the kill (or had ended it already: 404);
        // a sandbox the kill did not reach bills until its lifetime ends.
        const bool gone = !error || error->kind == E2bError::Kind::NotFound;
        if (!gone)
            qCWarning(lcE2b) << "could not kill sandbox" << id << ":" << error->message << "(its lifetime will end it)";
        m_lifetime->ended(life, gone);
        Q_EMIT sessionClosed(id);
        if (--m_killsInFlight == 0)
            Q_EMIT killsEnded();
    });
}

} // namespace safecell
