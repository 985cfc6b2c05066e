// libFuzzer: Cohere's event stream. The SSE parser must give the same events
// whatever the read boundaries, and the chat stream reader must survive any
// sequence of them. The first byte picks the piece size.
#include "cohere/ChatStreamReader.h"
#include "cohere/SseParser.h"

#include <cstdint>
#include <cstdlib>

namespace {

QList<safecell::SseEvent> parse(QByteArrayView bytes, qsizetype piece)
{
    safecell::SseParser parser;
    QList<safecell::SseEvent> events;
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        events += parser.feed(bytes.sliced(at, qMin(piece, bytes.size() - at)));
    events += parser.finish();
    if (parser.pendingBytes() != 0)
        std::abort();
    return events;
}

bool same(const QList<safecell::SseEvent> &a, const QList<safecell::SseEvent> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].event != b[i].event || a[i].data != b[i].data || a[i].id != b[i].id)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = 1 + data[0] % 17;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const QList<safecell::SseEvent> whole = parse(bytes, bytes.size() + 1);
    if (!same(whole, parse(bytes, piece)))
        std::abort();

    safecell::ChatStreamReader reader;
    QString text;
    for (const auto &event : whole) {
        QString delta;
        if (reader.handle(event, &delta))
            break;
        text += delta;
    }
    if (reader.state() != safecell::ChatStreamReader::State::Failed)
        (void)reader.finish();
    (void)reader.reply();
    return 0;
}
