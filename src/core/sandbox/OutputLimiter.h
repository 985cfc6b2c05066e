#pragma once

#include <QByteArray>
#include <QString>
#include <QStringDecoder>

namespace safecell {

// Turns a process's output bytes into text as they arrive: UTF-8 sequences
// split across reads are joined, and past the cap the rest is dropped with
// one "output truncated after N bytes" marker, so a run that prints
// gigabytes costs neither memory nor a frozen window.
class OutputLimiter {
public:
    explicit OutputLimiter(qint64 capBytes)
        : m_cap(capBytes)
    {
    }

    // Text to pass on for these bytes; empty once the cap is reached
    // (the marker is returned once, when the cap is crossed).
    QString feed(const QByteArray &bytes);
    bool truncated() const { return m_truncated; }
    qint64 bytesSeen() const { return m_seen; }

private:
    qint64 m_cap;
    qint64 m_seen = 0;
    bool m_truncated = false;
    QStringDecoder m_decoder{QStringDecoder::Utf8};
};

} // namespace safecell
