#pragma once

#include "sandbox/Sandbox.h"

#include <QEventLoop>
#include <QTimer>

namespace safecell::test {

// Everything one execute() produced.
struct SandboxRun {
    bool finished = false;
    ExecutionOutcome outcome;
    QString out;
    QString err;
    QList<RichResult> results;
    std::optional<VariableListing> variables;
    std::optional<WorkFileListing> workFiles;

    QString mainText() const
    {
        for (const RichResult &result : results) {
            if (result.isMainResult)
                return result.text;
        }
        return {};
    }
    QString errorName() const { return outcome.error ? outcome.error->name : QString(); }
};

inline SandboxRun runIn(Sandbox &box, const ExecutionRequest &request, qint64 waitMs = 60000)
{
    SandboxRun run;
    QEventLoop loop;
    QObject context;
    QObject::connect(&box, &Sandbox::stdoutReceived, &context, [&run](const QString &text) { run.out += text; });
    QObject::connect(&box, &Sandbox::stderrReceived, &context, [&run](const QString &text) { run.err += text; });
    QObject::connect(&box, &Sandbox::resultReceived, &context,
                     [&run](const RichResult &result) { run.results << result; });
    QObject::connect(&box, &Sandbox::variablesListed, &context,
                     [&run](const VariableListing &listing) { run.variables = listing; });
    QObject::connect(&box, &Sandbox::workFilesListed, &context,
                     [&run](const WorkFileListing &listing) { run.workFiles = listing; });
    QObject::connect(&box, &Sandbox::finished, &context, [&run, &loop](const ExecutionOutcome &outcome) {
        run.outcome = outcome;
        run.finished = true;
        loop.quit();
    });
    QTimer::singleShot(waitMs, &loop, &QEventLoop::quit);
    box.execute(request);
    if (!run.finished)
        loop.exec();
    return run;
}

// With the variable listing, as the window asks for it.
inline SandboxRun python(Sandbox &box, const QString &code, qint64 timeLimitMs = 30000)
{
    return runIn(box, {code, Language::Python, timeLimitMs, false, false, true}, timeLimitMs + 30000);
}

inline SandboxRun sql(Sandbox &box, const QString &code, bool allowWrites = false)
{
    return runIn(box, {code, Language::Sql, 30000, allowWrites});
}

} // namespace safecell::test
