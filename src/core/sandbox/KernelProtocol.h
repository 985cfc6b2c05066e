#pragma once

#include "sandbox/DataPage.h"
#include "sandbox/Execution.h"
#include "sandbox/SharedDatabases.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace safecell {

// The JSON-lines protocol between LocalSandbox and the kernel driver
// (resources/kernel/driver.py). Message types mirror E2B's /execute stream:
// number_of_executions, stdout, stderr, result, error, end_of_execution.
namespace kernel {

struct Request {
    QString runId;
    Language language = Language::Python;
    QString code;
    qint64 outputCapBytes = 4 << 20;
    qint64 rowCap = 1000;
    qint64 cpuSeconds = 0;          // this run's CPU budget (0: only the kernel's lifetime limit)
    QString database;               // SQL: the path inside the sandbox
    bool allowWrites = false;       // SQL: open read-write
    QString scratchDatabase;        // SQL: the session's scratch database inside the sandbox (main)
    QList<SharedDatabase> attached; // SQL: shared SQLite files, attached read-only
    bool listVariables = false;     // Python: list the session's variables after the code
};

// One request line, newline included.
QByteArray executeLine(const Request &request);
QByteArray interruptLine(const QString &runId);

enum class MessageType { Stdout, Stderr, Result, Error, Variables, DataPage, End, Other };

struct Message {
    MessageType type = MessageType::Other;
    QString text;                             // stdout, stderr
    std::optional<RichResult> result;         // result
    std::optional<ExecutionError> error;      // error
    std::optional<VariableListing> variables; // variables
    std::optional<DataPage> dataPage;         // data_page (DataPageProtocol.h), its request not filled in
    QString runId;                            // end, data_page
};

// Parses one line; nullopt when it is not a JSON object. Unknown types
// come back as Other and are ignored, as E2B's clients do.
std::optional<Message> parseLine(const QByteArray &line);

inline constexpr qsizetype kMaxListedVariables = 200;
inline constexpr qsizetype kMaxVariableFieldChars = 400;

// A listing of the session's variables ({"variables": [...], "truncated": b}),
// as the kernel driver and E2B (E2bVariables.h) send it.
VariableListing parseVariables(const QJsonObject &listing);

// The `table` object of a result message.
std::optional<TableData> parseTable(const QJsonObject &table);

} // namespace kernel
} // namespace safecell
