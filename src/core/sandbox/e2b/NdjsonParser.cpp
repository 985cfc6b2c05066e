#include "NdjsonParser.h"

#include "sandbox/e2b/E2bResultMapping.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <utility>

namespace safecell {

namespace {
constexpr qsizetype kMalformedEcho = 200; // enough to recognise the line

// A stdout or stderr chunk: joined to the previous event when that is a
// chunk of the same stream (NdjsonParser::feed).
void appendChunk(NdjsonEvent::Kind kind, const QString &text, QList<NdjsonEvent> *out)
{
    if (!out->isEmpty() && out->last().kind == kind) {
        out->last().text += text;
        return;
    }
    NdjsonEvent event;
    event.kind = kind;
    event.text = text;
    out->append(std::move(event));
}
} // namespace

QList<NdjsonEvent> NdjsonParser::feed(const QByteArray &bytes)
{
    QList<NdjsonEvent> events;
    if (m_ended)
        return events;
    // Lines are parsed where they lie; only a partial last line is kept.
    QByteArray data = bytes;
    if (!m_buffer.isEmpty())
        data = std::exchange(m_buffer, QByteArray()).append(bytes);
    const QByteArrayView view(data);
    qsizetype start = 0;
    while (!m_ended) {
        const qsizetype newline = view.indexOf('\n', start);
        if (newline < 0)
            break;
        parseLine(view.sliced(start, newline - start), &events);
        start = newline + 1;
    }
    if (!m_ended && start < data.size())
        m_buffer = data.sliced(start);
    return events;
}

QList<NdjsonEvent> NdjsonParser::finish()
{
    QList<NdjsonEvent> events;
    if (!m_ended && !m_buffer.isEmpty())
        parseLine(m_buffer, &events);
    m_buffer.clear();
    m_ended = true;
    return events;
}

void NdjsonParser::parseLine(QByteArrayView view, QList<NdjsonEvent> *out)
{
    if (view.endsWith('\r'))
        view.chop(1);
    if (view.trimmed().isEmpty())
        return; // E2B never sends one; tolerate it rather than fail the run
    // Not copied: the line's bytes outlive this call, and nothing keeps them.
    const QByteArray line = QByteArray::fromRawData(view.data(), view.size());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    const QJsonObject message = document.object();
    const QString type = message.value(QLatin1String("type")).toString();
    if (parseError.error != QJsonParseError::NoError || !document.isObject() || type.isEmpty()) {
        ++m_malformed;
        NdjsonEvent event;
        event.kind = NdjsonEvent::Kind::Malformed;
        event.text = QString::fromUtf8(line.left(kMalformedEcho));
        out->append(event);
        return;
    }

    if (type == QLatin1String("stdout") || type == QLatin1String("stderr")) {
        appendChunk(type == QLatin1String("stdout") ? NdjsonEvent::Kind::Stdout : NdjsonEvent::Kind::Stderr,
                    message.value(QLatin1String("text")).toString(), out);
        return;
    }
    NdjsonEvent event;
    if (type == QLatin1String("result")) {
        event.kind = NdjsonEvent::Kind::Result;
        event.result = richResultFromE2b(message, line);
    } else if (type == QLatin1String("error")) {
        event.kind = NdjsonEvent::Kind::Error;
        event.error = executionErrorFromE2b(message);
    } else if (type == QLatin1String("number_of_executions")) {
        event.kind = NdjsonEvent::Kind::ExecutionCount;
        event.executionCount = message.value(QLatin1String("execution_count")).toInt();
    } else if (type == QLatin1String("end_of_execution")) {
        event.kind = NdjsonEvent::Kind::End;
        m_ended = true;
    } else {
        return; // keepalive, and any type E2B adds later
    }
    out->append(event);
}

} // namespace safecell
