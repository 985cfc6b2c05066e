#pragma once

#include <QObject>
#include <QString>

class QStatusBar;
class QSystemTrayIcon;

namespace safecell {

// A desktop notification when the system tray can show one, else a message
// in the window's status bar.
class DesktopNotifier : public QObject {
    Q_OBJECT
public:
    explicit DesktopNotifier(QStatusBar *fallback);

    void notify(const QString &title, const QString &message);
    QString lastMessage() const { return m_last; }
    bool usesTray() const { return m_tray != nullptr; }

private:
    QStatusBar *m_fallback;
    QSystemTrayIcon *m_tray = nullptr;
    QString m_last;
};

} // namespace safecell
