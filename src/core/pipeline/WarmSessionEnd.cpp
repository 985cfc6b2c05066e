#include "WarmSessionEnd.h"

namespace safecell {

QString warmSessionEndNote(E2bSandbox::WarmEnd why, const std::optional<BudgetError> &refusal, qint64 idleTimeoutMs)
{
    if (why == E2bSandbox::WarmEnd::Budget) {
        return QStringLiteral("The E2B sandbox was closed: the budget cannot cover keeping it warm (%1). "
                              "Its variables are gone; the next run starts a fresh session.")
            .arg(refusal ? refusal->message : QStringLiteral("the spend ledger is unavailable"));
    }
    return QStringLiteral("The E2B sandbox was closed after %1 s without a run. Its variables are gone; "
                          "the next run starts a fresh session.")
        .arg(double(idleTimeoutMs) / 1000.0);
}

} // namespace safecell
