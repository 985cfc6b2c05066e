#include "RunText.h"

#include "pipeline/RunReport.h"

#include <QCoreApplication>

namespace safecell {

namespace {

// lupdate files a free tr() under the namespace's name, so the lookup
// uses that context too.
QString tr(const char *text)
{
    return QCoreApplication::translate("safecell", text);
}

constexpr RunOutcome kOutcomes[] = {RunOutcome::Ok,         RunOutcome::Invalid,
                                    RunOutcome::Blocked,    RunOutcome::NeedsConfirmation,
                                    RunOutcome::OverBudget, RunOutcome::Unavailable,
                                    RunOutcome::Failed,     RunOutcome::TimedOut,
                                    RunOutcome::Cancelled};

} // namespace

QString outcomeText(RunOutcome outcome)
{
    switch (outcome) {
    case RunOutcome::Ok:
        return tr("Finished");
    case RunOutcome::Invalid:
        return tr("Invalid request");
    case RunOutcome::Blocked:
        return tr("Blocked by the safety check");
    case RunOutcome::NeedsConfirmation:
        return tr("Needs your confirmation");
    case RunOutcome::OverBudget:
        return tr("Over budget");
    case RunOutcome::Unavailable:
        return tr("Service unavailable");
    case RunOutcome::Failed:
        return tr("The code raised an error");
    case RunOutcome::TimedOut:
        return tr("Timed out");
    case RunOutcome::Cancelled:
        return tr("Stopped");
    }
    return {};
}

QString outcomeTextForName(const QString &name)
{
    for (RunOutcome outcome : kOutcomes) {
        if (outcomeName(outcome) == name)
            return outcomeText(outcome);
    }
    return name;
}

QString costText(Money llm, Money sandbox, const QString &model)
{
    if (llm.isZero() && sandbox.isZero())
        return model.isEmpty() ? tr("no charge") : tr("no charge (%1)").arg(model);
    const QString llmPart = model.isEmpty() ? tr("LLM: %1").arg(llm.toString())
                                            : tr("LLM %1: %2").arg(model, llm.toString());
    return tr("%1 (%2 + sandbox: %3)").arg((llm + sandbox).toString(), llmPart, sandbox.toString());
}

QString timedOutText(const RunReport &report)
{
    const QString seconds = QString::number(double(report.timeLimitMs) / 1000.0, 'g', 6);
    if (report.timeLimitMs <= 0)
        return tr("Stopped at the time limit");
    if (report.timeLimitFromBudget)
        return tr("Stopped at %1 s: the budget is nearly spent, so paid runs are shortened").arg(seconds);
    return tr("Stopped at the %1 s time limit").arg(seconds);
}

QString runSummaryText(const RunReport &report)
{
    const QString outcome = report.outcome == RunOutcome::TimedOut ? timedOutText(report) : outcomeText(report.outcome);
    return tr("%1 · %2").arg(outcome, costText(report.llmCost, report.sandboxCost, report.model));
}

} // namespace safecell
