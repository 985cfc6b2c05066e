#pragma once

#include "pipeline/SandboxBilling.h"
#include "sandbox/e2b/E2bSandbox.h"

#include <QList>
#include <QPointer>

#include <memory>

namespace safecell {

// The E2B sandboxes of sessions a worker has renewed. Each is killed at
// once and kept, with the billing that settles its last lifetime, until E2B
// has answered the kill: deleting it sooner would abort the kill (leaving a
// sandbox billing until its lifetime ends) and settle at its bound rather
// than at what it used. Lives on the worker's thread.
class RetiredSandboxes {
public:
    RetiredSandboxes() = default;
    RetiredSandboxes(const RetiredSandboxes &) = delete;
    RetiredSandboxes &operator=(const RetiredSandboxes &) = delete;
    // Those still waiting go now, settled at their bound.
    ~RetiredSandboxes();

    // `sandbox` must no longer be connected to anything that outlives it.
    void retire(E2bSandbox *sandbox, std::unique_ptr<SandboxBilling> billing);
    // Deletes those still waiting (settled at their bound), e.g. before the
    // ledger their billing charges is closed.
    void settleNow();
    // Those still waiting for their kill to be answered.
    QList<E2bSandbox *> sandboxes() const;

private:
    QList<QPointer<E2bSandbox>> m_waiting;
};

} // namespace safecell
