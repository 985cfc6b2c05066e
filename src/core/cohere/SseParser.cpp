#include "cohere/SseParser.h"

namespace safecell {

QList<SseEvent> SseParser::feed(QByteArrayView bytes)
{
    QList<SseEvent> out;
    if (bytes.isEmpty())
        return out;
    if (m_skipLeadingLf) {
        m_skipLeadingLf = false;
        if (bytes.front() == '\n')
            bytes = bytes.sliced(1);
    }
    m_buffer.append(bytes);

    const char *data = m_buffer.constData();
    const qsizetype size = m_buffer.size();
    qsizetype lineStart = m_offset;
    for (qsizetype i = m_offset; i < size; ++i) {
        const char c = data[i];
        if (c != '\n' && c != '\r')
            continue;
        processLine(QByteArrayView(data + lineStart, i - lineStart), out);
        if (c == '\r') {
            if (i + 1 < size) {
                if (data[i + 1] == '\n')
                    ++i;
            } else {
                m_skipLeadingLf = true; // the LF may come with the next read
            }
        }
        lineStart = i + 1;
    }
    m_offset = lineStart;
    // Compact once the consumed prefix dominates, keeping feed() linear.
    if (m_offset == m_buffer.size()) {
        m_buffer.clear();
        m_offset = 0;
    } else if (m_offset > 4096 && m_offset * 2 > m_buffer.size()) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    return out;
}

QList<SseEvent> SseParser::finish()
{
    QList<SseEvent> out;
    if (m_offset < m_buffer.size())
        processLine(QByteArrayView(m_buffer).sliced(m_offset), out);
    m_buffer.clear();
    m_offset = 0;
    dispatch(out);
    return out;
}

void SseParser::processLine(QByteArrayView line, QList<SseEvent> &out)
{
    if (m_firstLine) {
        m_firstLine = false;
        if (line.startsWith("\xEF\xBB\xBF"))
            line = line.sliced(3);
    }
    if (line.isEmpty()) {
        dispatch(out);
        return;
    }
    if (line.front() == ':')
        return; // comment or keep-alive
    QByteArrayView field = line;
    QByteArrayView value;
    const qsizetype colon = line.indexOf(':');
    if (colon >= 0) {
        field = line.first(colon);
        value = line.sliced(colon + 1);
        if (!value.isEmpty() && value.front() == ' ')
            value = value.sliced(1);
    }
    if (field == "data") {
        if (m_hasData)
            m_pending.data.append('\n');
        m_pending.data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_pending.event = value.toByteArray();
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_pending.id = value.toByteArray();
    }
    // "retry" and unknown fields: nothing to do for a one-shot request.
}

void SseParser::dispatch(QList<SseEvent> &out)
{
    if (m_hasData)
        out.append(std::move(m_pending));
    m_pending = SseEvent();
    m_hasData = false;
}

} // namespace safecell
