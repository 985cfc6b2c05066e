#include "VncKeyboard.h"

#include <QDeadlineTimer>
#include <QThread>
#include <QtEndian>

namespace {
constexpr int kIoTimeoutMs = 10000;
}

bool VncKeyboard::connectTo(quint16 port, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        m_socket.abort();
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (m_socket.waitForConnected(1000))
            return handshake();
        QThread::msleep(100);
    }
    m_error = QStringLiteral("no VNC server on port %1: %2").arg(port).arg(m_socket.errorString());
    return false;
}

bool VncKeyboard::readExactly(qint64 size, QByteArray &out)
{
    out.clear();
    while (out.size() < size) {
        if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(kIoTimeoutMs)) {
            m_error = QStringLiteral("the VNC server stopped answering: %1").arg(m_socket.errorString());
            return false;
        }
        out += m_socket.read(size - out.size());
    }
    return true;
}

bool VncKeyboard::handshake()
{
    QByteArray data;
    if (!readExactly(12, data) || !data.startsWith("RFB 003.")) {
        m_error = QStringLiteral("not an RFB server: %1").arg(QString::fromLatin1(data));
        return false;
    }
    m_socket.write("RFB 003.003\n");
    // 3.3: the server names the security type, 1 = none.
    if (!readExactly(4, data) || qFromBigEndian<quint32>(data.constData()) != 1) {
        m_error = QStringLiteral("the VNC server wants authentication");
        return false;
    }
    m_socket.write(QByteArray(1, '\1')); // ClientInit: shared
    // ServerInit: width, height (2 + 2), pixel format (16), name length (4), name.
    if (!readExactly(24, data))
        return false;
    const quint32 nameLength = qFromBigEndian<quint32>(data.constData() + 20);
    return readExactly(nameLength, data);
}

bool VncKeyboard::send(quint32 keysym, bool down)
{
    char message[8] = {4, char(down ? 1 : 0), 0, 0, 0, 0, 0, 0}; // KeyEvent
    qToBigEndian<quint32>(keysym, message + 4);
    if (m_socket.write(message, sizeof message) != qint64(sizeof message)
        || !m_socket.waitForBytesWritten(kIoTimeoutMs)) {
        m_error = QStringLiteral("could not send a key: %1").arg(m_socket.errorString());
        return false;
    }
    return true;
}

bool VncKeyboard::press(quint32 keysym, bool control, bool shift, bool alt)
{
    bool ok = true;
    if (control)
        ok = ok && send(ControlL, true);
    if (shift)
        ok = ok && send(ShiftL, true);
    if (alt)
        ok = ok && send(AltL, true);
    ok = ok && send(keysym, true) && send(keysym, false);
    if (alt)
        ok = ok && send(AltL, false);
    if (shift)
        ok = ok && send(ShiftL, false);
    if (control)
        ok = ok && send(ControlL, false);
    return ok;
}

bool VncKeyboard::type(const QString &text)
{
    for (const QChar c : text) {
        const quint32 keysym = c == u'\n' ? quint32(Return) : quint32(c.unicode());
        if (!press(keysym))
            return false;
    }
    return true;
}
