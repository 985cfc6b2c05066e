#pragma once

#include "sandbox/DataPage.h"
#include "sandbox/Execution.h"
#include "sandbox/WorkFiles.h"

#include <QObject>

namespace safecell {

// Where code runs. One execution at a time; output arrives as it is
// written, and exactly one finished() ends every execute(), whatever
// happens (cancel included). Implementations live on the worker's thread.
class Sandbox : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    virtual QString name() const = 0;
    virtual void execute(const ExecutionRequest &request) = 0;
    // Stops the current execution; finished(Cancelled) follows.
    virtual void cancel() = 0;
    // Drops the session's state (variables, kernel) for a fresh start.
    virtual void restartSession() = 0;
    // A page of a session DataFrame for the data viewer: answered by one
    // dataPageReady(), after any run in progress, without counting as a
    // run. A sandbox that cannot page answers with an error.
    virtual void requestDataPage(const DataPageRequest &request)
    {
        DataPage page;
        page.request = request;
        page.error = tr("The table viewer is not available in the %1 sandbox yet.").arg(name());
        Q_EMIT dataPageReady(page);
    }

Q_SIGNALS:
    void stdoutReceived(const QString &text);
    void stderrReceived(const QString &text);
    void resultReceived(const safecell::RichResult &result);
    // The session's variables, once the run's code has ended (before
    // finished()); a sandbox that cannot list them sends nothing.
    void variablesListed(const safecell::VariableListing &listing);
    // The files in the session's /work, once a run has ended (before
    // finished()); a sandbox whose files the host cannot read sends none.
    void workFilesListed(const safecell::WorkFileListing &listing);
    void finished(const safecell::ExecutionOutcome &outcome);
    void dataPageReady(const safecell::DataPage &page);
};

} // namespace safecell
