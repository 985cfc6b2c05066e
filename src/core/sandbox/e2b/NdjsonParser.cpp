#include "NdjsonParser.h"

#include "sandbox/e2b/E2bResultMapping.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace safecell {

namespace {
constexpr qsizetype kMalformedEcho = 200; // enough to recognise the line
}

QList<NdjsonEvent> NdjsonParser::feed(const QByteArray &bytes)
{
    QList<NdjsonEvent> events;
    if (m_ended)
        return events;
    m_buffer.append(bytes);
    qsizetype start = 0;
    while (!m_ended) {
        const qsizetype newline = m_buffer.indexOf('\n', start);
        if (newline < 0)
            break;
        parseLine(m_buffer.mid(start, newline - start), &events);
        start = newline + 1;
    }
    m_buffer.remove(0, start);
    if (m_ended)
        m_buffer.clear();
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

void NdjsonParser::parseLine(const QByteArray &rawLine, QList<NdjsonEvent> *out)
{
    QByteArray line = rawLine;
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.trimmed().isEmpty())
        return; // E2B never sends one; tolerate it rather than fail the run
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

    NdjsonEvent event;
    if (type == QLatin1String("stdout") || type == QLatin1String("stderr")) {
        event.kind = type == QLatin1String("stdout") ? NdjsonEvent::Kind::Stdout : NdjsonEvent::Kind::Stderr;
        event.text = message.value(QLatin1String("text")).toString();
    } else if (type == QLatin1String("result")) {
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
