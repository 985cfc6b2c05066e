#pragma once

#include <QString>
#include <QTcpSocket>

// A keyboard for a Qt application started with QT_QPA_PLATFORM=vnc: a
// minimal RFB 3.3 client (no authentication, key events only), so a test
// types into the real process through the platform's own input path, the
// way a person at a VNC viewer would. No hook in the application.
class VncKeyboard {
public:
    // X11 keysyms (RFB's key codes) of the keys the tests press.
    enum Key : quint32 {
        Return = 0xff0d,
        Escape = 0xff1b,
        Tab = 0xff09,
        BackSpace = 0xff08,
        Delete = 0xffff,
        Home = 0xff50,
        End = 0xff57,
        ControlL = 0xffe3,
        ShiftL = 0xffe1,
        AltL = 0xffe9,
    };

    // Connects and completes the handshake; retries until timeoutMs while
    // the application is still starting.
    bool connectTo(quint16 port, int timeoutMs);
    // Each character of `text` (ASCII; '\n' is Return) pressed and released.
    bool type(const QString &text);
    // One key, with Control and/or Shift and/or Alt held around it.
    bool press(quint32 keysym, bool control = false, bool shift = false, bool alt = false);
    QString error() const { return m_error; }

private:
    bool handshake();
    bool send(quint32 keysym, bool down);
    bool readExactly(qint64 size, QByteArray &out);

    QTcpSocket m_socket;
    QString m_error;
};
