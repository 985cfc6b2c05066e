// libFuzzer: E2B's /execute stream. The NDJSON parser must give the same
// events whatever the read boundaries (once consecutive stdout, or stderr,
// chunks are joined, as one read joins them), and report nothing after the
// end. The first byte picks the piece size.
#include "sandbox/e2b/NdjsonParser.h"

#include <cstdint>
#include <cstdlib>

namespace {

struct Parsed {
    QList<safecell::NdjsonEvent> events;
    bool ended = false;
    qsizetype malformed = 0;
};

void appendJoined(QList<safecell::NdjsonEvent> *to, const QList<safecell::NdjsonEvent> &events)
{
    using Kind = safecell::NdjsonEvent::Kind;
    for (const auto &event : events) {
        const bool chunk = event.kind == Kind::Stdout || event.kind == Kind::Stderr;
        if (chunk && !to->isEmpty() && to->last().kind == event.kind)
            to->last().text += event.text;
        else
            to->append(event);
    }
}

Parsed parse(const QByteArray &bytes, qsizetype piece)
{
    safecell::NdjsonParser parser;
    Parsed parsed;
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        appendJoined(&parsed.events, parser.feed(bytes.mid(at, piece)));
    appendJoined(&parsed.events, parser.finish());
    parsed.ended = parser.ended();
    parsed.malformed = parser.malformedLines();
    return parsed;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = 1 + data[0] % 13;
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const Parsed whole = parse(bytes, bytes.size() + 1);
    const Parsed pieces = parse(bytes, piece);
    if (whole.events.size() != pieces.events.size() || whole.ended != pieces.ended
        || whole.malformed != pieces.malformed)
        std::abort();
    for (qsizetype i = 0; i < whole.events.size(); ++i) {
        const auto &a = whole.events[i];
        const auto &b = pieces.events[i];
        if (a.kind != b.kind || a.text != b.text || a.executionCount != b.executionCount)
            std::abort();
        // End is the last event, if any.
        if (a.kind == safecell::NdjsonEvent::Kind::End && i != whole.events.size() - 1)
            std::abort();
    }
    return 0;
}
