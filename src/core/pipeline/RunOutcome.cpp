#include "RunOutcome.h"

namespace safecell {

QString outcomeName(RunOutcome outcome)
{
    switch (outcome) {
    case RunOutcome::Ok:
        return QStringLiteral("ok");
    case RunOutcome::Invalid:
        return QStringLiteral("invalid");
    case RunOutcome::Blocked:
        return QStringLiteral("blocked");
    case RunOutcome::NeedsConfirmation:
        return QStringLiteral("needs-confirmation");
    case RunOutcome::OverBudget:
        return QStringLiteral("over-budget");
    case RunOutcome::Unavailable:
        return QStringLiteral("unavailable");
    case RunOutcome::Failed:
        return QStringLiteral("failed");
    case RunOutcome::TimedOut:
        return QStringLiteral("timed-out");
    case RunOutcome::Cancelled:
        return QStringLiteral("cancelled");
    }
    return {};
}

int exitCodeFor(RunOutcome outcome)
{
    switch (outcome) {
    case RunOutcome::Ok:
        return 0;
    case RunOutcome::Failed:
        return 1;
    case RunOutcome::Invalid:
        return 2;
    case RunOutcome::Blocked:
        return 3;
    case RunOutcome::TimedOut:
        return 4;
    case RunOutcome::OverBudget:
        return 5;
    case RunOutcome::Unavailable:
        return 6;
    case RunOutcome::NeedsConfirmation:
        return 7;
    case RunOutcome::Cancelled:
        return 130;
    }
    return 1;
}

QString stepName(RunStep step)
{
    switch (step) {
    case RunStep::Validating:
        return QStringLiteral("validating");
    case RunStep::Classifying:
        return QStringLiteral("classifying");
    case RunStep::Reserving:
        return QStringLiteral("reserving");
    case RunStep::Routing:
        return QStringLiteral("routing");
    case RunStep::Executing:
        return QStringLiteral("executing");
    case RunStep::Settling:
        return QStringLiteral("settling");
    case RunStep::Done:
        return QStringLiteral("done");
    }
    return {};
}

} // namespace safecell
