#include "RetiredSandboxes.h"

#include <utility>

namespace safecell {

RetiredSandboxes::~RetiredSandboxes()
{
    settleNow();
}

void RetiredSandboxes::retire(E2bSandbox *sandbox, std::unique_ptr<SandboxBilling> billing)
{
    sandbox->shutdown();
    if (sandbox->killsInFlight() == 0) {
        delete sandbox; // before its billing, which its destructor settles through
        return;
    }
    // The billing lives as long as this connection, which goes only after
    // the sandbox's own destructor has run, however the sandbox is deleted.
    std::shared_ptr<SandboxBilling> meter(std::move(billing));
    QObject::connect(sandbox, &E2bSandbox::killsEnded, sandbox, [sandbox, meter] { sandbox->deleteLater(); });
    m_waiting.removeAll(nullptr);
    m_waiting.append(sandbox);
}

void RetiredSandboxes::settleNow()
{
    for (const QPointer<E2bSandbox> &sandbox : std::exchange(m_waiting, {}))
        delete sandbox.data();
}

QList<E2bSandbox *> RetiredSandboxes::sandboxes() const
{
    QList<E2bSandbox *> alive;
    for (const QPointer<E2bSandbox> &sandbox : m_waiting) {
        if (sandbox)
            alive << sandbox.data();
    }
    return alive;
}

} // namespace safecell
