#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <deque>

class QPlainTextEdit;

namespace safecell {

// Streams a run's stdout and stderr into a text view without stalling the
// GUI thread: text is queued and written in bounded slices on a short
// timer, so a run printing 100,000 lines stays responsive.
class OutputBuffer : public QObject {
    Q_OBJECT
public:
    static constexpr int kFlushIntervalMs = 20;
    // Bounds one slice's layout work (a few milliseconds on a slow machine).
    static constexpr qsizetype kMaxCharsPerSlice = 16 * 1024;

    explicit OutputBuffer(QPlainTextEdit *view);

    void append(const QString &text, bool isError);
    // Writes everything still queued; for a run's end and for readers.
    void flushAll();
    void clear();
    qsizetype pendingChars() const { return m_pendingChars; }

Q_SIGNALS:
    // After each timed slice: how many characters it wrote.
    void sliceWritten(qsizetype chars);

private:
    struct Chunk {
        QString text;
        bool isError = false;
    };
    void flushSlice(qsizetype budget);
    void write(const QString &text, bool isError);

    QPlainTextEdit *m_view;
    std::deque<Chunk> m_pending;
    qsizetype m_pendingChars = 0;
    QTimer m_timer;
};

} // namespace safecell
