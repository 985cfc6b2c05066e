#include "OutputBuffer.h"

#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextCharFormat>
#include <QTextCursor>

namespace safecell {

OutputBuffer::OutputBuffer(QPlainTextEdit *view)
    : QObject(view)
    , m_view(view)
{
    m_timer.setInterval(kFlushIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        const qsizetype before = m_pendingChars;
        flushSlice(kMaxCharsPerSlice);
        Q_EMIT sliceWritten(before - m_pendingChars);
    });
}

void OutputBuffer::append(const QString &text, bool isError)
{
    if (text.isEmpty())
        return;
    if (!m_pending.empty() && m_pending.back().isError == isError && m_pending.back().text.size() < kMaxCharsPerSlice)
        m_pending.back().text += text;
    else
        m_pending.push_back({text, isError});
    m_pendingChars += text.size();
    if (!m_timer.isActive())
        m_timer.start();
}

void OutputBuffer::flushAll()
{
    flushSlice(m_pendingChars);
}

void OutputBuffer::clear()
{
    m_pending.clear();
    m_pendingChars = 0;
    m_timer.stop();
    m_view->clear();
}

void OutputBuffer::flushSlice(qsizetype budget)
{
    QScrollBar *bar = m_view->verticalScrollBar();
    const bool atBottom = bar->value() == bar->maximum();
    bool wroteAny = false;
    while (budget > 0 && !m_pending.empty()) {
        Chunk &chunk = m_pending.front();
        if (chunk.text.size() <= budget) {
            wroteAny = true;
            budget -= chunk.text.size();
            m_pendingChars -= chunk.text.size();
            write(chunk.text, chunk.isError);
            m_pending.pop_front();
            continue;
        }
        // Cut after a line break when there is one, so lines stay whole.
        qsizetype cut = chunk.text.lastIndexOf(QLatin1Char('\n'), budget - 1) + 1;
        if (cut <= 0) {
            if (wroteAny)
                break;    // the next slice starts with this line, whole
            cut = budget; // one line longer than a slice: it has to be split
        }
        write(chunk.text.first(cut), chunk.isError);
        chunk.text.remove(0, cut);
        m_pendingChars -= cut;
        budget = 0;
    }
    if (atBottom)
        bar->setValue(bar->maximum());
    if (m_pending.empty())
        m_timer.stop();
}

void OutputBuffer::write(const QString &text, bool isError)
{
    QTextCharFormat format;
    if (isError)
        format.setForeground(QColor(0xc0, 0x30, 0x30));
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text, format);
}

} // namespace safecell
