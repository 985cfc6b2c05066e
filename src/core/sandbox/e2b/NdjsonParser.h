#pragma once

#include "sandbox/DataPage.h"
#include "sandbox/Execution.h"
#include "sandbox/e2b/E2bWorkFiles.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>

namespace safecell {

// One message of E2B's /execute stream (protocols.md 1.4.3), already mapped
// onto the sandbox's result types.
struct NdjsonEvent {
    enum class Kind {
        ExecutionCount, // number_of_executions
        Stdout,
        Stderr,
        Result,
        Error,
        Variables, // a result carrying SafeCell's variable listing (E2bVariables.h)
        DataPage,  // a result carrying a table viewer page (E2bDataView.h)
        WorkFiles, // a result carrying the listing of the session's files (E2bWorkFiles.h)
        End,       // end_of_execution
        Malformed, // a line that is not a JSON object with a string `type`
    };
    Kind kind = Kind::Malformed;
    // Stdout/Stderr: the text of one or more consecutive chunks (see
    // NdjsonParser::feed); Malformed: the offending line (cut short).
    QString text;
    RichResult result;         // Result
    ExecutionError error;      // Error
    VariableListing variables; // Variables
    DataPage dataPage;         // DataPage: its request not filled in
    RemoteWorkFiles workFiles; // WorkFiles
    int executionCount = 0;
};

// Turns the bytes of an /execute response into events, whatever the read
// boundaries: lines split across reads are joined, keepalives and unknown
// types are dropped, and nothing after end_of_execution is reported. Pure:
// no I/O, no Qt event loop.
class NdjsonParser {
public:
    // The events of every whole line in `bytes` (and the partial line kept
    // from before), in stream order. E2B sends one stdout line per print,
    // so consecutive stdout chunks of one feed come as one Stdout event with
    // their texts joined (stderr likewise): a big output costs one event per
    // read, not one per line. Any other event between them (a result, a
    // stderr chunk) splits the run, so the order across kinds is exact.
    QList<NdjsonEvent> feed(const QByteArray &bytes);
    // The stream ended (EOF): a last line without its newline still counts.
    QList<NdjsonEvent> finish();

    bool ended() const { return m_ended; }
    qsizetype malformedLines() const { return m_malformed; }

private:
    void parseLine(QByteArrayView line, QList<NdjsonEvent> *out);

    QByteArray m_buffer;
    bool m_ended = false;
    qsizetype m_malformed = 0;
};

} // namespace safecell
