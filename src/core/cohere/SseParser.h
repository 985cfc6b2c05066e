#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace safecell {

// One dispatched server-sent event. `data` is the raw UTF-8 of the event's
// data lines joined with '\n'; it is decoded only by whoever parses it, so a
// multi-byte character split across network reads is never cut.
struct SseEvent {
    QByteArray event; // empty when the stream gave no "event:" field
    QByteArray data;
    QByteArray id;
};

// A pure, incremental text/event-stream parser (the WHATWG rules): feed it
// bytes as they arrive, in pieces of any size, and it returns the events
// completed so far. Lines may end in LF, CRLF or CR (a CR at the end of one
// read and the LF at the start of the next count as one line end). Comment
// lines (":...", servers' keep-alives) and unknown fields are skipped; an
// event with no data line is not dispatched.
class SseParser {
public:
    QList<SseEvent> feed(QByteArrayView bytes);

    // At end of stream: an unterminated last line and a pending event are
    // dispatched too. The WHATWG rules would drop them, but the official
    // Cohere SDK parses each data line on its own, so a server that omits the
    // final blank line still delivers its last event there; we match it.
    QList<SseEvent> finish();

    // Bytes waiting for a line end (bounded by the caller via maxLineBytes).
    qsizetype pendingBytes() const { return m_buffer.size() - m_offset; }

private:
    void processLine(QByteArrayView line, QList<SseEvent> &out);
    void dispatch(QList<SseEvent> &out);

    QByteArray m_buffer;
    qsizetype m_offset = 0;       // start of the unprocessed part of m_buffer
    bool m_skipLeadingLf = false; // the previous read ended in CR
    bool m_firstLine = true;      // strip a UTF-8 BOM from the very first line
    bool m_hasData = false;
    SseEvent m_pending;
};

} // namespace safecell
