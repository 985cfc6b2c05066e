#pragma once

#include "request/Language.h"
#include "sandbox/SharedData.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace safecell {

struct ExecutionRequest {
    QString code;
    Language language = Language::Python;
    qint64 timeLimitMs = 30000;
    bool allowWrites = false; // SQL: open the workspace read-write for this run
    // A cloud sandbox may send local files (the workspace database) to its
    // provider for this run; without it such a run is refused, not sent.
    bool uploadAllowed = false;
    // Python: list the session's variables after the code (variablesListed()).
    bool listVariables = false;
    // The analyst's shared files and folders, read-only at /data/<name>
    // (local sandbox). Mounts are fixed when the kernel starts: another set
    // than the kernel's restarts it, and the outcome says so.
    QList<SharedPath> shares = {};
};

// A table as both sandboxes return it: a DataFrame or an SQL result set.
struct TableData {
    QStringList columns;
    QStringList types;
    QList<QStringList> rows; // the first rows only, see totalRows
    qint64 totalRows = 0;
    QStringList rowLabels; // a DataFrame's index, one per row; empty: none (SQL)
};

// One rich output, as E2B's `result` message carries it. A single output
// can have several representations (text and PNG for a figure).
struct RichResult {
    bool isMainResult = false;
    QString text;
    QString html;
    QByteArray png; // decoded bytes
    QByteArray svg; // a figure's SVG, when the sandbox sent one
    std::optional<TableData> table;
};

// One of the session's variables as the kernel lists it after a run, for
// the Variables pane: bounded text only (kernel::parseVariables caps it).
struct VariableInfo {
    QString name;
    QString type;    // the value's class, e.g. "DataFrame", "int"
    QString kind;    // dataframe, series, array, number, string, collection, other
    QString shape;   // "1000 rows x 5 columns", "3 x 4", "12 items"; empty for a number
    QString preview; // a DataFrame's columns and dtypes, or a short repr
};

// The session's variables after a run; `truncated`: there were more than
// the kernel lists.
struct VariableListing {
    QList<VariableInfo> variables;
    bool truncated = false;
};

struct ExecutionError {
    QString name;      // e.g. "ZeroDivisionError"
    QString value;     // e.g. "division by zero"
    QString traceback; // line numbers are the user's own
};

enum class ExecutionStatus {
    Completed,     // the code ran to its end
    Raised,        // the code raised; see error
    TimedOut,      // the run's time limit ended it
    Cancelled,     // the analyst stopped it
    SandboxFailed, // the sandbox could not run it; see message
};

struct ExecutionOutcome {
    ExecutionStatus status = ExecutionStatus::Completed;
    std::optional<ExecutionError> error;
    QString message;          // for the user: why it failed, what was done
    qint64 durationMs = 0;    // wall time inside the sandbox
    bool sessionLost = false; // the session's state is gone (kernel restarted)
    // Not run: the budget cannot cover what the sandbox would cost (with SandboxFailed).
    bool budgetRefused = false;
    // Local files sent to the sandbox's provider during this run.
    QStringList uploadedFiles = {};
    // Not run (with SandboxFailed): it needed these local files uploaded,
    // and uploading was not allowed (ExecutionRequest::uploadAllowed).
    QStringList skippedUploads = {};
};

} // namespace safecell

Q_DECLARE_METATYPE(safecell::RichResult)
Q_DECLARE_METATYPE(safecell::VariableListing)
Q_DECLARE_METATYPE(safecell::ExecutionOutcome)
