#pragma once

#include "routing/CircuitBreaker.h"
#include "sandbox/Execution.h"

#include <QString>

#include <memory>
#include <optional>

namespace safecell {

// One run's call to E2B through the process's circuit breaker: asked for
// before the sandbox is, and settled once with what came of it. Only E2B's
// own failures count against it: code that raised or ran out of time got a
// working sandbox, and a run the budget refused never asked.
class E2bCallBreaker {
public:
    // Null `breaker`: no breaker, every call goes. Otherwise whether this
    // run may call E2B; when it may not, why, for the analyst.
    std::optional<QString> acquire(const std::shared_ptr<CircuitBreaker> &breaker);
    // The sandbox answered the granted call (nothing when none was granted).
    void end(const ExecutionOutcome &outcome);
    // The run ended before E2B answered (the hold failed, or it was stopped).
    void abandon();

private:
    std::shared_ptr<CircuitBreaker> m_granted; // set while a granted call is open
};

} // namespace safecell
