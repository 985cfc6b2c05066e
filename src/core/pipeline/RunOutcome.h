#pragma once

#include <QString>

namespace safecell {

// How a run ended; every front end maps these (HTTP status, exit code).
enum class RunOutcome {
    Ok,
    Invalid,
    Blocked,
    NeedsConfirmation,
    OverBudget,
    Unavailable,
    Failed, // the code itself raised
    TimedOut,
    Cancelled,
};

QString outcomeName(RunOutcome outcome); // "ok", "invalid", ...

// The CLI's exit codes: 0 ok, 1 raised, 2 invalid, 3 blocked, 4 timed out,
// 5 over budget, 6 unavailable, 7 needs confirmation, 130 cancelled.
int exitCodeFor(RunOutcome outcome);

enum class RunStep { Validating, Classifying, Reserving, Routing, Executing, Settling, Done };
QString stepName(RunStep step);

} // namespace safecell

#include <QMetaType>
Q_DECLARE_METATYPE(safecell::RunOutcome)
Q_DECLARE_METATYPE(safecell::RunStep)
